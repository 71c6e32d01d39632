// Imports as jobs: an upload becomes a job (import_jobs) whose steps — the dry run, then, when the
// person decides, the import — the server runs one at a time per database. A server runs jobs
// only while it holds the database's one lease row (import_runner), renewed every second and in
// every storing transaction, so two servers on one PostgreSQL never run the same job; a job left
// running by a stopped or crashed server is taken up again where its last committed window ended.
import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { Database, ImportJobState, ImportJobTable } from "~db/schema";
import { fromJson, isoIn, nowIso, toJson } from "~db/portable";
import { recordAudit } from "~/models/audit.server";
import { ImportCancelled, ImportOptionError, runImport, type ImportInput, type ImportJobHooks, type ImportReport } from "./import.server";
import { deleteUploadFile, openUpload, readUpload } from "./uploads.server";

export interface ImportOptions {
  version: string;
  collectedOn: string;
  community: string;
  round: string;
  /** Hand-made column targets by column index (see match.ts parseTarget). */
  mapping: Record<number, string>;
}

export interface ImportJob {
  id: string;
  surveyId: string;
  fileName: string;
  bytes: number;
  state: ImportJobState;
  step: "dry-run" | "import" | null;
  cancelRequested: boolean;
  rowsRead: number;
  rowsValid: number;
  rowsStored: number;
  problems: number;
  /** Rows the step expects to read (an estimate during the dry run). */
  rowsExpected: number;
  options: ImportOptions;
  /** The dry run's report until the import ends, then the import's (or what was stored until it stopped). */
  report: ImportReport | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

/** Waiting for the server, or being run by it. */
export const ACTIVE_STATES: ImportJobState[] = ["dry_run_queued", "checking", "import_queued", "importing"];
const FINISHED_STATES: ImportJobState[] = ["done", "failed", "cancelled", "discarded"];

const LEASE_MS = 3000;
/** A dry run nobody decided on for this long is discarded, and its file deleted. */
const UNDECIDED_MS = 7 * 24 * 3600_000;

/** This server no longer holds the lease (it stalled past it): the server that took it runs the job on. */
/** The server is stopping: the job stays as it is, and the next start resumes it. */
class RunnerStopped extends Error {}

class LeaseLost extends Error {
  constructor() {
    super("another server took over the import jobs");
  }
}
const RENEW_MS = 1000;

type JobRow = Selectable<ImportJobTable>;

function toJob(r: JobRow): ImportJob {
  const step = r.state === "dry_run_queued" || r.state === "checking" ? "dry-run" : r.state === "import_queued" || r.state === "importing" ? "import" : null;
  return {
    id: r.id,
    surveyId: r.survey_id,
    fileName: r.file_name,
    bytes: r.bytes,
    state: r.state,
    step,
    cancelRequested: r.cancel_requested === 1,
    rowsRead: r.rows_read,
    rowsValid: r.rows_valid,
    rowsStored: r.rows_stored,
    problems: r.problems,
    rowsExpected: r.rows_expected,
    options: fromJson<ImportOptions>(r.options)!,
    report: fromJson<ImportReport>(r.report),
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/** Refuses a default community or round that is not the survey's programme's: nothing is queued. */
export async function checkImportOptions(db: Kysely<Database>, programmeId: string, options: ImportOptions): Promise<void> {
  if (options.community) {
    const c = await db.selectFrom("communities").select("id").where("id", "=", options.community).where("programme_id", "=", programmeId).executeTakeFirst();
    if (!c) throw new ImportOptionError("defaultCommunityId", "Community (rows without one): choose one of this programme's communities.");
  }
  if (options.round) {
    const r = await db.selectFrom("rounds").select("id").where("id", "=", options.round).where("programme_id", "=", programmeId).executeTakeFirst();
    if (!r) throw new ImportOptionError("defaultRoundId", "Round (rows without one): choose one of this programme's rounds.");
  }
}

/** A new job for an uploaded file: its dry run is queued at once. */
export async function createImportJob(
  db: Kysely<Database>,
  input: { surveyId: string; programmeId: string; userId: string; file: { key: string; fileName: string; bytes: number }; options: ImportOptions },
): Promise<string> {
  const id = randomUUID();
  const now = nowIso();
  await db
    .insertInto("import_jobs")
    .values({
      id,
      survey_id: input.surveyId,
      programme_id: input.programmeId,
      user_id: input.userId,
      file_name: input.file.fileName,
      file_key: input.file.key,
      bytes: input.file.bytes,
      encoding: "utf-8",
      options: toJson(input.options),
      state: "dry_run_queued",
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** One of this person's jobs for this survey; nobody else's. */
export async function getImportJob(db: Kysely<Database>, userId: string, surveyId: string, jobId: string): Promise<ImportJob | null> {
  const r = await db.selectFrom("import_jobs").selectAll().where("id", "=", jobId).where("user_id", "=", userId).where("survey_id", "=", surveyId).executeTakeFirst();
  return r ? toJob(r) : null;
}

/** This person's latest job for this survey that still has something to show (not discarded). */
export async function latestImportJob(db: Kysely<Database>, userId: string, surveyId: string): Promise<ImportJob | null> {
  const r = await db
    .selectFrom("import_jobs")
    .selectAll()
    .where("user_id", "=", userId)
    .where("survey_id", "=", surveyId)
    .where("state", "!=", "discarded")
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return r ? toJob(r) : null;
}

/** After the dry run, the person's decision: import, or check again with other options. False if the job was not waiting for one. */
export async function decideImportJob(db: Kysely<Database>, userId: string, surveyId: string, jobId: string, decision: "import" | "dry-run", options: ImportOptions): Promise<boolean> {
  const r = await db
    .updateTable("import_jobs")
    .set({
      state: decision === "import" ? "import_queued" : "dry_run_queued",
      options: toJson(options),
      rows_read: 0,
      rows_valid: 0,
      rows_stored: 0,
      problems: 0,
      resume_row: 0,
      resume_report: null,
      updated_at: nowIso(),
    })
    .where("id", "=", jobId)
    .where("user_id", "=", userId)
    .where("survey_id", "=", surveyId)
    .where("state", "=", "checked")
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/**
 * Cancels a job: one still queued stops at once; a running one before its next transaction
 * (what it stored stays, and its report says so). False if it was not this person's or not active.
 */
export async function cancelImportJob(db: Kysely<Database>, userId: string, surveyId: string, jobId: string): Promise<boolean> {
  const queued = await finishJob(db, jobId, "cancelled", async (trx) => {
    const r = await trx
      .updateTable("import_jobs")
      .set({ state: "cancelled", cancel_requested: 1, finished_at: nowIso(), updated_at: nowIso() })
      .where("id", "=", jobId)
      .where("user_id", "=", userId)
      .where("survey_id", "=", surveyId)
      .where("state", "in", ["dry_run_queued", "import_queued"])
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  });
  if (queued) return true;
  const running = await db
    .updateTable("import_jobs")
    .set({ cancel_requested: 1 })
    .where("id", "=", jobId)
    .where("user_id", "=", userId)
    .where("survey_id", "=", surveyId)
    .where("state", "in", ["checking", "importing"])
    .executeTakeFirst();
  return running.numUpdatedRows === 1n;
}

/**
 * The person is done with a job: after a dry run, nothing is imported (the file is deleted and the
 * audit log says so); after an import, a failure or a cancel, it leaves the page (its entry is written already).
 */
export async function discardImportJob(db: Kysely<Database>, userId: string, surveyId: string, jobId: string): Promise<boolean> {
  const job = await db.selectFrom("import_jobs").select("state").where("id", "=", jobId).where("user_id", "=", userId).where("survey_id", "=", surveyId).executeTakeFirst();
  if (!job || !["checked", "failed", "done", "cancelled"].includes(job.state)) return false;
  const discard = async (q: Kysely<Database> | Transaction<Database>) => {
    const r = await q
      .updateTable("import_jobs")
      .set({ state: "discarded", finished_at: job.state === "checked" ? nowIso() : undefined, updated_at: nowIso() })
      .where("id", "=", jobId)
      .where("state", "=", job.state)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  };
  // After a dry run, discarding is how the job ends (with its entry); otherwise it has one already.
  return job.state === "checked" ? finishJob(db, jobId, "discarded", discard) : discard(db);
}

/** Discards dry runs left undecided for a week (their files would otherwise stay on disk). */
export async function sweepUndecidedJobs(db: Kysely<Database>): Promise<number> {
  const old = await db.selectFrom("import_jobs").select("id").where("state", "=", "checked").where("updated_at", "<", isoIn(-UNDECIDED_MS)).execute();
  let n = 0;
  for (const { id } of old) {
    const swept = await finishJob(db, id, "discarded", async (trx) => {
      const r = await trx.updateTable("import_jobs").set({ state: "discarded", finished_at: nowIso(), updated_at: nowIso() }).where("id", "=", id).where("state", "=", "checked").executeTakeFirst();
      return r.numUpdatedRows === 1n;
    });
    if (swept) n++;
  }
  return n;
}

/**
 * Ends a job: `end` moves its state (false when it was not in a state to end), and the audit entry
 * saying how it ended is written in the same transaction, so no job ends without one. The file goes
 * once that is committed.
 */
async function finishJob(
  db: Kysely<Database>,
  jobId: string,
  how: "done" | "failed" | "cancelled" | "discarded",
  end: (trx: Transaction<Database>) => Promise<boolean>,
): Promise<boolean> {
  const fileKey = await db.transaction().execute(async (trx) => {
    if (!(await end(trx))) return null;
    const job = await trx.selectFrom("import_jobs").selectAll().where("id", "=", jobId).executeTakeFirstOrThrow();
    // A dry run that was discarded leaves its entry too: who looked at which file, and what it held.
    const actor = await trx.selectFrom("users").select(["id", "display_name as displayName", "email"]).where("id", "=", job.user_id).executeTakeFirst();
    const report = fromJson<ImportReport>(job.report);
    await recordAudit(trx, actor ?? null, {
      action: how === "done" ? "import.responses" : `import.${how}`,
      programmeId: job.programme_id,
      surveyId: job.survey_id,
      target: `file "${job.file_name}"`,
      details: {
        job: job.id,
        format: report?.format ?? null,
        rows: job.rows_read,
        created: job.rows_stored,
        duplicates: report?.duplicates ?? 0,
        conflicts: report?.conflicts ?? 0,
        invalid: report?.invalid ?? 0,
        ...(job.error ? { error: job.error } : {}),
      },
    });
    return job.file_key;
  });
  if (fileKey === null) return false;
  deleteUploadFile(fileKey);
  return true;
}

export interface ImportRunner {
  /** Look for work now (after a job was queued). */
  wake(): void;
  /** Stops taking jobs and waits for the one running to reach a stop. */
  stop(): Promise<void>;
}

// The runners of this process, shared by every copy of this module (the server's, the built routes').
const RUNNERS = Symbol.for("sps.importRunners");
const runners = ((globalThis as Record<symbol, unknown>)[RUNNERS] ??= new Set<ImportRunner>()) as Set<ImportRunner>;

/** Tells this process's runners a job was queued (other servers find it on their next look). */
export function wakeImportRunners(): void {
  for (const r of runners) r.wake();
}

/** Runs the database's import jobs in this server while it holds the lease. */
export function startImportRunner(db: Kysely<Database>, pollMs = 500): ImportRunner {
  const me = randomUUID();
  let running: Promise<void> | null = null;
  let stopped = false;
  let ticking = false;
  let swept = 0;

  const takeLease = async (trx: Kysely<Database> | Transaction<Database> = db) => {
    const now = nowIso();
    const r = await trx
      .updateTable("import_runner")
      .set({ holder: me, expires_at: isoIn(LEASE_MS) })
      .where("id", "=", 1)
      .where((eb) => eb.or([eb("holder", "=", me), eb("holder", "is", null), eb("expires_at", "<", now)]))
      .executeTakeFirst();
    return r.numUpdatedRows === 1n;
  };
  /** Inside a storing transaction: renews the lease, or throws (and rolls back) if another server holds it. */
  const fence = async (trx: Transaction<Database>) => {
    const r = await trx.updateTable("import_runner").set({ expires_at: isoIn(LEASE_MS) }).where("id", "=", 1).where("holder", "=", me).executeTakeFirst();
    if (r.numUpdatedRows !== 1n) throw new LeaseLost();
  };
  const releaseLease = () => db.updateTable("import_runner").set({ holder: null, expires_at: nowIso() }).where("id", "=", 1).where("holder", "=", me).execute();

  async function claim(): Promise<JobRow | null> {
    // Holding the lease, a job marked running is one a stopped server left: resumed first.
    const next = await db
      .selectFrom("import_jobs")
      .selectAll()
      .where("state", "in", ["checking", "importing", "dry_run_queued", "import_queued"])
      .orderBy(sql`case when state in ('checking', 'importing') then 0 else 1 end`)
      .orderBy("created_at")
      .limit(1)
      .executeTakeFirst();
    if (!next) return null;
    const to: ImportJobState = next.state === "dry_run_queued" || next.state === "checking" ? "checking" : "importing";
    const r = await db
      .updateTable("import_jobs")
      .set({ state: to, started_at: nowIso(), updated_at: nowIso() })
      .where("id", "=", next.id)
      .where("state", "=", next.state)
      .executeTakeFirst();
    return r.numUpdatedRows === 1n ? { ...next, state: to } : null;
  }

  async function tick() {
    if (ticking || running || stopped) return;
    ticking = true;
    try {
      if (Date.now() - swept > 3600_000) {
        swept = Date.now();
        await sweepUndecidedJobs(db);
      }
      const work = await db.selectFrom("import_jobs").select("id").where("state", "in", ACTIVE_STATES).limit(1).executeTakeFirst();
      if (!work || !(await takeLease())) return;
      const job = await claim();
      if (!job) {
        await releaseLease();
        return;
      }
      const renew = setInterval(() => void takeLease().catch(() => {}), RENEW_MS);
      renew.unref();
      running = runJob(db, job, fence, () => stopped)
        .catch((err) => console.error(`import job ${job.id}:`, err))
        .finally(() => {
          clearInterval(renew);
          running = null;
          if (!stopped) setImmediate(() => void tick());
        });
    } catch (err) {
      if (!stopped) console.error("import jobs:", err instanceof Error ? err.message : err);
    } finally {
      ticking = false;
    }
  }

  const timer = setInterval(() => void tick(), pollMs);
  timer.unref();
  setImmediate(() => void tick());
  const runner: ImportRunner = {
    wake: () => setImmediate(() => void tick()),
    async stop() {
      runners.delete(runner);
      stopped = true;
      clearInterval(timer);
      await running;
      await releaseLease().catch(() => {});
    },
  };
  runners.add(runner);
  return runner;
}

/** Runs the job's current step to its end (or its stop), and records how it ended. */
async function runJob(db: Kysely<Database>, job: JobRow, fence: (trx: Transaction<Database>) => Promise<void>, stopping: () => boolean) {
  const commit = job.state === "importing";
  const options = fromJson<ImportOptions>(job.options)!;
  const cancelled = async () => {
    if (stopping()) throw new RunnerStopped();
    return (await db.selectFrom("import_jobs").select("cancel_requested").where("id", "=", job.id).executeTakeFirstOrThrow()).cancel_requested === 1;
  };
  const counters = (report: ImportReport) => ({
    rows_read: report.rows,
    rows_valid: report.valid,
    rows_stored: report.stored ?? 0,
    problems: report.invalid + report.conflicts,
    updated_at: nowIso(),
  });
  let stage = "reading the file";
  try {
    const opened = await openUpload(job.file_key);
    const queueFile = /^\s*[[{]/.test(opened.head);
    // A tablet's queue file is one JSON document, read whole; a CSV is read from disk in pieces.
    const source = queueFile
      ? readUpload(job.file_key)
      : { text: opened.head, encoding: opened.encoding, bom: opened.bom, stream: opened.pieces };
    if (!commit) {
      // Rows to expect, for the progress bar: the file's size over the size of its first rows.
      const lines = opened.head.split("\n").length - 1;
      const headBytes = Buffer.byteLength(opened.head);
      const expected = lines > 1 && headBytes < opened.bytes ? Math.round((opened.bytes / headBytes) * lines) - 1 : Math.max(1, lines - 1);
      await db.updateTable("import_jobs").set({ encoding: opened.encoding, bom: opened.bom ? 1 : 0, rows_expected: Math.max(1, expected) }).where("id", "=", job.id).execute();
    }
    const hooks: ImportJobHooks = {
      id: job.id,
      resumeRow: commit ? job.resume_row : 0,
      resumeReport: commit ? fromJson<ImportReport>(job.resume_report) : null,
      async onBatch(trx, report) {
        await fence(trx);
        await trx.updateTable("import_jobs").set(counters(report)).where("id", "=", job.id).execute();
      },
      async onWindow(row, report) {
        await db.updateTable("import_jobs").set({ resume_row: row, resume_report: toJson(report), ...counters(report) }).where("id", "=", job.id).execute();
      },
      async onProgress(report) {
        if (await cancelled()) throw new ImportCancelled(report);
        await db.updateTable("import_jobs").set(counters(report)).where("id", "=", job.id).execute();
      },
      cancelled,
    };
    const input: ImportInput = {
      surveyId: job.survey_id,
      programmeId: job.programme_id,
      fileName: job.file_name,
      ...source,
      version: options.version ? Number(options.version) : undefined,
      mapping: options.mapping,
      collectedOn: options.collectedOn || null,
      defaultCommunityId: options.community || null,
      defaultRoundId: options.round || null,
      commit,
      job: hooks,
    };
    stage = commit ? "importing" : "checking the file";
    const report = await runImport(db, input);
    report.stored = report.stored ?? 0;
    const end = nowIso();
    if (!commit) {
      await db
        .updateTable("import_jobs")
        .set({ state: "checked", report: toJson(report), ...counters(report), rows_expected: report.rows, updated_at: end })
        .where("id", "=", job.id)
        .execute();
      return;
    }
    await finishJob(db, job.id, "done", async (trx) => {
      await trx.updateTable("import_jobs").set({ state: "done", report: toJson(report), ...counters(report), finished_at: end }).where("id", "=", job.id).execute();
      return true;
    });
  } catch (err) {
    if (err instanceof LeaseLost || err instanceof RunnerStopped) return;
    if (err instanceof ImportCancelled) {
      const report = err.report;
      if (commit) report.notes.push(`Cancelled: the ${report.stored ?? 0} row(s) stored before the cancel stay stored, with their dashboard figures.`);
      await finishJob(db, job.id, "cancelled", async (trx) => {
        await trx.updateTable("import_jobs").set({ state: "cancelled", report: toJson(report), ...counters(report), finished_at: nowIso() }).where("id", "=", job.id).execute();
        return true;
      });
      return;
    }
    const message = err instanceof ImportOptionError ? err.message : `The import stopped while ${stage}: ${err instanceof Error ? err.message : String(err)}`;
    if (!(err instanceof ImportOptionError)) console.error(`import job ${job.id} failed:`, err);
    await finishJob(db, job.id, "failed", async (trx) => {
      await trx.updateTable("import_jobs").set({ state: "failed", error: message, finished_at: nowIso(), updated_at: nowIso() }).where("id", "=", job.id).execute();
      return true;
    });
  }
}

export const isFinished = (state: ImportJobState) => FINISHED_STATES.includes(state);
