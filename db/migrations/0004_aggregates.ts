import type { Kysely, Migration } from "kysely";
import { columns, type Dialect } from "../portable";

/**
 * Pre-aggregated figures for the dashboards, maintained in the same transaction as each response
 * is stored or excluded. One row per combination of survey, indicator (or question and answer
 * code), survey version, round, month, community, focus-group flag and the respondent's
 * disaggregation answers; rows hold additive sums, so any period, group or filter is a SUM over
 * a few thousand rows instead of a scan of a million responses.
 * Empty text ('') stands for "none" in key columns so that primary keys and upserts work the same
 * on both databases (NULLs never conflict).
 */
export function m0004_aggregates(dialect: Dialect): Migration {
  const { bigint, real } = columns(dialect);
  const keyColumns = (t: any) =>
    t
      .addColumn("survey_version", "integer", (c: any) => c.notNull())
      .addColumn("round_id", "text", (c: any) => c.notNull())
      .addColumn("month", "text", (c: any) => c.notNull())
      .addColumn("community_id", "text", (c: any) => c.notNull())
      .addColumn("from_session", "integer", (c: any) => c.notNull())
      .addColumn("gender", "text", (c: any) => c.notNull())
      .addColumn("age_band", "text", (c: any) => c.notNull())
      .addColumn("disability", "text", (c: any) => c.notNull())
      .addColumn("displacement", "text", (c: any) => c.notNull())
      .addColumn("custom_key", "text", (c: any) => c.notNull());
  const keyNames = [
    "survey_version",
    "round_id",
    "month",
    "community_id",
    "from_session",
    "gender",
    "age_band",
    "disability",
    "displacement",
    "custom_key",
  ];
  return {
    async up(db: Kysely<any>) {
      let cells = db.schema.createTable("agg_indicator_cells").addColumn("survey_id", "text", (c) => c.notNull()).addColumn("indicator_id", "text", (c) => c.notNull());
      cells = keyColumns(cells)
        // Respondents in the denominator, Σ score, Σ score² (shares: score is 0/1; means: the code).
        .addColumn("n", bigint, (c: any) => c.notNull().defaultTo(0))
        .addColumn("score_sum", real, (c: any) => c.notNull().defaultTo(0))
        .addColumn("score_sq", real, (c: any) => c.notNull().defaultTo(0))
        // Left out of the denominator by an excluded code (5, 99…), and hidden or unanswered.
        .addColumn("excluded", bigint, (c: any) => c.notNull().defaultTo(0))
        .addColumn("missing", bigint, (c: any) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("agg_indicator_cells_pk", ["survey_id", "indicator_id", ...keyNames]);
      await cells.execute();

      // Answer distributions: respondents giving each code of each choice question. The code '*'
      // counts respondents who answered the question at all (the denominator of "share mentioning").
      // rank_points: for ranking questions, k points for a first place … 1 for the k-th.
      let answers = db.schema
        .createTable("agg_answer_cells")
        .addColumn("survey_id", "text", (c) => c.notNull())
        .addColumn("question_id", "text", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull());
      answers = keyColumns(answers)
        .addColumn("n", bigint, (c: any) => c.notNull().defaultTo(0))
        .addColumn("rank_points", bigint, (c: any) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("agg_answer_cells_pk", ["survey_id", "question_id", "code", ...keyNames]);
      await answers.execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable("agg_answer_cells").execute();
      await db.schema.dropTable("agg_indicator_cells").execute();
    },
  };
}
