// A second SQLite connection in a worker thread, for bulk writes (imports).
//
// better-sqlite3 runs every statement synchronously, so on the app's own connection a bulk write
// stops the whole server while it runs: no other request is answered until its statements and
// its commit (and WAL checkpoint) are done. Here the same statements run on another thread with
// its own connection: the server keeps answering (SQLite's WAL lets readers go on beside a
// writer), and the import's parsing and checking on the main thread overlap with its writing.
// The worker knows no app code: it runs the SQL it is sent, in one transaction per message.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { RawStatement } from "./bulk-insert";
import { openGate, WRITER_TURN_SOURCE } from "./write-gate";

export interface WriterStatement extends RawStatement {
  /** Count the rows this statement changes (an INSERT … ON CONFLICT DO NOTHING stores): see `expect`. */
  count?: boolean;
}

export interface WriterResult {
  /** False when the counted statements returned fewer rows than expected: nothing was kept. */
  committed: boolean;
  counted: number;
}

export interface SqliteWriter {
  /**
   * Runs the statements in one IMMEDIATE transaction. When `expect` is given and the counted
   * statements change another number of rows, the transaction is rolled back instead (the
   * caller then takes its careful path). Throws, with nothing written, when a statement fails.
   */
  transaction(statements: WriterStatement[], expect?: number): Promise<WriterResult>;
  /**
   * Runs a query on the writer's connection and returns its rows, in turn with its transactions:
   * a read that has to fetch many pages from disk then holds up another thread, not the server's.
   */
  read<R>(statement: RawStatement): Promise<R[]>;
  close(): Promise<void>;
}

// CommonJS, evaluated as the worker's code: no file to find in source or in the build.
const WORKER_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
// Writing is background work: the server's own thread (answering requests) goes first for the
// processor from the first write on. Lookups before it (an import's check) run at full priority:
// the import waits for them.
let background = false;
function writingInBackground() {
  if (background) return;
  background = true;
  try { require("node:os").setPriority(19); } catch {}
}
const db = new Database(workerData.file);
db.pragma("journal_mode = WAL");
db.pragma("busy_timeout = 5000");
db.pragma("foreign_keys = ON");
db.pragma("synchronous = NORMAL");
db.pragma("cache_size = -32768");
// Each statement of a transaction keeps the pages it changes in a statement journal, so that it
// can be undone alone: in memory, not in a temporary file written page by page.
db.pragma("temp_store = MEMORY");
// Checkpoints are the checkpointer thread's job (below), so commits here only append to the WAL.
// Every few transactions the writer finishes the checkpoint itself (little is left to copy by
// then), and once the WAL holds RESTART_FRAMES it makes the next transaction start it over
// (restartLog), so it does not grow without end. The WAL file is then written over in place:
// every frame written past its end makes the filesystem find and zero a fresh block, which cost
// the writer a third of its time when the WAL grew by the whole import. The limit keeps the file
// at the size it reached (cutting it shorter at each restart would bring the zeroing back).
db.pragma("wal_autocheckpoint = 0");
db.pragma("journal_size_limit = 536870912");
const RESTART_FRAMES = workerData.restartFrames;
let commits = 0;
let checkpointDue = 16;
// Turns with the app's own writes (db/write-gate.ts): it steps back before a transaction while one waits.
${WRITER_TURN_SOURCE(250)}
// A transaction starts the WAL over only when every frame is in the database and no reader still
// reads from the WAL. The checkpoint after a commit copies every frame, but the app's writes that
// waited for that commit go in meanwhile, and their frames come after it: so the WAL never
// started over while the app wrote during an import. Here, in turn (the app's writes wait), a
// RESTART checkpoint copies those few frames too and sees that no reader is left in the WAL; it
// gives up at once rather than wait for one (then the next commit tries again).
function restartLog() {
  takeTurn();
  try {
    db.pragma("busy_timeout = 0");
    return db.pragma("wal_checkpoint(RESTART)")[0].busy === 0;
  } catch {
    return false;
  } finally {
    db.pragma("busy_timeout = 5000");
    endTurn();
  }
}
const pendingLists = new Map();
const statements = new Map();
function prepare(sql) {
  let s = statements.get(sql);
  if (!s) {
    s = db.prepare(sql);
    statements.set(sql, s);
    if (statements.size > 64) statements.delete(statements.keys().next().value);
  }
  return s;
}
parentPort.on("message", ({ id, statements: part, run, expect, close, read }) => {
  if (close) {
    try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
    db.close();
    process.exit(0);
  }
  if (read) {
    try {
      parentPort.postMessage({ id, rows: prepare(read.sql).all(read.params) });
    } catch (err) {
      parentPort.postMessage({ id, error: String(err && err.message || err) });
    }
    return;
  }
  // A transaction's statements arrive in several messages; the last one says run.
  const list = pendingLists.get(id) || [];
  if (part) list.push(...part);
  if (!run) {
    pendingLists.set(id, list);
    return;
  }
  pendingLists.delete(id);
  let open = false;
  writingInBackground();
  takeTurn();
  try {
    db.exec("BEGIN IMMEDIATE");
    open = true;
    let counted = 0;
    for (const st of list) {
      const s = prepare(st.sql);
      if (st.count) counted += s.run(st.params).changes;
      else s.run(st.params);
      if (expect !== undefined && st.count === undefined && counted !== expect) break;
    }
    if (expect !== undefined && counted !== expect) {
      db.exec("ROLLBACK");
      endTurn();
      parentPort.postMessage({ id, committed: false, counted });
      return;
    }
    db.exec("COMMIT");
    endTurn();
    parentPort.postMessage({ id, committed: true, counted });
    if (++commits >= checkpointDue) {
      const r = db.pragma("wal_checkpoint(PASSIVE)")[0];
      // Finished only when every frame is in the database (it gives up at once while the
      // checkpointer is at work). If not, or if the WAL is due to start over and could not,
      // the next commit tries again.
      const done = r.busy === 0 && r.log === r.checkpointed && (r.log < RESTART_FRAMES || restartLog());
      checkpointDue = commits + (done ? 16 : 1);
    }
  } catch (err) {
    if (open) try { db.exec("ROLLBACK"); } catch {}
    endTurn();
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});
`;

// Copies the WAL into the database file beside the writer, so neither the writer's commits nor
// the server's wait for it. PASSIVE: it never blocks readers or writers. Once a second: each pass
// syncs the WAL and the database file, and a page the import rewrites many times (an index page,
// a dashboard cell) is copied and synced once per pass, so more often would only add disk work.
// The writer makes a last pass when it closes, and this thread one more when told to stop, so the
// server's connection, which takes checkpoints back then, finds little to copy.
const CHECKPOINTER_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
try { require("node:os").setPriority(19); } catch {}
const db = new Database(workerData.file);
db.pragma("busy_timeout = 5000");
let timer = setTimeout(pass, 1000);
function pass() {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
  timer = setTimeout(pass, 1000);
}
parentPort.on("message", () => {
  clearTimeout(timer);
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
  db.close();
  process.exit(0);
});
`;

export interface SqliteWriterOptions {
  /** Frames in the WAL (~4 KB each) after which the writer makes it start over: ~200 MB. */
  restartFrames?: number;
}

/** Opens a writer on the SQLite file; close it when the bulk work is done. */
export function openSqliteWriter(file: string, options: SqliteWriterOptions = {}): SqliteWriter {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const checkpointer = new Worker(CHECKPOINTER_CODE, { eval: true, workerData: { file, driver } });
  checkpointer.on("error", (err) => console.error("the SQLite checkpointer stopped:", err.message));
  const checkpointerExited = new Promise<void>((resolve) => checkpointer.once("exit", () => resolve()));
  const gate = openGate(file);
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { file, driver, gate: gate.buffer, restartFrames: options.restartFrames ?? 48_000 } });
  worker.unref();
  const workerExited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  let next = 0;
  type Reply = { id: number; committed?: boolean; counted?: number; rows?: unknown[]; error?: string };
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  const failAll = (err: Error) => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on("message", (m: Reply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(m.error));
    else w.resolve(m);
  });
  const settled = () => {
    if (waiting.size === 0) worker.unref();
  };
  worker.on("error", failAll);
  worker.on("exit", (code) => {
    gate.close();
    failAll(new Error(`the SQLite writer stopped (exit code ${code})`));
  });
  return {
    transaction(statements, expect) {
      const id = next++;
      worker.ref();
      return new Promise<Reply>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        void (async () => {
          // In small messages, yielding between them: copying one big message to the worker
          // would hold this thread as long as a slow query.
          for (let i = 0; i < statements.length; i += 2) {
            worker.postMessage({ id, statements: statements.slice(i, i + 2) });
            await new Promise((r) => setImmediate(r));
          }
          worker.postMessage({ id, run: true, expect });
        })();
      })
        .then((m) => ({ committed: !!m.committed, counted: m.counted ?? 0 }))
        .finally(settled);
    },
    read<R>(statement: RawStatement) {
      const id = next++;
      worker.ref();
      return new Promise<Reply>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, read: { sql: statement.sql, params: statement.params } });
      })
        .then((m) => (m.rows ?? []) as R[])
        .finally(settled);
    },
    /** Resolves once both threads have made their last checkpoint and let go of the file. */
    close() {
      checkpointer.postMessage("stop");
      worker.ref();
      worker.postMessage({ close: true });
      return Promise.all([checkpointerExited, workerExited]).then(() => {});
    },
  };
}
