// Real databases for tests: a fresh SQLite file, and (when TEST_DATABASE_URL is set) a fresh
// PostgreSQL database created for the test file and dropped after it. Both get the real migrations.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe } from "vitest";
import { openPostgres, openSqlite, type Db } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import type { Dialect } from "../../db/portable";
import { TEST_DATABASE_URL } from "./environment";

export const TMP_DIR = path.resolve("tests/.tmp");

export const dialects: Dialect[] = TEST_DATABASE_URL ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDb extends Db {
  url: string;
  drop(): Promise<void>;
}

/** A statement on the PostgreSQL server outside the test's own database (create, drop, connection limits). */
export async function adminQuery(text: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export async function freshDatabase(dialect: Dialect): Promise<TestDb> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  if (dialect === "sqlite") {
    fs.mkdirSync(TMP_DIR, { recursive: true });
    const file = path.join(TMP_DIR, `${name}.sqlite`);
    const handle = openSqlite(file);
    await migrateToLatest(handle.db, "sqlite");
    return {
      ...handle,
      url: `file:${file}`,
      async drop() {
        await handle.close().catch(() => {});
        for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
      },
    };
  }
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  await adminQuery(`CREATE DATABASE ${name}`);
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  const handle = openPostgres(u.toString(), 8);
  await migrateToLatest(handle.db, "postgres");
  return {
    ...handle,
    url: u.toString(),
    async drop() {
      await handle.close().catch(() => {});
      // FORCE cannot end an autovacuum worker still on the fresh tables (that needs pg_signal_backend),
      // and the whole DROP then fails: try again while it finishes.
      for (let attempt = 1; ; attempt++) {
        try {
          await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          return;
        } catch (err) {
          if (attempt >= 10 || !/pg_signal_backend/.test(String(err))) throw err;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    },
  };
}

/** Runs the same suite once per available dialect. */
export function describeEachDatabase(title: string, suite: (dialect: Dialect) => void) {
  for (const dialect of dialects) describe(`${title} [${dialect}]`, () => suite(dialect));
}
