import type { Kysely, Migration } from "kysely";
import { columns, type Dialect } from "../portable";

/**
 * Linked indicators: the same indicator of two surveys of one programme (a baseline survey and a
 * redesigned endline survey) read as one series. A link is a pair; each indicator of a survey is in
 * at most one link (the unique index on the other end, and the key on this end).
 *
 * Date targets: a target for a date (a donor's "by June 2027"), beside the targets per round.
 */
export function m0022_linked_indicators_and_date_targets(dialect: Dialect): Migration {
  const { real } = columns(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("indicator_links")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("indicator_id", "text", (c) => c.notNull())
        .addColumn("linked_survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("linked_indicator_id", "text", (c) => c.notNull())
        .addColumn("linked_by", "text")
        .addColumn("linked_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("indicator_links_pk", ["survey_id", "indicator_id"])
        .execute();
      await db.schema.createIndex("indicator_links_other_end").unique().on("indicator_links").columns(["linked_survey_id", "linked_indicator_id"]).execute();
      await db.schema
        .createTable("indicator_date_targets")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("indicator_id", "text", (c) => c.notNull())
        /** YYYY-MM-DD */
        .addColumn("target_on", "text", (c) => c.notNull())
        .addColumn("value", real, (c) => c.notNull())
        .addColumn("set_by", "text")
        .addColumn("set_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("indicator_date_targets_pk", ["survey_id", "indicator_id", "target_on"])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("indicator_date_targets").execute();
      await db.schema.dropTable("indicator_links").execute();
    },
  };
}
