// Everything an import asks of a file's rows that needs no database: reading the CSV, matching
// its header, turning each row into a response (rows.ts) and the checks every response goes
// through (models/response-checks.ts: shape, answers by the survey core, the clock), with its
// content hash and the id it would take if its own is another survey's. The importer then looks
// up which ids are stored and settles each row as the sync API would.
import type { SurveyDefinition } from "~/survey";
import { answerErrors, contentHash, idInSurvey, parseSubmitted, type IngestError, type IngestResult } from "~/models/response-checks";
import { csvRows } from "./csv-rows";
import { buildLayout } from "./layout";
import { matchColumns, type ColumnMatch } from "./match";
import { convertRow, type ConvertedRow, type RowContext, type RowProblem } from "./rows";

/** What the checks need to know of the survey and the upload. */
export interface RowCheckSetup {
  surveyId: string;
  /** Not used for ids (the same rows under another name are the same responses); kept for callers. */
  fileName?: string;
  versions: { version: number; definition: SurveyDefinition }[];
  /** Version rows answered when the file has no survey_version column. */
  defaultVersion: number;
  /** Hand-made column targets by column index (see match.ts parseTarget). */
  mapping?: Record<number, string>;
  communities: { id: string; name: string }[];
  rounds: { id: string; name: string }[];
  collectedOn: string | null;
  /** File rows up to this one are counted but not checked: a resumed import settled them before. */
  skipRows?: number;
}

/** One row of the file, checked as far as can be without the database. */
export interface RowVerdict {
  /** Its line in the file (the header is row 1). */
  row: number;
  /** Problems with its cells (not imported when `converted` is null). */
  problems: RowProblem[];
  converted: ConvertedRow | null;
  /** Not a response at all (its shape): rejected whatever is stored. */
  rejected?: IngestResult;
  /** What is wrong with it as a new response (empty: nothing). */
  errors: IngestError[];
  /** Its content hash (worked out when first asked for: storing needs it, later), and the id it takes when its own is another survey's. */
  readonly hash: string;
  derivedId: string;
}

const YIELD_ROWS = 100;
const WARM_ROWS = 1000;

/** A run of the file's rows, checked, and with the first, how its columns matched. */
export interface VerdictSlice {
  columns?: ColumnMatch[];
  /** With the header: the delimiter the file uses. */
  delimiter?: string;
  /** With the header: what the report should say about the file as a whole. */
  notes?: string[];
  /** With the header: why the file is refused (then no row is read). */
  refusal?: RowProblem[];
  rows: RowVerdict[];
}

/** A Kobo export's optional second row of HXL hashtags (`#indicator+diet`): not a response. */
const isHxlRow = (cells: string[]) => cells.some((c) => c.trim().startsWith("#")) && cells.every((c) => c.trim() === "" || /^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$/i.test(c.trim()));

/** Headers that appear more than once: the file cannot say which of them holds the answer. */
export function duplicateHeaders(headers: string[]): RowProblem[] {
  const first = new Map<string, number>();
  const problems: RowProblem[] = [];
  headers.forEach((raw, i) => {
    const h = raw.replace(/^\uFEFF/, "").trim();
    if (h === "") return;
    const at = first.get(h);
    if (at === undefined) first.set(h, i);
    else
      problems.push({
        row: 1,
        column: h,
        reason: "duplicate column",
        message: `Columns ${at + 1} and ${i + 1} are both called "${h}": rename one and upload again. Nothing was imported.`,
      });
  });
  return problems;
}

/** The file's rows (its text, or its text in pieces), checked, a hundred at a time (ten at first). */
export async function* checkRows(text: string | AsyncIterable<string>, setup: RowCheckSetup): AsyncGenerator<VerdictSlice> {
  const layout = buildLayout(setup.versions);
  const definitions = new Map(setup.versions.map((v) => [v.version, v.definition]));
  const chosen = definitions.get(setup.defaultVersion) ?? setup.versions[setup.versions.length - 1].definition;
  let ctx: RowContext | null = null;
  let headerCount = 0;
  let hasIdColumn = false;
  let rowNumber = 1;
  let slice: VerdictSlice = { rows: [] };
  const found: { delimiter?: string } = {};
  const contentSeen = new Map<string, number>();
  for await (const records of csvRows(text, found)) {
    for (const record of records) {
      // A hundred rows at a time, the caller letting other requests in between; ten at first,
      // while the code is not yet optimised and each row costs ten times as much.
      if (slice.rows.length >= (rowNumber > WARM_ROWS ? YIELD_ROWS : 10)) {
        yield slice;
        slice = { rows: [] };
      }
      if (!ctx) {
        headerCount = record.length;
        slice.columns = matchColumns(layout, record, setup.mapping);
        slice.delimiter = found.delimiter;
        slice.notes = [];
        const metadata = slice.columns.filter((c) => c.how === "tool metadata");
        if (metadata.length)
          slice.notes.push(`${metadata.length} column(s) are other tools' metadata: ${metadata.map((c) => `"${c.header}"`).join(", ")}. Those that carry the response's id or date were used; the rest were left out.`);
        const duplicates = duplicateHeaders(record);
        if (duplicates.length) {
          slice.refusal = duplicates;
          yield slice;
          return;
        }
        hasIdColumn = slice.columns.some((c) => c.target?.kind === "meta" && c.target.field === "id");
        ctx = {
          layout,
          columns: slice.columns,
          surveyId: setup.surveyId,
          contentSeen,
          defaultVersion: setup.defaultVersion,
          defaultLanguage: chosen.defaultLanguage,
          languages: chosen.languages,
          communities: setup.communities,
          rounds: setup.rounds,
          collectedOn: setup.collectedOn,
        };
        // Matching the header is a task of its own: the first rows are the slowest.
        yield slice;
        slice = { rows: [] };
        continue;
      }
      rowNumber += 1;
      if (rowNumber === 2 && isHxlRow(record)) {
        (slice.notes ??= []).push("Row 2 holds HXL hashtags (#indicator+…), as KoboToolbox can export them: it was skipped, not read as a response.");
        continue;
      }
      if (setup.skipRows && rowNumber <= setup.skipRows) {
        // Settled before a restart. Rows without an id still count, so that the n-th identical row
        // after the restart gets the n-th id, as it would have without one.
        if (!hasIdColumn) convertRow(ctx, record, rowNumber);
        continue;
      }
      const problems: RowProblem[] = [];
      if (record.length > headerCount && record.slice(headerCount).some((c) => c.trim() !== "")) {
        problems.push({
          row: rowNumber,
          column: `(cell ${headerCount + 1})`,
          reason: "extra cells",
          message: `The row has ${record.length} cells but the header has ${headerCount}; the extra cells were left out.`,
        });
      }
      // A row without an id takes one derived from its content (rows.ts contentId).
      const { row, problems: cellProblems } = convertRow(ctx, record, rowNumber);
      problems.push(...cellProblems);
      slice.rows.push(row ? verdictFor(row, rowNumber, problems, setup.surveyId, definitions) : { row: rowNumber, problems, converted: null, errors: [], hash: "", derivedId: "" });
    }
  }
  if (slice.rows.length) yield slice;
}

function verdictFor(converted: ConvertedRow, row: number, problems: RowProblem[], surveyId: string, definitions: Map<number, SurveyDefinition>): RowVerdict {
  const derivedId = idInSurvey(surveyId, converted.response.id);
  const parsed = parseSubmitted(converted.response);
  if ("rejected" in parsed) return { row, problems, converted, rejected: parsed.rejected, errors: [], hash: "", derivedId };
  const response = (converted.response = parsed.response as ConvertedRow["response"]);
  let worked: string | undefined;
  return {
    row,
    problems,
    converted,
    errors: answerErrors(response, definitions.get(response.surveyVersion)),
    get hash() {
      return (worked ??= contentHash(response));
    },
    derivedId,
  };
}
