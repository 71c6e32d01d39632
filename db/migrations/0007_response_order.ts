import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Responses are read page by page in the order they arrived (survey, submitted_at, id) instead of
 * by id. The index on (survey_id, id) placed every new response at a random spot — response ids
 * are random UUIDs — so each stored batch rewrote pages all over it; the new index takes a
 * batch's rows side by side at the end of the survey's range. It also serves every query the
 * (survey_id, submitted_at) index did.
 */
export function m0007_response_order(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await sql`CREATE INDEX responses_survey_order ON responses (survey_id, submitted_at, id)`.execute(db);
      await sql`DROP INDEX responses_survey_id`.execute(db);
      await sql`DROP INDEX responses_survey_submitted`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`CREATE INDEX responses_survey_submitted ON responses (survey_id, submitted_at)`.execute(db);
      await sql`CREATE INDEX responses_survey_id ON responses (survey_id, id)`.execute(db);
      await sql`DROP INDEX responses_survey_order`.execute(db);
    },
  };
}
