import { sql, type Kysely, type Migration } from "kysely";
import { columns, type Dialect } from "../portable";

/**
 * Pre-aggregated figures for the dashboards, maintained in the same transaction as each response
 * is stored or excluded. Rows hold additive sums, so any period, group or filter is a SUM over a
 * few thousand rows instead of a scan of a million responses.
 *
 * - agg_indicator_cells: one row per survey, indicator, survey version, round, month, community,
 *   focus-group flag and the respondent's full set of disaggregation answers. Any combination of
 *   splits and filters of an indicator can be answered from them.
 * - agg_indicator_margins and agg_answer_margins (answer codes of choice questions): the same with
 *   only one disaggregation dimension at a time (dimension '' = everyone). Most views split or
 *   filter by at most one of gender, age band, disability or displacement (besides community, a
 *   column of its own) and read these far smaller tables. Answer distributions exist only as
 *   margins: per-code counts over every combination of groups would be millions of rows.
 *
 * Empty text ('') stands for "none" in key columns so primary keys and upserts work the same on
 * both databases (NULLs never conflict). On SQLite the tables are WITHOUT ROWID: rows are stored
 * in primary-key order, so one indicator's rows are one contiguous range.
 */
export function m0004_aggregates(dialect: Dialect): Migration {
  const { bigint, real } = columns(dialect);
  const clustered = (t: any) => (dialect === "sqlite" ? t.modifyEnd(sql`without rowid`) : t);
  const common = (t: any) =>
    t
      .addColumn("survey_version", "integer", (c: any) => c.notNull())
      .addColumn("round_id", "text", (c: any) => c.notNull())
      .addColumn("month", "text", (c: any) => c.notNull())
      .addColumn("community_id", "text", (c: any) => c.notNull())
      .addColumn("from_session", "integer", (c: any) => c.notNull());
  const groups = (t: any) =>
    t
      .addColumn("gender", "text", (c: any) => c.notNull())
      .addColumn("age_band", "text", (c: any) => c.notNull())
      .addColumn("disability", "text", (c: any) => c.notNull())
      .addColumn("displacement", "text", (c: any) => c.notNull())
      .addColumn("custom_key", "text", (c: any) => c.notNull());
  const margin = (t: any) => t.addColumn("dimension", "text", (c: any) => c.notNull()).addColumn("value", "text", (c: any) => c.notNull());
  // Respondents in the denominator, Σ score, Σ score² (shares: score is 0/1; means: the code), and
  // those left out by an excluded code (5, 99…) or because the question was hidden or unanswered.
  const indicatorSums = (t: any) =>
    t
      .addColumn("n", bigint, (c: any) => c.notNull().defaultTo(0))
      .addColumn("score_sum", real, (c: any) => c.notNull().defaultTo(0))
      .addColumn("score_sq", real, (c: any) => c.notNull().defaultTo(0))
      .addColumn("excluded", bigint, (c: any) => c.notNull().defaultTo(0))
      .addColumn("missing", bigint, (c: any) => c.notNull().defaultTo(0));
  // Respondents giving each code of a choice question; code '*' counts those who answered at all.
  // rank_points: ranking questions give k points for a first place … 1 for the k-th.
  const answerSums = (t: any) => t.addColumn("n", bigint, (c: any) => c.notNull().defaultTo(0)).addColumn("rank_points", bigint, (c: any) => c.notNull().defaultTo(0));
  const fineKey = ["survey_version", "round_id", "month", "community_id", "from_session", "gender", "age_band", "disability", "displacement", "custom_key"];
  const marginKey = ["survey_version", "round_id", "month", "community_id", "from_session", "dimension", "value"];
  const indicator = (name: string) => db0.schema.createTable(name).addColumn("survey_id", "text", (c) => c.notNull()).addColumn("indicator_id", "text", (c) => c.notNull());
  const answer = (name: string) =>
    db0.schema.createTable(name).addColumn("survey_id", "text", (c) => c.notNull()).addColumn("question_id", "text", (c) => c.notNull()).addColumn("code", "text", (c) => c.notNull());
  let db0: Kysely<any>;
  return {
    async up(db: Kysely<any>) {
      db0 = db;
      await clustered(indicatorSums(groups(common(indicator("agg_indicator_cells")))).addPrimaryKeyConstraint("agg_indicator_cells_pk", ["survey_id", "indicator_id", ...fineKey])).execute();
      await clustered(indicatorSums(margin(common(indicator("agg_indicator_margins")))).addPrimaryKeyConstraint("agg_indicator_margins_pk", ["survey_id", "indicator_id", "dimension", ...marginKey.filter((k) => k !== "dimension")])).execute();
      await clustered(answerSums(margin(common(answer("agg_answer_margins")))).addPrimaryKeyConstraint("agg_answer_margins_pk", ["survey_id", "question_id", "dimension", "code", ...marginKey.filter((k) => k !== "dimension")])).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ["agg_answer_margins", "agg_indicator_margins", "agg_indicator_cells"]) await db.schema.dropTable(t).execute();
    },
  };
}
