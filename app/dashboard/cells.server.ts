// SQL over the pre-aggregated cells: sums grouped by the period and split columns a view needs.
// Everything that is not a plain SUM (custom groups, quarters, statistics) happens in JS on the
// few rows returned.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";

/** Columns a view may group by or filter on. */
export type CellColumn =
  | "round_id"
  | "month"
  | "community_id"
  | "survey_version"
  | "gender"
  | "age_band"
  | "disability"
  | "displacement"
  | "custom_key";

export interface CellFilters {
  communities?: string[];
  rounds?: string[];
  /** Inclusive months, YYYY-MM. */
  fromMonth?: string;
  toMonth?: string;
  version?: number;
  /** Built-in dimension columns → the one value kept. Custom groups are filtered by the caller. */
  columns?: Partial<Record<"gender" | "age_band" | "disability" | "displacement", string>>;
}

export interface IndicatorCellSum {
  key: Partial<Record<CellColumn, string>>;
  n: number;
  sum: number;
  sumSquares: number;
  excluded: number;
  /** Respondents from focus-group sessions among n (their results are indicative). */
  sessionN: number;
}

export interface AnswerCellSum {
  key: Partial<Record<CellColumn, string>>;
  code: string;
  n: number;
  rankPoints: number;
}

function applyFilters<Q extends { where: (...args: any[]) => Q }>(q: Q, f: CellFilters): Q {
  if (f.communities?.length) q = q.where("community_id", "in", f.communities);
  if (f.rounds?.length) q = q.where("round_id", "in", f.rounds);
  if (f.fromMonth) q = q.where("month", ">=", f.fromMonth);
  if (f.toMonth) q = q.where("month", "<=", f.toMonth);
  if (f.version !== undefined) q = q.where("survey_version", "=", f.version);
  for (const [column, value] of Object.entries(f.columns ?? {})) if (value !== undefined) q = q.where(column, "=", value);
  return q;
}

const keyOf = (row: Record<string, unknown>, columns: CellColumn[]) =>
  Object.fromEntries(columns.map((c) => [c, String(row[c] ?? "")])) as Partial<Record<CellColumn, string>>;

const DEMOGRAPHIC: CellColumn[] = ["gender", "age_band", "disability", "displacement", "custom_key"];

/**
 * Which table answers a query: the margins when at most one built-in dimension is split or
 * filtered on (almost every view), the fine cells otherwise.
 */
function marginDimension(columns: CellColumn[], filters: CellFilters): string | null {
  const dims = new Set<string>(columns.filter((c) => DEMOGRAPHIC.includes(c)));
  for (const [k, v] of Object.entries(filters.columns ?? {})) if (v !== undefined) dims.add(k);
  if (dims.has("custom_key") || dims.size > 1) return null;
  return [...dims][0] ?? "";
}

function marginQuery(db: Kysely<Database>, table: "agg_indicator_margins" | "agg_answer_margins", dimension: string, columns: CellColumn[], filters: CellFilters) {
  const plain = columns.filter((c) => !DEMOGRAPHIC.includes(c));
  let q = (db as Kysely<any>).selectFrom(table).where("dimension", "=", dimension);
  const value = dimension ? (filters.columns as Record<string, string | undefined> | undefined)?.[dimension] : undefined;
  if (value !== undefined) q = q.where("value", "=", value);
  q = applyFilters(q as any, { ...filters, columns: {} });
  const select = [...plain, ...(columns.includes(dimension as CellColumn) ? [`value as ${dimension}`] : [])];
  const group = [...plain, ...(columns.includes(dimension as CellColumn) ? ["value"] : [])];
  return { q, select, group };
}

/** Σ n, Σ score, Σ score², Σ excluded of one indicator, grouped by `columns`. */
export async function sumIndicatorCells(
  db: Kysely<Database>,
  surveyId: string,
  indicatorId: string,
  columns: CellColumn[],
  filters: CellFilters,
): Promise<IndicatorCellSum[]> {
  const dimension = marginDimension(columns, filters);
  let rows: Record<string, unknown>[];
  if (dimension !== null) {
    const { q, select, group } = marginQuery(db, "agg_indicator_margins", dimension, columns, filters);
    let query = q
      .select((eb: any) => [
        ...select,
        eb.fn.sum("n").as("n"),
        eb.fn.sum("score_sum").as("sum"),
        eb.fn.sum("score_sq").as("sq"),
        eb.fn.sum("excluded").as("excluded"),
        eb.fn.sum(eb("n", "*", eb.ref("from_session"))).as("session_n"),
      ])
      .where("survey_id", "=", surveyId)
      .where("indicator_id", "=", indicatorId);
    if (group.length) query = query.groupBy(group);
    rows = await query.execute();
  } else {
    let q = db
      .selectFrom("agg_indicator_cells")
      .select((eb) => [
        ...columns,
        eb.fn.sum<number>("n").as("n"),
        eb.fn.sum<number>("score_sum").as("sum"),
        eb.fn.sum<number>("score_sq").as("sq"),
        eb.fn.sum<number>("excluded").as("excluded"),
        eb.fn.sum<number>(eb("n", "*", eb.ref("from_session"))).as("session_n"),
      ])
      .where("survey_id", "=", surveyId)
      .where("indicator_id", "=", indicatorId);
    q = applyFilters(q as any, filters) as typeof q;
    if (columns.length) q = q.groupBy(columns);
    rows = (await q.execute()) as Record<string, unknown>[];
  }
  return rows
    .map((r) => ({
      key: keyOf(r, columns),
      n: Number(r.n ?? 0),
      sum: Number(r.sum ?? 0),
      sumSquares: Number(r.sq ?? 0),
      excluded: Number(r.excluded ?? 0),
      sessionN: Number(r.session_n ?? 0),
    }))
    .filter((r) => r.n !== 0 || r.excluded !== 0);
}

/**
 * Respondents per answer code of one question (code '*' = answered at all), grouped by `columns`.
 * Answer counts are kept per single dimension only: null when the view combines two or more of
 * gender, age band, disability, displacement or a custom group (the caller says so on the page).
 */
export async function sumAnswerCells(
  db: Kysely<Database>,
  surveyId: string,
  questionId: string,
  columns: CellColumn[],
  filters: CellFilters,
): Promise<AnswerCellSum[] | null> {
  const dimension = marginDimension(columns, filters);
  if (dimension === null) return null;
  const { q, select, group } = marginQuery(db, "agg_answer_margins", dimension, columns, filters);
  const rows: Record<string, unknown>[] = await q
    .select((eb: any) => [...select, "code", eb.fn.sum("n").as("n"), eb.fn.sum("rank_points").as("rank_points")])
    .where("survey_id", "=", surveyId)
    .where("question_id", "=", questionId)
    .groupBy([...group, "code"])
    .execute();
  return rows
    .map((r) => ({ key: keyOf(r, columns), code: String(r.code), n: Number(r.n ?? 0), rankPoints: Number(r.rank_points ?? 0) }))
    .filter((r) => r.n !== 0);
}

/** Months (YYYY-MM) and survey versions that hold data for a survey, for filter menus. */
export async function surveyPeriods(db: Kysely<Database>, surveyId: string): Promise<{ months: string[]; versions: number[] }> {
  const rows = await db
    .selectFrom("agg_indicator_margins")
    .select(["month", "survey_version"])
    .where("survey_id", "=", surveyId)
    .where("dimension", "=", "")
    .groupBy(["month", "survey_version"])
    .execute();
  return {
    months: [...new Set(rows.map((r) => r.month))].sort(),
    versions: [...new Set(rows.map((r) => Number(r.survey_version)))].sort((a, b) => a - b),
  };
}
