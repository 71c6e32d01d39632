// Runs the one set of migrations on either dialect. Kysely cannot tell migrations which dialect
// they run on, so each migration is a function of the dialect.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { Dialect } from "./portable";
import { migrations } from "./migrations";

class DialectMigrationProvider implements MigrationProvider {
  constructor(private dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, make] of Object.entries(migrations)) out[name] = make(this.dialect);
    return out;
  }
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<void> {
  return migrateUpTo(db, dialect);
}

/** Up to (and including) the named migration, or the latest: tests start from an older schema with it. */
export async function migrateUpTo(db: Kysely<any>, dialect: Dialect, name?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new DialectMigrationProvider(dialect) });
  const { error, results } = name ? await migrator.migrateTo(name) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(
      `migration ${failed?.migrationName ?? ""} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
