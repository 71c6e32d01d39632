// A scratch PostgreSQL database for a bench's PostgreSQL figures, on the server BENCH_DATABASE_URL (or
// TEST_DATABASE_URL) names: created, migrated, handed to `run`, then dropped. Without a server, or
// when the PostgreSQL part fails, it says so and returns no figures, so the SQLite ones still count.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openPostgres, type Db } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import type { Figure } from "./measure";

export async function onScratchPostgres(label: string, run: (handle: Db) => Promise<Figure[]>): Promise<Figure[]> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    console.error(`${label} on PostgreSQL skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server where the role may CREATE DATABASE`);
    return [];
  }
  const name = `bench_${randomBytes(4).toString("hex")}`;
  const admin = async (q: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(q);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const handle = openPostgres(u.toString(), 4);
  try {
    await migrateToLatest(handle.db, "postgres");
    return await run(handle);
  } catch (err) {
    console.error(`${label} on PostgreSQL failed: ${err instanceof Error ? err.message : err}`);
    return [];
  } finally {
    await handle.close();
    // Autovacuum may still be working on the fresh tables (FORCE cannot end it without
    // pg_signal_backend): retry a few times, and never lose the figures over a scratch database.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin(`DROP DATABASE IF EXISTS ${name}`);
        break;
      } catch (err) {
        if (attempt >= 10) {
          console.error(`could not drop the scratch database ${name}: ${err instanceof Error ? err.message : err}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
  }
}
