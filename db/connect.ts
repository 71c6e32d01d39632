// Opens the database named by DATABASE_URL: unset or file:<path> → SQLite (better-sqlite3, WAL),
// postgres://… → PostgreSQL (pg). Counts and bigints come back as JavaScript numbers on both.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql, type Driver, type SqliteDialectConfig } from "kysely";
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
  // Every commit is on disk before the app says so (a tablet drops what the sync API acknowledged):
  // in WAL mode FULL syncs the log at each commit, NORMAL only at checkpoints (a power cut could
  // roll back the last commits). See the README's "What each database promises".
  handle.pragma("synchronous = FULL");
  // 32 MB of page cache (the default is 2 MB): the aggregate tables and the responses' id index
  // are written at random places, and a cache that holds them keeps imports and folds fast.
  handle.pragma("cache_size = -32768");
  const statements = withStatementCache(handle);
  const resolved = file === ":memory:" ? null : path.resolve(file);
  const db = new Kysely<Database>({ dialect: new AppSqliteDialect({ database: statements }, handle) });
  if (resolved) sqliteFiles.set(db, resolved);
  return {
    db,
    dialect: "sqlite",
    location: file,
    sqlite: handle,
    close: () => db.destroy(),
  };
}

/**
 * Two changes to how Kysely's SQLite driver runs transactions:
 * - They begin IMMEDIATE, taking the write lock at once: a transaction that read first and wrote later
 *   would find its snapshot stale once another connection (another server process on the same file)
 *   had written, and fail at once with SQLITE_BUSY, where one that begins IMMEDIATE waits its turn
 *   (busy_timeout).
 * - SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR…): a ROLLBACK
 *   then fails with "no transaction is active", and Kysely would throw that instead of the error that
 *   caused it. Nothing is left to roll back, so nothing is run.
 */
class AppSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly handle: SQLite.Database,
  ) {
    super(config);
  }

  createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    };
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      if (this.handle.inTransaction) await rollback(connection);
    };
    return driver;
  }
}

const sqliteFiles = new WeakMap<Kysely<Database>, string>();
/** The file behind a SQLite database opened here (none for PostgreSQL or :memory:). */
export function sqliteFileOf(db: Kysely<Database>): string | undefined {
  return sqliteFiles.get(db);
}

/**
 * better-sqlite3 for Kysely, keeping prepared statements for reuse. Kysely prepares every query
 * afresh, and preparing a many-row INSERT costs about as much as running it; the same texts come
 * back all the time (the query builder's output is stable), so the most recent ones are kept.
 */
export function withStatementCache(handle: SQLite.Database, size = 256) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => handle.close(),
    prepare(sqlText: string): SQLite.Statement {
      let statement = cache.get(sqlText);
      if (statement) cache.delete(sqlText); // re-inserted below: most recent last
      // A statement still being iterated (a streamed query) cannot be run again meanwhile.
      if (!statement || statement.busy) statement = handle.prepare(sqlText);
      cache.set(sqlText, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/**
 * A ROLLBACK that fails (the connection that broke the transaction is gone) is logged, not thrown,
 * so the error that broke the transaction is the one the caller sees and the log names.
 */
class KeepCausePostgresDialect extends PostgresDialect {
  createDriver(): Driver {
    const driver = super.createDriver();
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection) => {
      try {
        await rollback(connection);
      } catch (err) {
        console.error(`rollback failed after an error (the error that caused it follows): ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    return driver;
  }
}

export function openPostgres(url: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its server must not crash the process.
  pool.on("error", (err) => console.error("postgres pool error:", err.message));
  const db = new Kysely<Database>({ dialect: new KeepCausePostgresDialect({ pool }) });
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
