import { sql, type Kysely, type Migration } from "kysely";
import { columns, type Dialect } from "../portable";

/**
 * The audit log: who moved data in or out, excluded or restored it, published a survey, or changed
 * memberships and tokens. Append-only: triggers refuse UPDATE and DELETE on both databases, so no
 * code path can rewrite history.
 */
export function m0005_audit(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await columns(dialect)
        .serial(db.schema.createTable("audit_log"), "id")
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor_id", "text")
        .addColumn("actor_name", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("programme_id", "text")
        .addColumn("survey_id", "text")
        .addColumn("target", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
        .execute();
      await db.schema.createIndex("audit_log_at").on("audit_log").column("at").execute();
      await db.schema.createIndex("audit_log_action_at").on("audit_log").columns(["action", "at"]).execute();
      if (dialect === "sqlite") {
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END`.execute(db);
      } else {
        await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
          BEGIN RAISE EXCEPTION 'the audit log cannot be changed'; END $$ LANGUAGE plpgsql`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      }

      // Exports read a survey's responses in id order, a chunk at a time (keyset pagination).
      await db.schema.createIndex("responses_survey_id").on("responses").columns(["survey_id", "id"]).execute();

      // Uploaded files kept between the dry run and the import, so nobody uploads twice.
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
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("import_uploads").execute();
      await db.schema.dropIndex("responses_survey_id").execute();
      if (dialect === "postgres") {
        await sql`DROP TRIGGER audit_log_no_change ON audit_log`.execute(db);
        await sql`DROP FUNCTION audit_log_append_only()`.execute(db);
      }
      await db.schema.dropTable("audit_log").execute();
    },
  };
}
