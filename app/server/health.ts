// GET /healthz: can the app read, can it write, and (SQLite) how much disk is left. Each check
// says what failed, so a monitor (or a person) sees "writes: SQLITE_FULL: database or disk is full".
import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type { Db } from "~db/connect";
import { sqliteFileOf } from "~db/connect";
import { describeFailure } from "./failures";

/** Below this much free space a SQLite server is reported failing before writes start to fail. */
export const MIN_FREE_BYTES = 1024 * 1024;

export interface Check {
  ok: boolean;
  error?: string;
  freeBytes?: number;
}

export interface HealthReport {
  status: "ok" | "unavailable";
  database: string;
  checks: Record<string, Check>;
  /** The names of the checks that failed. */
  failing?: string[];
}

async function check(run: () => Promise<Partial<Check> | void>): Promise<Check> {
  try {
    return { ok: true, ...(await run()) };
  } catch (err) {
    return { ok: false, error: describeFailure(err) };
  }
}

export async function healthReport(database: Db): Promise<HealthReport> {
  const { db } = database;
  const checks: Record<string, Check> = {};
  checks.database = await check(async () => void (await sql`select 1`.execute(db)));
  // A real, tiny write: a full disk or a read-only database fails here, where `select 1` passes.
  checks.writes = await check(async () => {
    const value = new Date().toISOString();
    await db
      .insertInto("app_settings")
      .values({ key: "health.last_write", value })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
      .execute();
  });
  const file = sqliteFileOf(db);
  if (file) {
    checks.disk = await check(async () => {
      const stats = await fs.statfs(path.dirname(file));
      const freeBytes = stats.bavail * stats.bsize;
      if (freeBytes < MIN_FREE_BYTES) return { ok: false, freeBytes, error: `only ${freeBytes} bytes free beside the database` };
      return { freeBytes };
    });
  }
  const failing = Object.entries(checks).filter(([, c]) => !c.ok).map(([name]) => name);
  return { status: failing.length ? "unavailable" : "ok", database: database.dialect, checks, ...(failing.length ? { failing } : {}) };
}
