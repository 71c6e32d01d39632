import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Surveys with a working draft and immutable published versions, and a programme's rounds.
 * Published versions are protected by triggers, so no code path — app, script or a hand-written
 * UPDATE — can change the definition a response points at.
 */
export function m0002_surveys_and_rounds(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("surveys")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("programme_id", "text", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in ('open','closed')`))
        .addColumn("draft_definition", "text")
        .addColumn("draft_updated_at", "text")
        .addColumn("draft_updated_by", "text")
        .addColumn("latest_version", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("surveys_programme").on("surveys").column("programme_id").execute();

      await db.schema
        .createTable("survey_versions")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("definition", "text", (c) => c.notNull())
        .addColumn("published_by", "text", (c) => c.notNull())
        .addColumn("published_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("survey_versions_pk", ["survey_id", "version"])
        .execute();

      if (dialect === "sqlite") {
        await sql`CREATE TRIGGER survey_versions_no_update BEFORE UPDATE ON survey_versions
          BEGIN SELECT RAISE(ABORT, 'a published survey version cannot change'); END`.execute(db);
        await sql`CREATE TRIGGER survey_versions_no_delete BEFORE DELETE ON survey_versions
          BEGIN SELECT RAISE(ABORT, 'a published survey version cannot be deleted'); END`.execute(db);
      } else {
        await sql`CREATE FUNCTION survey_versions_immutable() RETURNS trigger AS $$
          BEGIN RAISE EXCEPTION 'a published survey version cannot change'; END $$ LANGUAGE plpgsql`.execute(db);
        await sql`CREATE TRIGGER survey_versions_no_change BEFORE UPDATE OR DELETE ON survey_versions
          FOR EACH ROW EXECUTE FUNCTION survey_versions_immutable()`.execute(db);
      }

      await db.schema
        .createTable("rounds")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("programme_id", "text", (c) => c.notNull().references("programmes.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) =>
          c.notNull().check(sql`kind in ('baseline','midline','endline','custom')`),
        )
        .addColumn("starts_on", "text", (c) => c.notNull())
        .addColumn("ends_on", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("rounds_programme_name", ["programme_id", "name"])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("rounds").execute();
      if (dialect === "postgres") {
        await sql`DROP TRIGGER survey_versions_no_change ON survey_versions`.execute(db);
        await sql`DROP FUNCTION survey_versions_immutable()`.execute(db);
      }
      await db.schema.dropTable("survey_versions").execute();
      await db.schema.dropTable("surveys").execute();
    },
  };
}
