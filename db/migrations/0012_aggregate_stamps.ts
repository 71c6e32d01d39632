import type { Kysely, Migration } from "kysely";
import type { Dialect } from "../portable";

/**
 * A counter per survey that every change to its aggregate cells moves on, in the same transaction:
 * dashboards keep a survey's disclosure family (every figure it can publish, protected together)
 * until its stamp moves, in every server process alike.
 */
export function m0012_aggregate_stamps(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("aggregate_stamps")
        .addColumn("survey_id", "text", (c) => c.primaryKey().references("surveys.id").onDelete("cascade"))
        .addColumn("stamp", "integer", (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("aggregate_stamps").execute();
    },
  };
}
