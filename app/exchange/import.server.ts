// Imports a CSV (paper data, other tools' exports, our own exports) or a tablet's saved queue into
// a survey through the same exactly-once ingest path as the sync API. A dry run reports every
// problem with its row, column and reason; the real run stores the valid rows and nothing else.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { ingestOpened } from "~/models/programme-keys.server";
import { ingestInto, responseRow, settleRace, type CheckedResponse, type IngestResult, type IngestTarget } from "~/models/responses.server";
import { verdictOf } from "~/models/response-checks";
import { getPublishedDefinition } from "~/models/surveys.server";
import { AggregateAccumulator, cellOf, deltaStatementsInTurns, roundsBySurvey, writeDeltas, type AggregateInput, type RoundDates } from "~/models/aggregates.server";
import { isoInstant, nowIso } from "~db/portable";
import { sqliteFileOf } from "~db/connect";
import { openSqliteWriter, type SqliteWriter, type WriterStatement } from "~db/sqlite-writer";
import { insertStatement, type RawStatement } from "~db/bulk-insert";
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
 * Storing: valid rows wait in memory (up to IMPORT_WINDOW of them), sorted by the dashboard cell
 * they count in, then go in transactions of at most STORE_ROWS rows whose figures touch at most
 * STORE_CELLS aggregate cells. Each transaction stores its rows *with* their figures, so the
 * dashboards never see one without the other; sorting makes neighbouring rows share cells, which
 * cuts the cells written per row from ~150 to a handful. A full window is stored while the next
 * is read and checked. The caps keep each transaction short: other writers wait for it.
 */
const IMPORT_WINDOW = Number(process.env.IMPORT_WINDOW ?? 100_000);
const STORE_ROWS = Number(process.env.IMPORT_STORE_ROWS ?? 1000);
const STORE_CELLS = Number(process.env.IMPORT_STORE_CELLS ?? 16_000);
/** Transactions handed to the writer thread at once: the one it runs and the next. */
const WRITER_QUEUE = 2;

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
    await importQueue(db, { ...input, programmeId }, version.definition, report);
    return report;
  }
  await importCsv(db, input, { versions, defaultVersion: version.version, communities, rounds }, report);
  // Row problems are found before the batch's answer checks: list them in file order.
  report.problems.sort((a, b) => a.row - b.row);
  return report;
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

const rawOf = (q: { sql: string; parameters: readonly unknown[] }): RawStatement => ({ sql: q.sql, params: [...q.parameters] });

/**
 * Rows in id order for their INSERTs: SQLite's index of response ids takes them walking forward
 * through its pages, and two PostgreSQL transactions storing some of the same ids cannot deadlock.
 */
const inIdOrder = (rows: PendingRow[]) => [...rows].sort((a, b) => (a.checked.response.id < b.checked.response.id ? -1 : a.checked.response.id > b.checked.response.id ? 1 : 0));

/** The stored fields every imported row shares; its figures go in with it. */
const importFields = () => ({ submittedAt: nowIso(), source: "import", aggregated: 1 as const });

/** The importer's state across the file: what it has seen, what waits to be stored. */
class CsvImport {
  private chunk: RowVerdict[] = [];
  /** Valid rows waiting to be stored, grouped by the dashboard cell they count in. */
  private pending = new CellGroups();
  /**
   * Ids accepted earlier in this file, so a repeated row is a duplicate (or a conflict), not a
   * second response. A real import keeps the row itself (it waits to be stored anyway) and hashes
   * its content only if the id comes again; a dry run keeps just the hash.
   */
  private seen = new Map<string, { row: number; content: string | CheckedResponse }>();
  private readonly target: IngestTarget;
  /** On SQLite, the worker-thread connection that looks up stored ids and stores batches while this thread goes on. */
  private writer: SqliteWriter | null = null;
  /** Windows being stored, one after another, while reading goes on. */
  private storing: Promise<void> = Promise.resolve();
  /** The batch being settled (its lookup answered) while the next one's lookup goes out. */
  private settling: Promise<void> = Promise.resolve();

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
  }

  /** A row checked as far as it can be without the database (row-check.ts). */
  async add(verdict: RowVerdict) {
    this.chunk.push(verdict);
    if (this.chunk.length >= CHECK_BATCH) await this.check();
  }

  async finish() {
    await this.check();
    await this.settling;
    this.storeWindow();
    await this.storing;
  }

  /** Lets the writer thread go, whatever happened. */
  async close() {
    const writer = this.writer;
    this.writer = null;
    await writer?.close();
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
    // An id already used by another survey (a file exported from one survey, imported into a copy)
    // gets an id of its own, derived from it, so the copy still holds every row exactly once.
    // One lookup serves both: the ids themselves, and the ids they would take.
    const ids = new Set<string>();
    for (const v of batch) {
      if (v.rejected) continue;
      ids.add(v.converted!.response.id);
      ids.add(v.derivedId);
    }
    // The lookup goes out now, while the batch before settles: this thread never waits for it idle.
    const lookup = this.storedAmong([...ids]);
    lookup.catch(() => {}); // awaited (and thrown) in settle
    const before = this.settling;
    this.settling = before.then(() => this.settle(batch, lookup));
    this.settling.catch(() => {}); // awaited (and thrown) by the next batch or finish()
    await before;
  }

  private async settle(batch: RowVerdict[], lookup: Promise<{ id: string; survey_id: string; content_hash: string }[]>) {
    const { input, report } = this;
    const stored = new Map<string, { survey_id: string; content_hash: string }>();
    for (const r of await lookup) stored.set(r.id, r);
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
      const verdict = verdictOf(
        response.id,
        stored.get(response.id)?.content_hash,
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
      const earlier = this.seen.get(c.response.id);
      if (earlier) {
        results[c.index] =
          (typeof earlier.content === "string" ? earlier.content : earlier.content.hash) === c.hash
            ? { id: c.response.id, status: "duplicate" }
            : { id: c.response.id, status: "conflict", errors: [{ code: "conflict", path: "", message: `Row ${earlier.row} has the same response id with other answers; only the first is kept.` }] };
        continue;
      }
      this.seen.set(c.response.id, { row: v.row, content: input.commit ? c : c.hash });
      if (!input.commit) {
        results[c.index] = { id: c.response.id, status: "created" };
        continue;
      }
      results[c.index] = null;
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
    if (this.pending.size >= IMPORT_WINDOW) this.storeWindow();
  }

  /** The stored responses (of any survey) among these ids. */
  private async storedAmong(ids: string[]): Promise<{ id: string; survey_id: string; content_hash: string }[]> {
    if (ids.length === 0) return [];
    const lookup = this.db.selectFrom("responses").select(["id", "survey_id", "content_hash"]).where("id", "in", ids);
    // On SQLite the writer's thread looks them up: a lookup that has to read from disk holds it up, not the server.
    const writer = this.openWriter();
    return writer ? writer.read(rawOf(lookup.compile())) : lookup.execute();
  }

  /** On SQLite, the writer thread (opened on first use); none on PostgreSQL. */
  private openWriter(): SqliteWriter | null {
    const file = sqliteFileOf(this.db);
    if (file && !this.writer) this.writer = openSqliteWriter(file);
    return this.writer;
  }

  /** Queues the waiting rows for storing, behind any window still being stored. */
  private storeWindow() {
    const rows = this.pending;
    this.pending = new CellGroups();
    this.storing = this.storing.then(() => this.store(rows));
    this.storing.catch(() => {}); // awaited (and thrown) in finish()
  }

  /**
   * Stores the waiting rows, sorted by cell, each transaction with its rows' figures. On SQLite
   * the next batch is prepared, and handed to the writer thread, while it stores the one before:
   * it never waits for this thread between transactions.
   */
  private async store(rows: CellGroups) {
    if (rows.size === 0) return;
    const pending = rows.sorted();
    const writer = this.openWriter();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < pending.length; ) {
      const acc = new AggregateAccumulator();
      let j = i;
      while (j < pending.length && j - i < STORE_ROWS && acc.cells < STORE_CELLS) {
        acc.add(pending[j++].input, this.rounds, 1);
        if ((j - i) % 200 === 0) await nextTick();
      }
      const batch = pending.slice(i, j);
      i = j;
      if (writer) {
        const statements = await this.bulkStatements(batch, acc);
        while (inFlight.length >= WRITER_QUEUE) await inFlight.shift();
        const stored = this.storeWithWriter(writer, batch, acc, statements);
        stored.catch(() => {}); // awaited (and thrown) below
        inFlight.push(stored);
      } else await this.storeBatch(batch, acc);
      await nextTick();
    }
    await Promise.all(inFlight);
  }

  /** The batch's rows (each INSERT counts what it stored) and then its figures, as plain SQL. */
  private async bulkStatements(batch: PendingRow[], acc: AggregateAccumulator): Promise<WriterStatement[]> {
    const fields = importFields();
    const out: WriterStatement[] = [];
    const byId = inIdOrder(batch);
    for (let i = 0; i < byId.length; i += 250) {
      const rows = byId.slice(i, i + 250).map((p) => responseRow(this.target, p.checked, p.input, fields));
      out.push({ ...insertStatement(false, "responses", rows, `on conflict ("id") do nothing`), count: true });
      await nextTick();
    }
    return [...out, ...(await deltaStatementsInTurns(acc, false, nextTick))];
  }

  private async storeWithWriter(writer: SqliteWriter, batch: PendingRow[], acc: AggregateAccumulator, statements: WriterStatement[]) {
    const result = await writer.transaction(statements, batch.length);
    if (result.committed) this.report.valid += batch.length;
    // Some ids were stored meanwhile by someone else: nothing was kept; take the careful path.
    else await this.storeBatch(batch, acc);
  }

  private async storeBatch(batch: PendingRow[], acc: AggregateAccumulator) {
    const fields = importFields();
    const { created, lost } = await this.db.transaction().execute(async (trx) => {
      const lost: { p: PendingRow; result: IngestResult }[] = [];
      const inserted = new Set<string>();
      const byId = inIdOrder(batch);
      for (let i = 0; i < byId.length; i += 100) {
        const rows = byId.slice(i, i + 100).map((p) => responseRow(this.target, p.checked, p.input, fields));
        for (const r of await trx.insertInto("responses").values(rows).onConflict((oc) => oc.column("id").doNothing()).returning("id").execute()) inserted.add(r.id);
      }
      let figures = acc;
      let created = inserted.size;
      if (inserted.size < batch.length) {
        // Stored by someone else since the check (a racing import or tablet): count only ours.
        figures = new AggregateAccumulator();
        for (const p of batch) {
          if (inserted.has(p.checked.response.id)) {
            figures.add(p.input, this.rounds, 1);
            continue;
          }
          const result = await settleRace(trx, p.checked, this.input.surveyId, async (c) =>
            !!(await trx.insertInto("responses").values(responseRow(this.target, c, p.input, fields)).onConflict((oc) => oc.column("id").doNothing()).returning("id").executeTakeFirst()),
          );
          if (result.status === "created") {
            // Another survey's row took its id meanwhile: stored under its id in this survey.
            figures.add(p.input, this.rounds, 1);
            created += 1;
          } else lost.push({ p, result });
        }
      }
      await writeDeltas(trx, figures);
      return { created, lost };
    });
    this.report.valid += created;
    tally(
      this.report,
      lost.map((l) => l.result),
      (i) => ({ row: lost[i].p.row, column: "response_id" }),
    );
  }
}

/**
 * Rows grouped by the cell they count in, as they are checked; sorted, only the distinct keys
 * are ordered, so a window of 100,000 rows never holds the thread for a long sort.
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
  const setup: RowCheckSetup = { ...survey, surveyId: input.surveyId, mapping: input.mapping, collectedOn: input.collectedOn ?? null };
  let columns: ColumnMatch[] | null = null;
  try {
    for await (const slice of checkRows(input.text, setup)) {
      if (slice.delimiter !== undefined) report.delimiter = slice.delimiter;
      if (slice.notes) report.notes.push(...slice.notes);
      slice.refusal?.forEach((p) => addProblem(report, p));
      if (slice.columns) {
        columns = report.columns = slice.columns;
        const hasDate = columns.some((c) => c.target?.kind === "meta" && ["collected_at", "started_at", "collected_on", "submitted_at"].includes(c.target.field));
        if (!hasDate && input.collectedOn) report.notes.push(`The file has no date column: every row is dated ${input.collectedOn}.`);
      }
      for (const verdict of slice.rows) {
        report.rows += 1;
        verdict.problems.forEach((p) => addProblem(report, p));
        if (!verdict.converted) report.invalid += 1;
        else await importer.add(verdict);
      }
      await nextTick();
    }
    await importer.finish();
  } finally {
    await importer.close();
  }
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
