import { sql, type Kysely, type Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * Responses are folded into the dashboard aggregates just after they are stored, in batches,
 * instead of inside each submission: `aggregated` says whether a response's figures are in the
 * aggregates yet. Existing responses already are (default 1).
 */
export function m0006_pending_aggregates(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable("responses").addColumn("aggregated", "integer", (c) => c.notNull().defaultTo(1)).execute();
      await sql`CREATE INDEX responses_pending ON responses (submitted_at) WHERE aggregated = 0`.execute(db);
    },
    async down(db: Kysely<any>) {
      await sql`DROP INDEX responses_pending`.execute(db);
      await db.schema.alterTable("responses").dropColumn("aggregated").execute();
    },
  };
}
