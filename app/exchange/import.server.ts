// Imports a CSV (paper data, other tools' exports, our own exports) or a tablet's saved queue into
// a survey through the same exactly-once ingest path as the sync API. A dry run reports every
// problem with its row, column and reason; the real run stores the valid rows and nothing else.
import { Readable } from "node:stream";
import Papa from "papaparse";
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { ingestInto, type IngestResult } from "~/models/responses.server";
import type { SurveyDefinition } from "~/survey";
import { surveyVersions } from "./export.server";
import { buildLayout, type Layout } from "./layout";
import { matchColumns, type ColumnMatch } from "./match";
import { convertRow, derivedUuid, type ConvertedRow, type RowProblem } from "./rows";

export const MAX_PROBLEMS_KEPT = 1000;
// Rows per ingest transaction. On SQLite a transaction holds the one connection; storing a row is
// cheap (its dashboard figures are folded in afterwards, in small slices), so 100 rows keep other
// requests waiting well under 100 ms. IMPORT_BATCH trades that wait for import speed.
const BATCH = Number(process.env.IMPORT_BATCH ?? 100);

export interface ImportReport {
  format: "csv" | "queue";
  fileName: string;
  encoding: "utf-8" | "windows-1252";
  bom: boolean;
  delimiter: string | null;
  notes: string[];
  columns: ColumnMatch[];
  rows: number;
  /** Rows that would be (dry run) or were stored. */
  valid: number;
  /** Already stored with the same content: re-imports add nothing. */
  duplicates: number;
  /** Already stored with other content: never overwritten. */
  conflicts: number;
  /** Rows with at least one problem: not imported. */
  invalid: number;
  problems: RowProblem[];
  problemCount: number;
  committed: boolean;
}

export interface ImportInput {
  surveyId: string;
  programmeId: string;
  fileName: string;
  text: string;
  encoding: "utf-8" | "windows-1252";
  bom: boolean;
  /** Version rows answered when the file has no survey_version column (default: the latest). */
  version?: number;
  /** Hand-made column targets by column index (see match.ts parseTarget). */
  mapping?: Record<number, string>;
  /** For files without a date column: the collection date of every row (YYYY-MM-DD). */
  collectedOn?: string | null;
  defaultCommunityId?: string | null;
  defaultRoundId?: string | null;
  commit: boolean;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Which reason a survey-core message stands for, in the words of the report. */
export function reasonOf(path: string, message: string): string {
  if (/needs an answer/.test(message)) return "missing required answer";
  if (/skip logic/.test(message)) return "hidden by skip logic";
  if (/not one of|not among/.test(message)) return "unknown option";
  if (/no question/.test(message)) return "unknown question";
  if (/^Expected|whole number/.test(message)) return "wrong type";
  if (/at least|at most|longer than|Pick at most|more than once/.test(message)) return "out of range";
  if (path === "collectedAt") return "bad date";
  if (path === "surveyVersion") return "unknown version";
  if (path === "language") return "unknown language";
  return "refused";
}

export async function runImport(db: Kysely<Database>, input: ImportInput): Promise<ImportReport> {
  const versions = await surveyVersions(db, input.surveyId);
  if (versions.length === 0) throw new Error("This survey has no published version to import into.");
  const layout = buildLayout(versions);
  const latest = versions[versions.length - 1];
  const version = versions.find((v) => v.version === input.version) ?? latest;
  const [communities, rounds] = await Promise.all([
    db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", input.programmeId).execute(),
    db.selectFrom("rounds").select(["id", "name"]).where("programme_id", "=", input.programmeId).execute(),
  ]);
  const report: ImportReport = {
    format: "csv",
    fileName: input.fileName,
    encoding: input.encoding,
    bom: input.bom,
    delimiter: null,
    notes: [],
    columns: [],
    rows: 0,
    valid: 0,
    duplicates: 0,
    conflicts: 0,
    invalid: 0,
    problems: [],
    problemCount: 0,
    committed: input.commit,
  };
  if (input.encoding === "windows-1252")
    report.notes.push("The file is not valid UTF-8: it was read as Windows-1252 (Latin-1), as Excel saves CSV on Windows. Check accented letters below.");
  if (input.bom) report.notes.push("The file starts with a byte-order mark (as Excel writes it); it was removed.");

  const trimmed = input.text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    await importQueue(db, input, version.definition, report);
    return report;
  }
  await importCsv(db, input, layout, { versionNumber: version.version, definition: version.definition, communities, rounds }, report);
  // Row problems are found before the batch's answer checks: list them in file order.
  report.problems.sort((a, b) => a.row - b.row);
  return report;
}

function addProblem(report: ImportReport, p: RowProblem) {
  report.problemCount += 1;
  if (report.problems.length < MAX_PROBLEMS_KEPT) report.problems.push(p);
}

/** Pieces of at most 64 KB, so papaparse never parses a whole large file in one go. */
function* slices(text: string, size = 64 * 1024) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function importCsv(
  db: Kysely<Database>,
  input: ImportInput,
  layout: Layout,
  survey: { versionNumber: number; definition: SurveyDefinition; communities: { id: string; name: string }[]; rounds: { id: string; name: string }[] },
  report: ImportReport,
) {
  const parser = Readable.from(slices(input.text)).pipe(
    Papa.parse(Papa.NODE_STREAM_INPUT, { delimitersToGuess: [",", ";", "\t", "|"], skipEmptyLines: "greedy" }),
  );
  let columns: ColumnMatch[] | null = null;
  let headerCount = 0;
  let rowNumber = 1;
  let batch: { converted: ConvertedRow; row: number }[] = [];
  const def = survey.definition;
  const ctx = () => ({
    layout,
    columns: columns!,
    surveyId: input.surveyId,
    fileName: input.fileName,
    defaultVersion: survey.versionNumber,
    defaultLanguage: def.defaultLanguage,
    languages: def.languages,
    communities: survey.communities,
    rounds: survey.rounds,
    collectedOn: input.collectedOn ?? null,
  });

  for await (const record of parser as AsyncIterable<string[]>) {
    if (!columns) {
      headerCount = record.length;
      columns = matchColumns(layout, record, input.mapping);
      report.columns = columns;
      const hasDate = columns.some((c) => c.target?.kind === "meta" && (c.target.field === "collected_at" || c.target.field === "submitted_at"));
      if (!hasDate && input.collectedOn) report.notes.push(`The file has no date column: every row is dated ${input.collectedOn}.`);
      continue;
    }
    rowNumber += 1;
    report.rows += 1;
    if (record.length > headerCount && record.slice(headerCount).some((c) => c.trim() !== "")) {
      addProblem(report, {
        row: rowNumber,
        column: `(cell ${headerCount + 1})`,
        reason: "extra cells",
        message: `The row has ${record.length} cells but the header has ${headerCount}; the extra cells were left out.`,
      });
    }
    // The row number joins the derived id, so two identical paper forms stay two responses.
    const { row, problems } = convertRow(ctx(), record, rowNumber);
    if (!row) {
      report.invalid += 1;
      problems.forEach((p) => addProblem(report, p));
      continue;
    }
    problems.forEach((p) => addProblem(report, p));
    batch.push({ converted: row, row: rowNumber });
    if (batch.length >= BATCH) {
      await ingestBatch(db, input, batch, report);
      batch = [];
      await nextTick();
    }
  }
  if (batch.length) await ingestBatch(db, input, batch, report);
  if (!columns) report.notes.push("The file is empty: it has no header row.");
  const unmatched = (columns ?? []).filter((c) => c.target === null);
  if (unmatched.length)
    report.notes.push(`${unmatched.length} column(s) match no question and were left out: ${unmatched.map((c) => `"${c.header}"`).join(", ")}. Map them below or leave them ignored.`);
  if (parser instanceof Readable) parser.destroy();
}

async function ingestBatch(db: Kysely<Database>, input: ImportInput, batch: { converted: ConvertedRow; row: number }[], report: ImportReport) {
  // An id already used by another survey (a file exported from one survey, imported into a copy)
  // gets an id of its own, derived from it, so the copy still holds every row exactly once.
  const ids = batch.map((b) => b.converted.response.id);
  const elsewhere = new Set(
    (await db.selectFrom("responses").select("id").where("id", "in", ids).where("survey_id", "!=", input.surveyId).execute()).map((r) => r.id),
  );
  for (const b of batch)
    if (elsewhere.has(b.converted.response.id)) b.converted.response.id = derivedUuid(`${input.surveyId}\n${b.converted.response.id}`);

  const results = await ingestInto(
    db,
    {
      surveyId: input.surveyId,
      linkId: null,
      communityId: input.defaultCommunityId ?? null,
      roundId: input.defaultRoundId ?? null,
      maxResponses: null,
      placeOf: (i) => ({
        communityId: batch[i].converted.communityId ?? input.defaultCommunityId ?? null,
        roundId: batch[i].converted.roundId ?? input.defaultRoundId ?? null,
      }),
    },
    batch.map((b) => b.converted.response),
    { source: "import", dryRun: !input.commit },
  );
  tally(report, results, (i, path) => {
    const q = path.startsWith("answers.") ? path.slice("answers.".length) : null;
    return { row: batch[i].row, column: (q && batch[i].converted.columnOf.get(q)) ?? q ?? path };
  });
}

function tally(report: ImportReport, results: IngestResult[], where: (i: number, path: string) => { row: number; column: string }) {
  results.forEach((r, i) => {
    if (r.status === "created") report.valid += 1;
    else if (r.status === "duplicate") report.duplicates += 1;
    else if (r.status === "conflict") {
      report.conflicts += 1;
      addProblem(report, { ...where(i, "response_id"), reason: "conflict", message: r.errors?.[0]?.message ?? "A different response with this id is already stored." });
    } else {
      report.invalid += 1;
      for (const e of r.errors ?? []) addProblem(report, { ...where(i, e.path), reason: reasonOf(e.path, e.message), message: e.message });
    }
  });
}

/** The tablet's "Save queue to file": exactly the sync API body, perhaps with sessions and refusals. */
async function importQueue(db: Kysely<Database>, input: ImportInput, _def: SurveyDefinition, report: ImportReport) {
  report.format = "queue";
  let body: unknown;
  try {
    body = JSON.parse(input.text);
  } catch {
    report.notes.push("The file looks like JSON but cannot be read: it may be cut short.");
    return;
  }
  const responses = (body as { responses?: unknown })?.responses;
  if (!Array.isArray(responses)) {
    report.notes.push('A queue file must be {"responses":[…]}: this one has no "responses" list.');
    return;
  }
  const sessions = (body as { sessions?: unknown[] }).sessions;
  const refusals = (body as { refusals?: unknown[] }).refusals;
  if (Array.isArray(sessions) && sessions.length)
    report.notes.push(`${sessions.length} focus-group session record(s) in the file were not imported: sessions come with a collection link; responses keep their session id.`);
  if (Array.isArray(refusals) && refusals.length)
    report.notes.push(`${refusals.length} consent refusal(s) in the file were not imported: refusals are counted through a collection link.`);
  for (let start = 0; start < responses.length; start += BATCH) {
    const slice = responses.slice(start, start + BATCH);
    const results = await ingestInto(
      db,
      { surveyId: input.surveyId, linkId: null, communityId: input.defaultCommunityId ?? null, roundId: input.defaultRoundId ?? null, maxResponses: null },
      slice,
      { source: "import", dryRun: !input.commit },
    );
    report.rows += slice.length;
    tally(report, results, (i, path) => ({ row: start + i + 1, column: path || "(response)" }));
    await nextTick();
  }
}
