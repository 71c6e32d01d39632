// Imports a CSV (paper data, other tools' exports, our own exports) or a tablet's saved queue into
// a survey through the same exactly-once ingest path as the sync API. A dry run reports every
// problem with its row, column and reason; the real run stores the valid rows and nothing else.
import { CompiledQuery, PostgresAdapter, type Kysely, type Transaction } from "kysely";
import type { Database } from "~db/schema";
import { ingestOpened } from "~/models/programme-keys.server";
import { ingestInto, responseRow, settleRace, type CheckedResponse, type IngestResult, type IngestTarget } from "~/models/responses.server";
import { verdictOf } from "~/models/response-checks";
import { getPublishedDefinition } from "~/models/surveys.server";
import { AggregateAccumulator, cellOf, deltaStatementsInTurns, roundsBySurvey, writeDeltas, type AggregateInput, type RoundDates } from "~/models/aggregates.server";
import { isoInstant, nowIso } from "~db/portable";
import { insertStatements, type RawStatement } from "~db/bulk-insert";
import type { Answers, SurveyDefinition } from "~/survey";
import { surveyVersions } from "./export.server";
import type { ColumnMatch } from "./match";
import type { RowProblem } from "./rows";
import { checkRows, type RowCheckSetup, type RowVerdict } from "./row-check";
import { reasonFor } from "./reasons";
import { queueSessions } from "./queue-sessions.server";

export const MAX_PROBLEMS_KEPT = 1000;
/** Rows checked together (one lookup of stored ids per batch). */
const CHECK_BATCH = 200;
/** Queue files: responses per ingest call, as a tablet's sync sends them. */
const QUEUE_BATCH = 100;
/**
 * Storing: the file is read in windows of IMPORT_WINDOW rows. A window's valid rows wait in memory,
 * sorted by the dashboard cell they count in, and are then stored on the app's own connection in
 * short transactions, each with its rows' figures, so the dashboards never see one without the
 * other; sorting makes neighbouring rows share cells, which cuts the cells written per row from
 * ~150 to a handful. Each transaction is sized to take about STORE_TARGET_MS (its row count adapts
 * to how long the last one took), and other requests go between them. Memory holds one window,
 * whatever the file's size; a job resumes at the start of the window it was storing.
 */
const IMPORT_WINDOW = Number(process.env.IMPORT_WINDOW ?? 5_000);
const STORE_TARGET_MS = Number(process.env.IMPORT_STORE_MS ?? 20);
const STORE_MIN_ROWS = 20;
const STORE_MAX_ROWS = 2000;

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
  /** Rows stored so far (an import; equal to valid once it ends). */
  stored?: number;
}

/** What a job (import-jobs.server.ts) asks of an import run: where to resume, and hooks. */
export interface ImportJobHooks {
  id: string;
  /** File rows settled by the job's committed windows, and the report as it stood then. */
  resumeRow: number;
  resumeReport: ImportReport | null;
  /** Inside each storing transaction: the job's counters move with the rows they count. */
  onBatch(trx: Transaction<Database>, report: ImportReport, rows: number): Promise<void>;
  /** After a window is stored: the resume point. */
  onWindow(row: number, report: ImportReport): Promise<void>;
  /** Now and then while reading, with what is known so far. */
  onProgress(report: ImportReport): Promise<void>;
  /** True when the person cancelled: the run stops before its next transaction. */
  cancelled(): Promise<boolean>;
}

/** The run stopped because the job was cancelled; what was stored stays. */
export class ImportCancelled extends Error {
  constructor(public report: ImportReport) {
    super("The import was cancelled.");
  }
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
  job?: ImportJobHooks;
  /**
   * A CSV read from disk a piece at a time (memory stays bounded by the window, whatever the
   * file's size); `text` then holds its beginning.
   */
  stream?: () => AsyncIterable<string>;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/** A choice made for the whole import that cannot be used: nothing is read or stored. */
export class ImportOptionError extends Error {
  constructor(
    /** The input field: defaultCommunityId or defaultRoundId. */
    public field: "defaultCommunityId" | "defaultRoundId",
    message: string,
  ) {
    super(message);
  }
}

export async function runImport(db: Kysely<Database>, input: ImportInput): Promise<ImportReport> {
  const versions = await surveyVersions(db, input.surveyId);
  if (versions.length === 0) throw new Error("This survey has no published version to import into.");
  const latest = versions[versions.length - 1];
  const version = versions.find((v) => v.version === input.version) ?? latest;
  // The survey's own programme, whatever the caller says: its communities and rounds are the only choices.
  const { programme_id: programmeId } = await db.selectFrom("surveys").select("programme_id").where("id", "=", input.surveyId).executeTakeFirstOrThrow();
  const [communities, rounds] = await Promise.all([
    db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", programmeId).execute(),
    db.selectFrom("rounds").select(["id", "name"]).where("programme_id", "=", programmeId).execute(),
  ]);
  if (input.defaultCommunityId && !communities.some((c) => c.id === input.defaultCommunityId))
    throw new ImportOptionError("defaultCommunityId", "Community (rows without one): choose one of this programme's communities.");
  if (input.defaultRoundId && !rounds.some((r) => r.id === input.defaultRoundId))
    throw new ImportOptionError("defaultRoundId", "Round (rows without one): choose one of this programme's rounds.");
  const report: ImportReport = input.job?.resumeReport ? { ...input.job.resumeReport, committed: input.commit } : {
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
    stored: 0,
  };
  if (!input.job?.resumeReport) addFileNotes(input, report);
  const trimmed = input.text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    await importQueue(db, { ...input, programmeId }, version.definition, report);
    return report;
  }
  await importCsv(db, input, { versions, defaultVersion: version.version, communities, rounds }, report);
  // Row problems are found before the batch's answer checks: list them in file order.
  report.problems.sort((a, b) => a.row - b.row);
  return report;
}

function addFileNotes(input: ImportInput, report: ImportReport) {
  if (input.encoding === "windows-1252")
    report.notes.push("The file is not valid UTF-8: it was read as Windows-1252 (Latin-1), as Excel saves CSV on Windows. Check accented letters below.");
  if (input.bom) report.notes.push("The file starts with a byte-order mark (as Excel writes it); it was removed.");
}

function addProblem(report: ImportReport, p: RowProblem) {
  report.problemCount += 1;
  if (report.problems.length < MAX_PROBLEMS_KEPT) report.problems.push(p);
}

/** A valid row waiting to be stored: what the aggregates need of it, and the cell it counts in. */
interface PendingRow {
  row: number;
  checked: CheckedResponse;
  input: AggregateInput;
  sortKey: string;
}

/**
 * Rows in id order for their INSERTs: SQLite's index of response ids takes them walking forward
 * through its pages, and two PostgreSQL transactions storing some of the same ids cannot deadlock.
 */
const inIdOrder = (rows: PendingRow[]) => [...rows].sort((a, b) => (a.checked.response.id < b.checked.response.id ? -1 : a.checked.response.id > b.checked.response.id ? 1 : 0));

/** The stored fields every imported row shares; its figures go in with it. */
const importFields = () => ({ submittedAt: nowIso(), source: "import", aggregated: 1 as const });

/** What a job writes on each row it stores: which job and file row did (see 0015_import_jobs). */
const importRef = (jobId: string, row: number) => `${jobId}:${row}`;

interface StoredId {
  id: string;
  survey_id: string;
  content_hash: string;
  import_ref: string | null;
}

/** The importer's state across the file: what it has seen, what waits to be stored. */
class CsvImport {
  private chunk: RowVerdict[] = [];
  /** Valid rows of this window, grouped by the dashboard cell they count in. */
  private pending = new CellGroups();
  /**
   * Ids accepted earlier, so a repeated row is a duplicate (or a conflict), not a second response:
   * in this window when importing (earlier windows are stored, and the lookup finds them), in the
   * whole file on a dry run (as a short hash: a dry run stores nothing).
   */
  private seen = new Map<string, { row: number; hash: string }>();
  private readonly target: IngestTarget;
  private readonly postgres: boolean;
  /** Rows per storing transaction: adapts so that each takes about STORE_TARGET_MS. */
  private storeRows = 200;
  private lastProgress = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly input: ImportInput,
    private readonly rounds: RoundDates[],
    private readonly report: ImportReport,
  ) {
    this.target = {
      surveyId: input.surveyId,
      linkId: null,
      communityId: input.defaultCommunityId ?? null,
      roundId: input.defaultRoundId ?? null,
      maxResponses: null,
    };
    this.postgres = isPostgres(db);
  }

  /** A row checked as far as it can be without the database (row-check.ts). */
  async add(verdict: RowVerdict) {
    this.chunk.push(verdict);
    if (this.chunk.length >= CHECK_BATCH) await this.check();
  }

  /** Settles the rows read so far and, importing, stores the window; `row` is its last file row. */
  async endWindow(row: number) {
    await this.check();
    if (!this.input.commit) return;
    const rows = this.pending;
    this.pending = new CellGroups();
    this.seen.clear();
    await this.store(rows);
    await this.input.job?.onWindow(row, this.report);
  }

  /** Tells the job how far the run is, twice a second at most. */
  async progress() {
    const job = this.input.job;
    if (!job || performance.now() - this.lastProgress < 500) return;
    this.lastProgress = performance.now();
    await job.onProgress(this.report);
  }

  /**
   * Settles a batch of rows as the sync API settles a tablet's responses (models/response-checks.ts):
   * an id already stored is a duplicate or a conflict, whatever else is wrong; otherwise the
   * row's own checks decide.
   */
  private async check() {
    const batch = this.chunk;
    this.chunk = [];
    if (batch.length === 0) return;
    const { input, report } = this;
    const job = input.job;
    // An id already used by another survey (a file exported from one survey, imported into a copy)
    // gets an id of its own, derived from it, so the copy still holds every row exactly once.
    // One lookup serves both: the ids themselves, and the ids they would take.
    const ids = new Set<string>();
    for (const v of batch) {
      if (v.rejected) continue;
      ids.add(v.converted!.response.id);
      ids.add(v.derivedId);
    }
    const stored = new Map<string, StoredId>();
    for (const r of await this.storedAmong([...ids])) stored.set(r.id, r);
    // null: stored later, counted then.
    const results: (IngestResult | null)[] = [];
    for (let i = 0; i < batch.length; i++) {
      const v = batch[i];
      if (v.rejected) {
        results[i] = v.rejected;
        continue;
      }
      const converted = v.converted!;
      const response = converted.response;
      const own = stored.get(response.id);
      if (own && own.survey_id !== input.surveyId) response.id = v.derivedId; // and is looked up as that
      const mine = stored.get(response.id);
      if (job && mine?.import_ref === importRef(job.id, v.row)) {
        // Stored by this job before it was interrupted: counted as stored, not stored again.
        results[i] = { id: response.id, status: "created" };
        report.stored = (report.stored ?? 0) + 1;
        continue;
      }
      const verdict = verdictOf(
        response.id,
        mine?.content_hash,
        () => v.hash,
        () => v.errors,
      );
      results[i] = verdict;
      if (verdict) continue;
      const definition = (await getPublishedDefinition(this.db, input.surveyId, response.surveyVersion))!;
      const c: CheckedResponse = {
        index: i,
        response,
        sentId: response.id,
        definition,
        get hash() {
          return v.hash;
        },
      };
      const hash = input.commit ? c.hash : c.hash.slice(0, 16);
      const earlier = this.seen.get(c.response.id);
      if (earlier) {
        results[i] =
          earlier.hash === hash
            ? { id: c.response.id, status: "duplicate" }
            : { id: c.response.id, status: "conflict", errors: [{ code: "conflict", path: "", message: `Row ${earlier.row} has the same response id with other answers; only the first is kept.` }] };
        continue;
      }
      this.seen.set(c.response.id, { row: v.row, hash });
      if (!input.commit) {
        results[i] = { id: c.response.id, status: "created" };
        continue;
      }
      results[i] = null;
      report.valid += 1;
      const aggregate: AggregateInput = {
        id: c.response.id,
        surveyId: input.surveyId,
        surveyVersion: c.response.surveyVersion,
        definition: c.definition,
        // Checked by validateAnswers: every value is an answer the survey core knows.
        answers: c.response.answers as Answers,
        communityId: converted.communityId ?? input.defaultCommunityId ?? null,
        roundId: converted.roundId ?? input.defaultRoundId ?? null,
        sessionId: c.response.sessionId ?? null,
        collectedAt: isoInstant(c.response.collectedAt),
      };
      // Rows next to each other in this order share most of their dashboard cells.
      const cell = cellOf(aggregate, this.rounds);
      const sortKey = `${cell.placeString}\u0002${cell.groupString}`;
      this.pending.add({ row: v.row, checked: c, input: aggregate, sortKey });
    }
    tally(report, results, (i, path) => {
      const q = path.startsWith("answers.") ? path.slice("answers.".length) : null;
      return { row: batch[i].row, column: (q && batch[i].converted?.columnOf.get(q)) ?? q ?? path };
    });
  }

  /** The stored responses (of any survey) among these ids. */
  private async storedAmong(ids: string[]): Promise<StoredId[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom("responses").select(["id", "survey_id", "content_hash", "import_ref"]).where("id", "in", ids).execute() as Promise<StoredId[]>;
  }

  /**
   * Stores a window's rows, sorted by cell, in short transactions on the app's connection, each
   * with its rows' figures (and the job's counters); other requests go in between.
   */
  private async store(rows: CellGroups) {
    if (rows.size === 0) return;
    const pending = rows.sorted();
    const job = this.input.job;
    for (let i = 0; i < pending.length; ) {
      if (job && (await job.cancelled())) throw new ImportCancelled(this.report);
      const acc = new AggregateAccumulator();
      let j = i;
      while (j < pending.length && j - i < this.storeRows) {
        acc.add(pending[j++].input, this.rounds, 1);
        if ((j - i) % 200 === 0) await nextTick();
      }
      const batch = pending.slice(i, j);
      i = j;
      // Laid out before the transaction: inside it, only the database works.
      const inserts = await this.insertStatements(batch);
      const deltas = await deltaStatementsInTurns(acc, this.postgres, nextTick);
      const t0 = performance.now();
      await this.storeBatch(batch, inserts, deltas);
      const took = performance.now() - t0;
      this.storeRows = Math.round(Math.min(STORE_MAX_ROWS, Math.max(STORE_MIN_ROWS, batch.length * Math.min(2, Math.max(0.5, STORE_TARGET_MS / Math.max(took, 1))))));
      await nextTick();
    }
  }

  /** The batch's rows as many-row INSERTs that return the ids they stored. */
  private async insertStatements(batch: PendingRow[]): Promise<RawStatement[]> {
    const fields = importFields();
    const job = this.input.job;
    const out: RawStatement[] = [];
    const byId = inIdOrder(batch);
    for (let i = 0; i < byId.length; i += 256) {
      const rows = byId.slice(i, i + 256).map((p) => ({ ...responseRow(this.target, p.checked, p.input, fields), import_ref: job ? importRef(job.id, p.row) : null }));
      out.push(...insertStatements(this.postgres, "responses", rows, `on conflict ("id") do nothing returning "id"`));
      await nextTick();
    }
    return out;
  }

  private async storeBatch(batch: PendingRow[], inserts: RawStatement[], deltas: RawStatement[]) {
    const fields = importFields();
    const job = this.input.job;
    const { created, lost } = await this.db.transaction().execute(async (trx) => {
      const lost: { p: PendingRow; result: IngestResult }[] = [];
      const inserted = new Set<string>();
      for (const st of inserts) for (const r of (await trx.executeQuery<{ id: string }>(CompiledQuery.raw(st.sql, st.params))).rows) inserted.add(r.id);
      let created = inserted.size;
      if (inserted.size === batch.length) {
        for (const st of deltas) await trx.executeQuery(CompiledQuery.raw(st.sql, st.params));
      } else {
        // Stored by someone else since the check (a racing import or tablet): count only ours.
        const figures = new AggregateAccumulator();
        for (const p of batch) {
          if (inserted.has(p.checked.response.id)) {
            figures.add(p.input, this.rounds, 1);
            continue;
          }
          const result = await settleRace(trx, p.checked, this.input.surveyId, async (c) =>
            !!(await trx
              .insertInto("responses")
              .values({ ...responseRow(this.target, c, p.input, fields), import_ref: job ? importRef(job.id, p.row) : null })
              .onConflict((oc) => oc.column("id").doNothing())
              .returning("id")
              .executeTakeFirst()),
          );
          if (result.status === "created") {
            // Another survey's row took its id meanwhile: stored under its id in this survey.
            figures.add(p.input, this.rounds, 1);
            created += 1;
          } else lost.push({ p, result });
        }
        await writeDeltas(trx, figures);
      }
      await job?.onBatch(trx, { ...this.report, stored: (this.report.stored ?? 0) + created, valid: this.report.valid - lost.length }, created);
      return { created, lost };
    });
    this.report.stored = (this.report.stored ?? 0) + created;
    this.report.valid -= lost.length;
    tally(
      this.report,
      lost.map((l) => l.result),
      (i) => ({ row: lost[i].p.row, column: "response_id" }),
    );
  }
}

/**
 * Rows grouped by the cell they count in, as they are checked; sorted, only the distinct keys
 * are ordered, so a window never holds the thread for a long sort.
 */
class CellGroups {
  private groups = new Map<string, PendingRow[]>();
  size = 0;

  add(r: PendingRow) {
    const g = this.groups.get(r.sortKey);
    if (g) g.push(r);
    else this.groups.set(r.sortKey, [r]);
    this.size++;
  }

  /** The rows, groups in key order. */
  sorted(): PendingRow[] {
    const out: PendingRow[] = [];
    for (const k of [...this.groups.keys()].sort()) for (const r of this.groups.get(k)!) out.push(r);
    return out;
  }
}

async function importCsv(
  db: Kysely<Database>,
  input: ImportInput,
  survey: Pick<RowCheckSetup, "versions" | "defaultVersion" | "communities" | "rounds">,
  report: ImportReport,
) {
  const roundDates = (await roundsBySurvey(db, [input.surveyId])).get(input.surveyId) ?? [];
  const importer = new CsvImport(db, input, roundDates, report);
  // A resumed job: the rows up to resumeRow are in its report already (and stored).
  const resumeRow = input.job?.resumeRow ?? 0;
  const setup: RowCheckSetup = { ...survey, surveyId: input.surveyId, fileName: input.fileName, mapping: input.mapping, collectedOn: input.collectedOn ?? null, skipRows: resumeRow };
  let windowEnd = resumeRow + IMPORT_WINDOW;
  let lastRow = resumeRow;
  let columns: ColumnMatch[] | null = null;
  const resumed = Boolean(input.job?.resumeReport);
  for await (const slice of checkRows(input.stream ? input.stream() : input.text, setup)) {
    if (slice.delimiter !== undefined) report.delimiter = slice.delimiter;
    // A resumed job's report holds the notes and refusals of its first run already.
    if (slice.notes && !resumed) report.notes.push(...slice.notes);
    if (!resumed) slice.refusal?.forEach((p) => addProblem(report, p));
    if (slice.columns) {
      columns = report.columns = slice.columns;
      const hasDate = columns.some((c) => c.target?.kind === "meta" && ["collected_at", "started_at", "collected_on", "submitted_at"].includes(c.target.field));
      if (!hasDate && input.collectedOn && !resumed) report.notes.push(`The file has no date column: every row is dated ${input.collectedOn}.`);
    }
    for (const verdict of slice.rows) {
      if (verdict.row <= resumeRow) continue;
      lastRow = verdict.row;
      report.rows += 1;
      verdict.problems.forEach((p) => addProblem(report, p));
      if (!verdict.converted) report.invalid += 1;
      else await importer.add(verdict);
      if (verdict.row >= windowEnd) {
        await importer.endWindow(verdict.row);
        windowEnd = verdict.row + IMPORT_WINDOW;
      }
    }
    await importer.progress();
    await nextTick();
  }
  await importer.endWindow(lastRow);
  if (!columns) report.notes.push("The file is empty: it has no header row.");
  const unmatched = (columns ?? []).filter((c) => c.target === null);
  if (unmatched.length)
    report.notes.push(`${unmatched.length} column(s) match no question and were left out: ${unmatched.map((c) => `"${c.header}"`).join(", ")}. Map them below or leave them ignored.`);
}

function tally(report: ImportReport, results: (IngestResult | null)[], where: (i: number, path: string) => { row: number; column: string }) {
  results.forEach((r, i) => {
    if (r === null) return;
    if (r.status === "created") report.valid += 1;
    else if (r.status === "duplicate") report.duplicates += 1;
    else if (r.status === "conflict") {
      report.conflicts += 1;
      addProblem(report, { ...where(i, "response_id"), reason: "conflict", message: r.errors?.[0]?.message ?? "A different response with this id is already stored." });
    } else {
      report.invalid += 1;
      for (const e of r.errors ?? []) addProblem(report, { ...where(i, e.path), reason: reasonFor(e), message: e.message });
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
  // Sessions and refusals first, so the responses find their sessions (queue-sessions.server.ts).
  const placed = await queueSessions(db, input, body);
  report.notes.push(...placed.notes);
  const target = placed.target ?? { surveyId: input.surveyId, linkId: null, communityId: input.defaultCommunityId ?? null, roundId: input.defaultRoundId ?? null, maxResponses: null };
  for (let start = 0; start < responses.length; start += QUEUE_BATCH) {
    const slice = responses.slice(start, start + QUEUE_BATCH);
    // A tablet's queue file holds sealed answers: they are opened with the programme's key first.
    const results = await ingestOpened(db, input.programmeId, slice, (plain) => ingestInto(db, target, plain, { source: "import", dryRun: !input.commit }));
    report.rows += slice.length;
    tally(report, results, (i, path) => ({ row: start + i + 1, column: path || "(response)" }));
    await nextTick();
  }
}
