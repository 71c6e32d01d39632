// Opens the database named by DATABASE_URL: unset or file:<path> → SQLite (better-sqlite3, WAL),
// postgres://… → PostgreSQL (pg). Counts and bigints come back as JavaScript numbers on both.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import type { Database } from "./schema";
import type { Dialect } from "./portable";
import { migrateToLatest } from "./migrate";

export const DEFAULT_SQLITE_PATH = "data/app.sqlite";

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, without credentials: a file path or host/database. */
  location: string;
  /** The raw better-sqlite3 handle (SQLite only): used for online backups. */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// int8 (COUNT(*), SUM over integers) and numeric come back as strings from pg by default.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export function describeDatabaseUrl(url: string | undefined): { dialect: Dialect; target: string } {
  if (!url || url.trim() === "") return { dialect: "sqlite", target: DEFAULT_SQLITE_PATH };
  if (url.startsWith("file:")) return { dialect: "sqlite", target: url.slice("file:".length) };
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: "postgres", target: url };
  throw new Error(
    `DATABASE_URL must be empty, file:<path> or postgres://…; got "${url.split(":")[0]}:…"`,
  );
}

export function openSqlite(file: string): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma("journal_mode = WAL");
  handle.pragma("busy_timeout = 5000");
  handle.pragma("foreign_keys = ON");
  handle.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    db,
    dialect: "sqlite",
    location: file,
    sqlite: handle,
    close: () => db.destroy(),
  };
}

export function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its server must not crash the process.
  pool.on("error", (err) => console.error("postgres pool error:", err.message));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return {
    db,
    dialect: "postgres",
    location: `${u.hostname}:${u.port || 5432}${u.pathname}`,
    close: () => db.destroy(),
  };
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(url = process.env.DATABASE_URL): Promise<Db> {
  const { dialect, target } = describeDatabaseUrl(url);
  const handle = dialect === "sqlite" ? openSqlite(target) : openPostgres(target);
  await migrateToLatest(handle.db, handle.dialect);
  return handle;
}

export async function ping(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
