import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Responses collected in a focus-group session take the session's community and round. Until
 * now a response stored the link's binding only, so on a tablet link not bound to a community or
 * round the session's choices never reached its responses. Stored responses that lack a community
 * or round their session has get it here (the link's binding, where set, still wins).
 *
 * Their dashboard figures must follow, but a migration cannot run the app's aggregation code:
 * the surveys concerned are recorded in `aggregate_rebuilds`, and the app rebuilds them right
 * after migrating at start-up (runRecordedRebuilds in app/models/aggregates.server.ts).
 *
 * Bare session rows (made when a response arrived before its session) were stamped with the time
 * they were made, so the tablet's own record, made earlier, never replaced them: they now carry
 * the oldest time, as new bare rows do.
 */
export function m0009_response_places(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("aggregate_rebuilds")
        .addColumn("survey_id", "text", (c) => c.primaryKey())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .execute();

      await sql`UPDATE fg_sessions SET updated_at = '1970-01-01T00:00:00.000Z'
        WHERE updated_at = created_at AND group_description = '' AND notes = '' AND participant_count IS NULL`.execute(db);

      // The session of a response: same id, same survey, same link.
      const session = (column: "community_id" | "round_id") =>
        sql`(SELECT s.${sql.ref(column)} FROM fg_sessions s WHERE s.id = responses.session_id AND s.survey_id = responses.survey_id AND s.link_id = responses.link_id)`;
      const link = (column: "community_id" | "round_id") => sql`(SELECT l.${sql.ref(column)} FROM collection_links l WHERE l.id = responses.link_id)`;
      const lacking = sql`responses.session_id IS NOT NULL AND responses.link_id IS NOT NULL AND (
          (responses.community_id IS NULL AND ${session("community_id")} IS NOT NULL)
          OR (responses.round_id IS NULL AND ${session("round_id")} IS NOT NULL))`;

      await sql`INSERT INTO aggregate_rebuilds (survey_id, reason, recorded_at)
        SELECT DISTINCT responses.survey_id, 'responses took their session''s community and round (0009)', ${new Date().toISOString()}
        FROM responses WHERE ${lacking}`.execute(db);
      await sql`UPDATE responses SET
          community_id = COALESCE(responses.community_id, ${link("community_id")}, ${session("community_id")}),
          round_id = COALESCE(responses.round_id, ${link("round_id")}, ${session("round_id")})
        WHERE ${lacking}`.execute(db);
    },
    async down(db: Kysely<any>) {
      // The places given stay: they are where the responses were collected.
      await db.schema.dropTable("aggregate_rebuilds").execute();
    },
  };
}
