// `npm run backup [-- --out <file>]`: a consistent copy of the SQLite database while the app keeps
// serving, through SQLite's online backup API. PostgreSQL is backed up with pg_dump instead.
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { describeDatabaseUrl } from "~db/connect";

export async function backupSqlite(source: string, out: string): Promise<string> {
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}.`);
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  // A separate read-only connection: the serving process keeps writing while pages are copied,
  // and SQLite restarts the copy of any page changed meanwhile, so the file is one moment in time.
  const db = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(out);
  } finally {
    db.close();
  }
  return out;
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const { dialect, target } = describeDatabaseUrl(process.env.DATABASE_URL);
  if (dialect === "postgres") {
    console.error(
      "npm run backup copies the SQLite database only. On PostgreSQL use pg_dump, for example:\n" +
        "  pg_dump --format=custom --file=backups/app-$(date -u +%Y%m%dT%H%M%SZ).dump \"$DATABASE_URL\"\n" +
        "and restore with pg_restore --clean --dbname=<database> <file>.",
    );
    process.exit(2);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const out = argValue("--out") ?? path.join("backups", `app-${stamp}.sqlite`);
  await backupSqlite(target, out);
  console.log(out);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "")) {
  main().catch((err) => {
    console.error(`Backup failed: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
