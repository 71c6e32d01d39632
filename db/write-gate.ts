// Turns at SQLite's one write lock between a bulk writer thread (db/sqlite-writer.ts) and the
// app's own connection, so that the app's writes never block its thread.
//
// better-sqlite3 waits for a lock synchronously: an app write that finds the bulk writer inside a
// transaction would stop the whole server until the lock is free, and the bulk writer, starting
// its next transaction at once, could keep it waiting for several. Instead, an app write first
// says it wants a turn and waits *asynchronously* until the bulk writer is between transactions;
// the bulk writer, before each transaction, steps back while any app write wants its turn. The
// two share a few integers (a SharedArrayBuffer) and use Atomics, which order them: either the
// app sees the writer inside a transaction and waits, or the writer sees the app waiting and
// steps back.
//
// While a bulk writer is open, the app's connection also leaves WAL checkpoints to the writer's
// checkpointer thread: a checkpoint on a commit of the app would copy (and sync) on its thread.

/** Slots of a gate: app writes waiting for or holding a turn, and whether the writer is in a transaction. */
export const GATE_WANT = 0;
export const GATE_BUSY = 1;

/** The longest an app write waits for its turn before going ahead (SQLite's busy timeout then applies). */
const APP_WAIT_MS = 5000;

interface AppHandle {
  pragma(source: string): unknown;
}

const gates = new Map<string, Set<Int32Array>>();
const appHandles = new Map<string, Set<AppHandle>>();

/** A new gate for a bulk writer on `file`; the writer thread gets its buffer. Close it when done. */
export function openGate(file: string): { buffer: SharedArrayBuffer; close(): void } {
  const buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const gate = new Int32Array(buffer);
  let set = gates.get(file);
  if (!set) gates.set(file, (set = new Set()));
  set.add(gate);
  if (set.size === 1) for (const h of appHandles.get(file) ?? []) h.pragma("wal_autocheckpoint = 0");
  return {
    buffer,
    close() {
      if (!set.delete(gate)) return;
      if (set.size > 0) return;
      gates.delete(file);
      for (const h of appHandles.get(file) ?? []) h.pragma("wal_autocheckpoint = 1000");
    },
  };
}

/** The app's connection to `file`, whose checkpoints pause while a bulk writer works. */
export function registerAppHandle(file: string, handle: AppHandle): () => void {
  let set = appHandles.get(file);
  if (!set) appHandles.set(file, (set = new Set()));
  set.add(handle);
  if (gates.get(file)?.size) handle.pragma("wal_autocheckpoint = 0");
  return () => {
    set.delete(handle);
    if (set.size === 0) appHandles.delete(file);
  };
}

/** Whether a bulk writer on `file` is inside a transaction right now. */
export function bulkTransactionOpen(file: string): boolean {
  for (const g of gates.get(file) ?? []) if (Atomics.load(g, GATE_BUSY) === 1) return true;
  return false;
}

/** Whether a bulk writer is working on `file` (app writes then take turns). */
export function bulkWriting(file: string): boolean {
  return (gates.get(file)?.size ?? 0) > 0;
}

type WaitAsync = (array: Int32Array, index: number, value: number, timeout: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Waits, without blocking the thread, until every bulk writer on `file` is between transactions
 * and holds back. Call the returned function when the app's write is committed or rolled back.
 */
export async function appWriteTurn(file: string): Promise<() => void> {
  const held = [...(gates.get(file) ?? [])];
  if (held.length === 0) return () => {};
  for (const g of held) Atomics.add(g, GATE_WANT, 1);
  const until = Date.now() + APP_WAIT_MS;
  for (const g of held) {
    while (Atomics.load(g, GATE_BUSY) === 1 && Date.now() < until) {
      const w = waitAsync(g, GATE_BUSY, 1, 20);
      if (w.async) await w.value;
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const g of held) {
      Atomics.sub(g, GATE_WANT, 1);
      Atomics.notify(g, GATE_WANT);
    }
  };
}

/**
 * The bulk writer's side, as source for its thread (it runs plain evaluated code): `takeTurn()`
 * before each transaction, `endTurn()` after it. It steps back for at most `maxWaitMs` per
 * transaction, so a busy app cannot stop an import.
 */
export const WRITER_TURN_SOURCE = (maxWaitMs: number) => `
const gate = new Int32Array(workerData.gate);
function takeTurn() {
  const until = Date.now() + ${maxWaitMs};
  for (;;) {
    Atomics.store(gate, ${GATE_BUSY}, 1);
    const want = Atomics.load(gate, ${GATE_WANT});
    if (want === 0 || Date.now() >= until) return;
    Atomics.store(gate, ${GATE_BUSY}, 0);
    Atomics.notify(gate, ${GATE_BUSY});
    Atomics.wait(gate, ${GATE_WANT}, want, 10);
  }
}
function endTurn() {
  Atomics.store(gate, ${GATE_BUSY}, 0);
  Atomics.notify(gate, ${GATE_BUSY});
}
`;
