import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Imports become jobs the server runs (app/exchange/import-jobs.server.ts): the uploaded file waits
 * on disk, the job row holds its options, progress and reports, and one lease row lets a single
 * server at a time run the database's jobs. Each imported response remembers the job and file row
 * that stored it, so a job resumed after a crash recognises its own rows instead of storing or
 * counting them twice. The uploads table of 0005 (whole files as text) goes.
 */
export function m0015_import_jobs(dialect: Dialect): Migration {
  const int = (c: any) => c.notNull().defaultTo(0);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("import_jobs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("programme_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("file_name", "text", (c) => c.notNull())
        .addColumn("file_key", "text", (c) => c.notNull())
        .addColumn("bytes", "integer", int)
        .addColumn("encoding", "text", (c) => c.notNull())
        .addColumn("bom", "integer", int)
        .addColumn("options", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("cancel_requested", "integer", int)
        .addColumn("rows_read", "integer", int)
        .addColumn("rows_valid", "integer", int)
        .addColumn("rows_stored", "integer", int)
        .addColumn("problems", "integer", int)
        .addColumn("bytes_read", "integer", int)
        .addColumn("rows_expected", "integer", int)
        .addColumn("report", "text")
        .addColumn("resume_row", "integer", int)
        .addColumn("resume_report", "text")
        .addColumn("error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("started_at", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .execute();
      await db.schema.createIndex("import_jobs_user_survey").on("import_jobs").columns(["user_id", "survey_id", "created_at"]).execute();
      await db.schema.createIndex("import_jobs_state").on("import_jobs").columns(["state", "created_at"]).execute();
      await db.schema
        .createTable("import_runner")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("holder", "text")
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.insertInto("import_runner").values({ id: 1, holder: null, expires_at: "1970-01-01T00:00:00.000Z" }).execute();
      await db.schema.alterTable("responses").addColumn("import_ref", "text").execute();
      await db.schema.dropTable("import_uploads").execute();
      void dialect;
    },
    async down(db: Kysely<any>) {
      await db.schema
        .createTable("import_uploads")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("survey_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("file_name", "text", (c) => c.notNull())
        .addColumn("content", "text", (c) => c.notNull())
        .addColumn("encoding", "text", (c) => c.notNull())
        .addColumn("bom", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.alterTable("responses").dropColumn("import_ref").execute();
      await db.schema.dropTable("import_runner").execute();
      await db.schema.dropTable("import_jobs").execute();
    },
  };
}
