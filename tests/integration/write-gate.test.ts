// While an import's writer thread holds SQLite's write lock, the app's own writes (a tablet's
// sync, a sign-in) wait for their turn without stopping the server's thread, and nothing is lost.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqlite, type Db } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { openSqliteWriter, type SqliteWriter } from "../../db/sqlite-writer";
import { bulkTransactionOpen } from "../../db/write-gate";

const ROWS = 400_000;
// One long transaction on the writer: a few hundred thousand rows made by SQLite itself.
const bulkInsert = {
  sql: `insert into login_attempts (email, address, succeeded, at)
        with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ROWS})
        select 'bulk' || i, '10.0.0.1', 0, '2026-11-22T00:00:00.000Z' from n`,
  params: [],
};

/** Counts turns of the event loop until `promise` settles: zero means the thread was held. */
async function turnsWhile<T>(promise: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const value = await promise;
  done = true;
  return { value, turns };
}

async function whenInTransaction(file: string) {
  while (!bulkTransactionOpen(file)) await new Promise((r) => setTimeout(r, 1));
}

describe("app writes beside an import's writer thread (SQLite)", () => {
  let dir: string;
  let handle: Db;
  let writer: SqliteWriter | null = null;

  afterEach(async () => {
    await writer?.close();
    writer = null;
    await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-gate-"));
    const file = path.join(dir, "app.sqlite");
    handle = openSqlite(file);
    await migrateToLatest(handle.db, "sqlite");
    return file;
  }

  it("a lone write waits for the writer's transaction without holding the server's thread", async () => {
    const file = await open();
    writer = openSqliteWriter(file);
    const bulk = writer.transaction([bulkInsert]);
    await whenInTransaction(file);
    const { turns } = await turnsWhile(handle.db.insertInto("app_settings").values({ key: "during-import", value: "kept" }).execute());
    expect(turns).toBeGreaterThan(5);
    expect((await bulk).committed).toBe(true);
    expect(await handle.db.selectFrom("app_settings").select("value").where("key", "=", "during-import").executeTakeFirst()).toEqual({ value: "kept" });
    const n = await handle.db.selectFrom("login_attempts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(ROWS);
  });

  it("a transaction takes its turn between the writer's transactions, and the writer goes on after it", async () => {
    const file = await open();
    writer = openSqliteWriter(file);
    const first = writer.transaction([bulkInsert]);
    const second = writer.transaction([bulkInsert]); // queued behind the first: it must step back for the app
    await whenInTransaction(file);
    const { turns } = await turnsWhile(
      handle.db.transaction().execute(async (trx) => {
        const before = await trx.selectFrom("login_attempts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
        await trx.insertInto("app_settings").values({ key: "seen", value: String(before.n) }).execute();
      }),
    );
    expect(turns).toBeGreaterThan(5);
    expect((await first).committed).toBe(true);
    expect((await second).committed).toBe(true);
    // The app's transaction ran between the two: it saw the first one's rows and none of the second's.
    expect(await handle.db.selectFrom("app_settings").select("value").where("key", "=", "seen").executeTakeFirst()).toEqual({ value: String(ROWS) });
  });

  it("the app leaves WAL checkpoints to the writer's checkpointer while it is open, and takes them back after", async () => {
    const file = await open();
    const autocheckpoint = () => handle.sqlite!.pragma("wal_autocheckpoint", { simple: true });
    expect(autocheckpoint()).toBe(1000);
    writer = openSqliteWriter(file);
    expect(autocheckpoint()).toBe(0);
    await writer.close();
    writer = null;
    expect(autocheckpoint()).toBe(1000);
  });

  it("the WAL starts over during an import even while the app writes after every one of its commits", async () => {
    const file = await open();
    const walBytes = () => fs.statSync(`${file}-wal`).size;
    // Starts over past 50 frames, at the writer's next checkpoint (every 16 transactions): this
    // import writes ~60 frames (~250 KB) a transaction, 96 transactions in all.
    writer = openSqliteWriter(file, { restartFrames: 50 });
    const batch = (t: number) => ({
      sql: `insert into login_attempts (email, address, succeeded, at)
            with recursive n(i) as (select 1 union all select i + 1 from n where i < 20)
            select 'bulk-${t}-' || i || '-' || hex(randomblob(1200)), '10.0.0.1', 0, '2026-11-22T00:00:00.000Z' from n`,
      params: [],
    });
    let largest = 0;
    for (let t = 0; t < 96; t++) {
      // A sign-in with each of the import's transactions: it goes in as soon as that one commits.
      const [stored] = await Promise.all([writer.transaction([batch(t)]), handle.db.insertInto("app_settings").values({ key: `during-${t}`, value: "kept" }).execute()]);
      expect(stored.committed).toBe(true);
      largest = Math.max(largest, walBytes());
    }
    // Every frame written would be ~24 MB: the WAL holds what ~16 transactions wrote (~4 MB).
    expect(largest).toBeLessThan(6_500_000);
    const n = await handle.db.selectFrom("login_attempts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(96 * 20);
    const kept = await handle.db.selectFrom("app_settings").select((eb) => eb.fn.countAll<number>().as("n")).where("key", "like", "during-%").executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(96);
  });
});
