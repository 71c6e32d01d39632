import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Recorded voices: audio clips a facilitator records or uploads for a survey's prompts (question,
 * option, consent and info screens) in each language. `voice_clips` holds each clip's bytes once per
 * survey, by content hash (SQLite BLOB, PostgreSQL bytea); `survey_voices` says which clip speaks which
 * prompt in which language, for the working set (version 0, what the Voices page edits) and for each
 * published version (copied from the working set when the version is published, then never changed).
 */
export function m0021_voices(dialect: Dialect): Migration {
  const bytes = dialect === "postgres" ? "bytea" : "blob";
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("voice_clips")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("mime_type", "text", (c) => c.notNull())
        .addColumn("size", "integer", (c) => c.notNull())
        .addColumn("bytes", bytes, (c) => c.notNull())
        .addColumn("created_by", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("voice_clips_pk", ["survey_id", "hash"])
        .execute();
      await db.schema
        .createTable("survey_voices")
        .addColumn("survey_id", "text", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("prompt_key", "text", (c) => c.notNull())
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("clip_hash", "text", (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("survey_voices_pk", ["survey_id", "version", "prompt_key", "language"])
        .addForeignKeyConstraint("survey_voices_clip", ["survey_id", "clip_hash"], "voice_clips", ["survey_id", "hash"], (fk) => fk.onDelete("cascade"))
        .execute();
      await db.schema.createIndex("survey_voices_clip").on("survey_voices").columns(["survey_id", "clip_hash"]).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("survey_voices").execute();
      await db.schema.dropTable("voice_clips").execute();
    },
  };
}
