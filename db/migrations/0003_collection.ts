import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Collection: links that grant submitting (and nothing else), focus-group sessions, responses
 * and consent refusals. Response ids come from the tablet, so a retry can never create a second copy.
 */
export function m0003_collection(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("collection_links")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("token", "text", (c) => c.notNull().unique())
        .addColumn("mode", "text", (c) => c.notNull().check(sql`mode in ('kiosk','self')`))
        .addColumn("label", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("community_id", "text", (c) => c.references("communities.id").onDelete("set null"))
        .addColumn("round_id", "text", (c) => c.references("rounds.id").onDelete("set null"))
        .addColumn("expires_at", "text")
        .addColumn("revoked_at", "text")
        .addColumn("max_responses", "integer")
        .addColumn("kiosk_pin", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("collection_links_survey").on("collection_links").column("survey_id").execute();

      await db.schema
        .createTable("fg_sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("link_id", "text", (c) => c.notNull().references("collection_links.id").onDelete("cascade"))
        .addColumn("survey_id", "text", (c) => c.notNull())
        .addColumn("community_id", "text")
        .addColumn("round_id", "text")
        .addColumn("held_on", "text", (c) => c.notNull())
        .addColumn("group_description", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("participant_count", "integer")
        .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("fg_sessions_survey").on("fg_sessions").column("survey_id").execute();

      await db.schema
        .createTable("responses")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id"))
        .addColumn("survey_version", "integer", (c) => c.notNull())
        .addColumn("link_id", "text")
        .addColumn("session_id", "text")
        .addColumn("community_id", "text")
        .addColumn("round_id", "text")
        .addColumn("language", "text", (c) => c.notNull())
        .addColumn("collected_at", "text", (c) => c.notNull())
        .addColumn("submitted_at", "text", (c) => c.notNull())
        .addColumn("content_hash", "text", (c) => c.notNull())
        .addColumn("answers", "text", (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull().defaultTo("api"))
        .addColumn("excluded_at", "text")
        .addColumn("excluded_reason", "text")
        .addColumn("excluded_by", "text")
        .execute();
      await db.schema.createIndex("responses_survey_submitted").on("responses").columns(["survey_id", "submitted_at"]).execute();
      await db.schema.createIndex("responses_session").on("responses").column("session_id").execute();
      await db.schema.createIndex("responses_link").on("responses").column("link_id").execute();

      await db.schema
        .createTable("refusals")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("link_id", "text", (c) => c.notNull())
        .addColumn("session_id", "text")
        .addColumn("survey_id", "text", (c) => c.notNull())
        .addColumn("recorded_on", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("refusals_session").on("refusals").column("session_id").execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ["refusals", "responses", "fg_sessions", "collection_links"]) await db.schema.dropTable(t).execute();
    },
  };
}
