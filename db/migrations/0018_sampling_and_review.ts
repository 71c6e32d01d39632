import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * How a programme's responses were sampled, which decides its intervals: "auto" (clustered by
 * community once responses come from more than one), "simple" (a simple random sample) or
 * "community" (clustered by community always).
 *
 * A response's review (approved, on hold, not approved, with a note, who and when), and the
 * indexes the responses table pages by: newest first within a survey, narrowed by community,
 * round, language, source or review status, each read as one index range so a page costs the
 * same at the millionth response as at the first.
 */
export function m0018_sampling_and_review(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable("programmes").addColumn("sampling", "text", (c) => c.notNull().defaultTo("auto")).execute();
      for (const [name, type] of [
        ["review_status", "text"],
        ["review_note", "text"],
        ["reviewed_at", "text"],
        ["reviewed_by", "text"],
      ] as const)
        await db.schema.alterTable("responses").addColumn(name, type).execute();
      await sql`CREATE INDEX responses_survey_community_order ON responses (survey_id, community_id, submitted_at, id)`.execute(db);
      await sql`CREATE INDEX responses_survey_round_order ON responses (survey_id, round_id, submitted_at, id)`.execute(db);
      await sql`CREATE INDEX responses_survey_language_order ON responses (survey_id, language, submitted_at, id)`.execute(db);
      await sql`CREATE INDEX responses_survey_source_order ON responses (survey_id, source, submitted_at, id)`.execute(db);
      await sql`CREATE INDEX responses_survey_review_order ON responses (survey_id, review_status, submitted_at, id) WHERE review_status IS NOT NULL`.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const name of ["community", "round", "language", "source", "review"]) await sql`DROP INDEX ${sql.raw(`responses_survey_${name}_order`)}`.execute(db);
      for (const name of ["review_status", "review_note", "reviewed_at", "reviewed_by"]) await db.schema.alterTable("responses").dropColumn(name).execute();
      await db.schema.alterTable("programmes").dropColumn("sampling").execute();
    },
  };
}
