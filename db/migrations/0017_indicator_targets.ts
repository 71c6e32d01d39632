import type { Kysely, Migration } from "kysely";
import { columns, type Dialect } from "../portable";

/**
 * Targets per period: an indicator's target for any round and its baseline round, kept beside the
 * survey (programme planning, not the instrument: changing a target publishes no version). The
 * single target a definition carried (`target`, `targetDate`) moves here, to the round whose dates
 * hold the target date, else the last round begun by then, else the programme's last round; a
 * programme without rounds keeps it in the definition only. Report texts (the executive summary and
 * one narrative per indicator) are saved with the survey's report.
 */
export function m0017_indicator_targets(dialect: Dialect): Migration {
  const { real } = columns(dialect);
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable("indicator_targets")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("indicator_id", "text", (c) => c.notNull())
        .addColumn("round_id", "text", (c) => c.notNull().references("rounds.id").onDelete("cascade"))
        .addColumn("value", real, (c) => c.notNull())
        .addColumn("set_by", "text")
        .addColumn("set_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("indicator_targets_pk", ["survey_id", "indicator_id", "round_id"])
        .execute();
      await db.schema
        .createTable("indicator_baselines")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        .addColumn("indicator_id", "text", (c) => c.notNull())
        .addColumn("round_id", "text", (c) => c.notNull().references("rounds.id").onDelete("cascade"))
        .addPrimaryKeyConstraint("indicator_baselines_pk", ["survey_id", "indicator_id"])
        .execute();
      await db.schema
        .createTable("report_texts")
        .addColumn("survey_id", "text", (c) => c.notNull().references("surveys.id").onDelete("cascade"))
        /** "" for the executive summary, else the indicator's id. */
        .addColumn("indicator_id", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("updated_by", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("report_texts_pk", ["survey_id", "indicator_id"])
        .execute();

      // Move each survey's single targets (from its latest published version) to a round.
      const latest = await db
        .selectFrom("surveys as s")
        .innerJoin("survey_versions as v", (j) => j.onRef("v.survey_id", "=", "s.id").onRef("v.version", "=", "s.latest_version"))
        .select(["s.id", "s.programme_id", "v.definition", "v.published_at"])
        .execute();
      const at = new Date().toISOString();
      for (const s of latest) {
        const def = typeof s.definition === "string" ? JSON.parse(s.definition) : s.definition;
        const rounds: { id: string; starts_on: string; ends_on: string }[] = await db
          .selectFrom("rounds")
          .select(["id", "starts_on", "ends_on"])
          .where("programme_id", "=", s.programme_id)
          .orderBy("starts_on")
          .orderBy("name")
          .execute();
        if (!rounds.length) continue;
        for (const ind of (def?.indicators ?? []) as { id: string; target?: number; targetDate?: string }[]) {
          if (typeof ind.target !== "number") continue;
          const day = ind.targetDate ?? "9999-12-31";
          const round =
            rounds.find((r) => r.starts_on <= day && day <= r.ends_on) ?? rounds.filter((r) => r.starts_on <= day).at(-1) ?? rounds.at(-1)!;
          await db
            .insertInto("indicator_targets")
            .values({ survey_id: s.id, indicator_id: ind.id, round_id: round.id, value: ind.target, set_by: null, set_at: at })
            .execute();
        }
      }
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("report_texts").execute();
      await db.schema.dropTable("indicator_baselines").execute();
      await db.schema.dropTable("indicator_targets").execute();
    },
  };
}
