// Indicator series for the dashboards, reports and API: sums from the aggregate cells, turned into
// estimates with intervals (app/stats) and passed through disclosure control (app/stats/disclosure)
// before any number leaves the server.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Indicator, SurveyDefinition } from "~/survey";
import { meanWithT, newcombe, verdict, welchDifference, wilson, type Verdict } from "~/stats/statistics";
import { publicCount, suppressList, suppressTable } from "~/stats/disclosure";
import { parseCustomKey } from "~/models/aggregates.server";
import { sumAnswerCells, sumIndicatorCells, type CellColumn, type CellFilters } from "./cells.server";
import { text, type DashboardContext, type DimensionInfo } from "./context.server";

export type Period = "round" | "month" | "quarter";
export const PERIODS: Period[] = ["round", "month", "quarter"];

export interface ViewFilters extends Omit<CellFilters, "columns"> {
  /** Dimension id → the one group value kept (e.g. gender → woman). */
  groups?: Record<string, string>;
}

export interface SeriesPoint {
  period: string;
  periodLabel: string;
  group: Record<string, string>;
  groupLabel: string;
  /** Null when suppressed. */
  n: number | null;
  value: number | null;
  low: number | null;
  high: number | null;
  suppressed: boolean;
  /** Includes focus-group responses: not a probability sample. */
  indicative: boolean;
}

export interface Series {
  indicatorId: string;
  kind: Indicator["kind"];
  period: Period;
  by: DimensionInfo[];
  periods: { id: string; label: string }[];
  groups: { key: string; group: Record<string, string>; label: string }[];
  points: SeriesPoint[];
  /** One point per period over all groups (what a headline or "All" line shows). */
  totals: SeriesPoint[];
  minCellSize: number;
}

interface Sums {
  n: number;
  sum: number;
  sumSquares: number;
  excluded: number;
  sessionN: number;
}
const zero = (): Sums => ({ n: 0, sum: 0, sumSquares: 0, excluded: 0, sessionN: 0 });
const addInto = (a: Sums, b: Sums) => {
  a.n += b.n;
  a.sum += b.sum;
  a.sumSquares += b.sumSquares;
  a.excluded += b.excluded;
  a.sessionN += b.sessionN;
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const quarterOf = (month: string) => (month ? `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}` : "");

function periodColumn(period: Period): CellColumn {
  return period === "round" ? "round_id" : "month";
}

function periodId(period: Period, key: Partial<Record<CellColumn, string>>): string {
  if (period === "round") return key.round_id ?? "";
  if (period === "month") return key.month ?? "";
  return quarterOf(key.month ?? "");
}

export function periodLabel(ctx: DashboardContext, period: Period, id: string): string {
  if (period === "round") return ctx.rounds.find((r) => r.id === id)?.name ?? "No round";
  if (period === "month") return id ? `${MONTHS[Number(id.slice(5, 7)) - 1]} ${id.slice(0, 4)}` : "Unknown";
  return id ? `${id.slice(5)} ${id.slice(0, 4)}` : "Unknown";
}

function orderPeriods(ctx: DashboardContext, period: Period, ids: Iterable<string>): string[] {
  const list = [...new Set(ids)];
  if (period === "round") {
    const order = new Map(ctx.rounds.map((r, i) => [r.id, i]));
    return list.sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9));
  }
  return list.sort((a, b) => (a === "" ? 1 : b === "" ? -1 : a.localeCompare(b)));
}

/** Cell columns needed to group by, or filter on, the given dimensions. */
function columnsFor(dims: DimensionInfo[]): CellColumn[] {
  return [...new Set(dims.map((d) => d.column))];
}

function groupValue(dim: DimensionInfo, key: Partial<Record<CellColumn, string>>): string {
  if (dim.custom) return parseCustomKey(key.custom_key ?? "")[dim.custom] ?? "";
  return key[dim.column] ?? "";
}

export function valueLabel(dim: DimensionInfo, code: string): string {
  if (code === "") return "Not answered";
  return dim.values.find((v) => v.code === code)?.label ?? code;
}

function splitFilters(ctx: DashboardContext, filters: ViewFilters): { cell: CellFilters; custom: [DimensionInfo, string][] } {
  const columns: CellFilters["columns"] = {};
  const custom: [DimensionInfo, string][] = [];
  const communities = filters.communities ? [...filters.communities] : undefined;
  let cellCommunities = communities;
  for (const [dimId, value] of Object.entries(filters.groups ?? {})) {
    const dim = ctx.dimensions.find((d) => d.id === dimId);
    if (!dim) continue;
    if (dim.id === "community") cellCommunities = [value];
    else if (dim.custom) custom.push([dim, value]);
    else (columns as Record<string, string>)[dim.column] = value;
  }
  return { cell: { ...filters, communities: cellCommunities, columns }, custom };
}

/** The estimate and interval of one cell's sums (Wilson for shares, t for means). */
function estimateOf(kind: Indicator["kind"], s: Sums): { value: number | null; low: number | null; high: number | null } {
  if (kind === "share") {
    const w = wilson(Math.round(s.sum), s.n);
    return { value: w.p, low: w.low, high: w.high };
  }
  const m = meanWithT(s.n, s.sum, s.sumSquares);
  return { value: m.mean, low: m.low, high: m.high };
}

function point(
  kind: Indicator["kind"],
  s: Sums,
  suppressed: boolean,
  minCellSize: number,
  base: Omit<SeriesPoint, "n" | "value" | "low" | "high" | "suppressed" | "indicative">,
): SeriesPoint {
  const shown = publicCount(s.n, suppressed, minCellSize);
  if (shown.n === null) return { ...base, n: null, value: null, low: null, high: null, suppressed: true, indicative: s.sessionN > 0 };
  return { ...base, n: s.n, ...estimateOf(kind, s), suppressed: false, indicative: s.sessionN > 0 };
}

/**
 * One indicator over periods, split by 0, 1 or 2 dimensions. Disclosure control per period: one
 * split is a list of groups whose total is published; two splits a table with both margins
 * published (the conservative reading, since one-split views of the same data show them).
 */
export async function indicatorSeries(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  opts: { period: Period; by: DimensionInfo[]; filters: ViewFilters },
): Promise<Series> {
  const { period, by } = opts;
  const { cell, custom } = splitFilters(ctx, opts.filters);
  const columns = [...new Set<CellColumn>([periodColumn(period), ...columnsFor(by), ...(custom.length ? (["custom_key"] as CellColumn[]) : [])])];
  const rows = await sumIndicatorCells(db, ctx.survey.id, indicator.id, columns, cell);

  const byPeriod = new Map<string, Map<string, { group: Record<string, string>; sums: Sums }>>();
  const totals = new Map<string, Sums>();
  for (const r of rows) {
    if (custom.some(([dim, v]) => groupValue(dim, r.key) !== v)) continue;
    const p = periodId(period, r.key);
    const group = Object.fromEntries(by.map((d) => [d.id, groupValue(d, r.key)]));
    const gk = by.map((d) => group[d.id]).join("\u0001");
    if (!byPeriod.has(p)) byPeriod.set(p, new Map());
    const groups = byPeriod.get(p)!;
    if (!groups.has(gk)) groups.set(gk, { group, sums: zero() });
    addInto(groups.get(gk)!.sums, r);
    if (!totals.has(p)) totals.set(p, zero());
    addInto(totals.get(p)!, r);
  }

  const periodIds = orderPeriods(ctx, period, byPeriod.keys());
  const periods = periodIds.map((id) => ({ id, label: periodLabel(ctx, period, id) }));
  // Groups in the order of each dimension's answer options, "not answered" last.
  const rank = (d: DimensionInfo, code: string) => {
    const i = d.values.findIndex((v) => v.code === code);
    return i < 0 ? (code === "" ? 1e9 : 1e8) : i;
  };
  const groupMap = new Map<string, Record<string, string>>();
  for (const groups of byPeriod.values()) for (const [gk, g] of groups) groupMap.set(gk, g.group);
  const groupKeys = [...groupMap.keys()].sort((a, b) => {
    const ga = groupMap.get(a)!;
    const gb = groupMap.get(b)!;
    for (const d of by) {
      const diff = rank(d, ga[d.id]) - rank(d, gb[d.id]);
      if (diff) return diff;
      if (ga[d.id] !== gb[d.id]) return ga[d.id].localeCompare(gb[d.id]);
    }
    return 0;
  });
  const groups = groupKeys.map((key) => {
    const group = groupMap.get(key)!;
    return { key, group, label: by.map((d) => valueLabel(d, group[d.id])).join(" · ") || "All respondents" };
  });

  const min = ctx.programme.minCellSize;
  const points: SeriesPoint[] = [];
  const totalPoints: SeriesPoint[] = [];
  for (const p of periods) {
    const present = byPeriod.get(p.id)!;
    const total = totals.get(p.id)!;
    const hidden = new Map<string, boolean>();
    let totalHidden = false;
    if (by.length === 1) {
      const keys = groupKeys.filter((k) => present.has(k));
      const s = suppressList(keys.map((k) => present.get(k)!.sums.n), min, true);
      keys.forEach((k, i) => hidden.set(k, s.suppressed[i]));
      totalHidden = s.totalSuppressed;
    } else if (by.length === 2) {
      const rowsV = [...new Set(groupKeys.map((k) => groupMap.get(k)![by[0].id]))];
      const colsV = [...new Set(groupKeys.map((k) => groupMap.get(k)![by[1].id]))];
      const cells = rowsV.map((a) => colsV.map((b) => present.get(`${a}\u0001${b}`)?.sums.n ?? 0));
      const s = suppressTable({ cells, rowTotals: true, columnTotals: true, minCellSize: min });
      rowsV.forEach((a, r) => colsV.forEach((b, c) => hidden.set(`${a}\u0001${b}`, s.suppressed[r][c])));
      totalHidden = s.grandTotalSuppressed;
    }
    for (const g of groups) {
      const found = present.get(g.key);
      if (!found) continue;
      points.push(point(indicator.kind, found.sums, hidden.get(g.key) ?? false, min, { period: p.id, periodLabel: p.label, group: g.group, groupLabel: g.label }));
    }
    totalPoints.push(point(indicator.kind, total, totalHidden, min, { period: p.id, periodLabel: p.label, group: {}, groupLabel: "All respondents" }));
  }
  return { indicatorId: indicator.id, kind: indicator.kind, period, by, periods, groups, points, totals: totalPoints, minCellSize: min };
}

// ---------------------------------------------------------------------------------------------
// Headline

export interface Headline {
  indicatorId: string;
  label: string;
  reference: string | null;
  kind: Indicator["kind"];
  direction: Indicator["direction"];
  latest: SeriesPoint | null;
  baseline: SeriesPoint | null;
  change: { diff: number | null; low: number | null; high: number | null; verdict: Verdict } | null;
  target: { value: number; date: string | null; progress: number | null; reached: boolean } | null;
  /** Answers left out of (or, for the official rule, kept in) the denominator, by code. */
  specialCodes: { code: string; label: string; count: number | null; countLabel: string }[];
  indicative: boolean;
  series: Series;
}

/** Codes whose counts are always reported beside a share: excluded ones, and SDG 16.1.4's 5 and 99. */
function specialCodesOf(def: SurveyDefinition, indicator: Indicator): string[] {
  const q = def.questions.find((x) => x.id === indicator.question);
  const codes = new Set<string>(indicator.kind === "share" ? (indicator.denominator === "all" ? [] : indicator.denominator.exclude) : indicator.exclude);
  if (q?.scale === "sdg16_safety") ["5", "99"].forEach((c) => codes.add(c));
  if (q?.options?.some((o) => o.code === "99")) codes.add("99");
  return [...codes].filter((c) => q?.options?.some((o) => o.code === c));
}

/**
 * Latest value with its interval, change since baseline (Newcombe for shares, Welch for means)
 * with its verdict, progress towards the target, and the counts of special codes in the latest
 * period. Uses the headline series (no split) so every figure is the one the trend shows.
 */
export async function indicatorHeadline(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  opts: { period: Period; filters: ViewFilters; series?: Series },
): Promise<Headline> {
  const series = opts.series ?? (await indicatorSeries(db, ctx, indicator, { period: opts.period, by: [], filters: opts.filters }));
  const visible = series.totals.filter((p) => !p.suppressed && p.n !== null && p.n > 0 && p.period !== "");
  const latest = visible.at(-1) ?? null;
  let baseline: SeriesPoint | null = visible[0] ?? null;
  if (opts.period === "round") {
    const b = ctx.rounds.find((r) => r.kind === "baseline" && visible.some((p) => p.period === r.id));
    if (b) baseline = visible.find((p) => p.period === b.id)!;
  }
  if (baseline && latest && baseline.period === latest.period) baseline = null;

  let change: Headline["change"] = null;
  if (baseline && latest) {
    // Recomputed from the sums of the two periods, not from rounded figures.
    const sumsOf = (pt: SeriesPoint) => ({ n: pt.n!, sum: pt.value! * pt.n! });
    const a = sumsOf(baseline);
    const b = sumsOf(latest);
    let interval: { diff: number | null; low: number | null; high: number | null };
    if (indicator.kind === "share") interval = newcombe(Math.round(a.sum), a.n, Math.round(b.sum), b.n);
    else {
      const raw = await rawSums(db, ctx, indicator, opts.period, opts.filters, [baseline.period, latest.period]);
      interval = welchDifference(raw[0], raw[1]);
    }
    change = { ...interval, verdict: verdict(interval.low, interval.high, indicator.direction) };
  }

  let target: Headline["target"] = null;
  if (indicator.target !== undefined) {
    const from = baseline?.value ?? null;
    const now = latest?.value ?? null;
    const better = (x: number, y: number) => (indicator.direction === "higher_is_better" ? x >= y : x <= y);
    const reached = now !== null && better(now, indicator.target);
    const progress = from !== null && now !== null && indicator.target !== from ? Math.max(0, Math.min(1, (now - from) / (indicator.target - from))) : null;
    target = { value: indicator.target, date: indicator.targetDate ?? null, progress: reached ? 1 : progress, reached };
  }

  const special = specialCodesOf(ctx.survey.definition, indicator);
  let specialCodes: Headline["specialCodes"] = [];
  if (special.length && latest) {
    const q = ctx.survey.definition.questions.find((x) => x.id === indicator.question);
    const { cell, custom } = splitFilters(ctx, opts.filters);
    const cols: CellColumn[] = [periodColumn(opts.period), ...(custom.length ? (["custom_key"] as CellColumn[]) : [])];
    const rows = (await sumAnswerCells(db, ctx.survey.id, indicator.question, cols, cell)) ?? [];
    const counts = new Map<string, number>();
    for (const r of rows) {
      if (periodId(opts.period, r.key) !== latest.period) continue;
      if (custom.some(([dim, v]) => groupValue(dim, r.key) !== v)) continue;
      counts.set(r.code, (counts.get(r.code) ?? 0) + r.n);
    }
    specialCodes = special.map((code) => {
      const count = counts.get(code) ?? 0;
      const shown = publicCount(count, false, ctx.programme.minCellSize);
      const option = q?.options?.find((o) => o.code === code);
      return { code, label: option ? text(option.label, ctx.language) : code, count: shown.n, countLabel: shown.n === null ? `fewer than ${ctx.programme.minCellSize}` : shown.label };
    });
  }

  return {
    indicatorId: indicator.id,
    label: text(indicator.label, ctx.language),
    reference: indicator.reference ?? null,
    kind: indicator.kind,
    direction: indicator.direction,
    latest,
    baseline,
    change,
    target,
    specialCodes,
    indicative: series.totals.some((p) => p.indicative),
    series,
  };
}

/** Exact sums of given periods (means need Σx² for Welch, which points do not carry). */
async function rawSums(db: Kysely<Database>, ctx: DashboardContext, indicator: Indicator, period: Period, filters: ViewFilters, ids: string[]) {
  const { cell, custom } = splitFilters(ctx, filters);
  const rows = await sumIndicatorCells(db, ctx.survey.id, indicator.id, [periodColumn(period), ...(custom.length ? (["custom_key"] as CellColumn[]) : [])], cell);
  return ids.map((id) => {
    const s = zero();
    for (const r of rows) {
      if (periodId(period, r.key) !== id) continue;
      if (custom.some(([dim, v]) => groupValue(dim, r.key) !== v)) continue;
      addInto(s, r);
    }
    return { n: s.n, sum: s.sum, sumSquares: s.sumSquares };
  });
}

// ---------------------------------------------------------------------------------------------
// Gap between two groups

export interface GapPoint {
  period: string;
  periodLabel: string;
  /** value(a) − value(b); null when either group is suppressed or empty. */
  diff: number | null;
  low: number | null;
  high: number | null;
  suppressed: boolean;
  verdict: string;
}

/** The difference between two groups of one dimension in every period, with its interval. */
export async function gapSeries(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  opts: { period: Period; dimension: DimensionInfo; a: string; b: string; filters: ViewFilters },
): Promise<{ series: Series; gaps: GapPoint[] }> {
  const series = await indicatorSeries(db, ctx, indicator, { period: opts.period, by: [opts.dimension], filters: opts.filters });
  const raw = await sumIndicatorCells(db, ctx.survey.id, indicator.id, [periodColumn(opts.period), opts.dimension.column], splitFilters(ctx, opts.filters).cell);
  const sums = (periodIdValue: string, code: string) => {
    const s = zero();
    for (const r of raw) if (periodId(opts.period, r.key) === periodIdValue && groupValue(opts.dimension, r.key) === code) addInto(s, r);
    return s;
  };
  const gaps = series.periods.map((p): GapPoint => {
    const pa = series.points.find((x) => x.period === p.id && x.group[opts.dimension.id] === opts.a);
    const pb = series.points.find((x) => x.period === p.id && x.group[opts.dimension.id] === opts.b);
    if (!pa || !pb || pa.suppressed || pb.suppressed) return { period: p.id, periodLabel: p.label, diff: null, low: null, high: null, suppressed: !!(pa?.suppressed || pb?.suppressed), verdict: "" };
    const sa = sums(p.id, opts.a);
    const sb = sums(p.id, opts.b);
    const d =
      indicator.kind === "share"
        ? newcombe(Math.round(sb.sum), sb.n, Math.round(sa.sum), sa.n)
        : welchDifference({ n: sb.n, sum: sb.sum, sumSquares: sb.sumSquares }, { n: sa.n, sum: sa.sum, sumSquares: sa.sumSquares });
    const clear = d.low !== null && d.high !== null && (d.low > 0 || d.high < 0);
    return { period: p.id, periodLabel: p.label, diff: d.diff, low: d.low, high: d.high, suppressed: false, verdict: clear ? "clear gap" : "no clear gap" };
  });
  return { series, gaps };
}

// ---------------------------------------------------------------------------------------------
// Answer distributions and ranking questions

export interface DistributionRow {
  period: string;
  periodLabel: string;
  group: Record<string, string>;
  groupLabel: string;
  n: number | null;
  suppressed: boolean;
  /** Share of respondents answering the question who gave each code (null when suppressed). */
  shares: Record<string, number | null>;
  /** Ranking questions: mean rank points per respondent. */
  scores?: Record<string, number | null>;
}

/**
 * Answer distributions of a question per period and group. A row (a group in a period) is the
 * unit of disclosure: rows with too few respondents are hidden whole, with complementary
 * suppression across the groups of the period because their total is published.
 */
export async function answerDistribution(
  db: Kysely<Database>,
  ctx: DashboardContext,
  questionId: string,
  opts: { period: Period; by: DimensionInfo[]; filters: ViewFilters },
): Promise<{ codes: { code: string; label: string }[]; rows: DistributionRow[] } | null> {
  const q = ctx.survey.definition.questions.find((x) => x.id === questionId);
  const { cell, custom } = splitFilters(ctx, opts.filters);
  const by = opts.by.slice(0, 1);
  const columns = [...new Set<CellColumn>([periodColumn(opts.period), ...columnsFor(by), ...(custom.length ? (["custom_key"] as CellColumn[]) : [])])];
  const rows = await sumAnswerCells(db, ctx.survey.id, questionId, columns, cell);
  if (rows === null) return null;
  const table = new Map<string, { period: string; group: Record<string, string>; counts: Map<string, { n: number; points: number }> }>();
  for (const r of rows) {
    if (custom.some(([dim, v]) => groupValue(dim, r.key) !== v)) continue;
    const p = periodId(opts.period, r.key);
    const group = Object.fromEntries(by.map((d) => [d.id, groupValue(d, r.key)]));
    const k = `${p}\u0002${by.map((d) => group[d.id]).join("\u0001")}`;
    if (!table.has(k)) table.set(k, { period: p, group, counts: new Map() });
    const c = table.get(k)!.counts;
    const prev = c.get(r.code) ?? { n: 0, points: 0 };
    c.set(r.code, { n: prev.n + r.n, points: prev.points + r.rankPoints });
  }
  const codes = (q?.options ?? []).map((o) => ({ code: o.code, label: text(o.label, ctx.language) }));
  const periodIds = orderPeriods(ctx, opts.period, [...table.values()].map((v) => v.period));
  const min = ctx.programme.minCellSize;
  const out: DistributionRow[] = [];
  for (const p of periodIds) {
    const entries = [...table.values()].filter((v) => v.period === p);
    if (by.length) {
      const order = (g: Record<string, string>) => {
        const i = by[0].values.findIndex((v) => v.code === g[by[0].id]);
        return i < 0 ? 1e9 : i;
      };
      entries.sort((a, b) => order(a.group) - order(b.group));
    }
    const ns = entries.map((e) => e.counts.get("*")?.n ?? 0);
    const s = by.length ? suppressList(ns, min, true) : { suppressed: ns.map(() => false) };
    entries.forEach((e, i) => {
      const n = ns[i];
      const shown = publicCount(n, s.suppressed[i], min);
      const hidden = shown.n === null;
      const shares: Record<string, number | null> = {};
      const scores: Record<string, number | null> = {};
      for (const c of codes) {
        shares[c.code] = hidden || n === 0 ? null : (e.counts.get(c.code)?.n ?? 0) / n;
        if (q?.type === "ranking") scores[c.code] = hidden || n === 0 ? null : (e.counts.get(c.code)?.points ?? 0) / n;
      }
      out.push({
        period: p,
        periodLabel: periodLabel(ctx, opts.period, p),
        group: e.group,
        groupLabel: by.map((d) => valueLabel(d, e.group[d.id])).join(" · ") || "All respondents",
        n: shown.n,
        suppressed: hidden,
        shares,
        ...(q?.type === "ranking" ? { scores } : {}),
      });
    });
  }
  return { codes, rows: out };
}

// ---------------------------------------------------------------------------------------------
// Community × period table

export interface CommunityTable {
  periods: { id: string; label: string }[];
  rows: { communityId: string; name: string; cells: SeriesPoint[] }[];
  totals: SeriesPoint[];
}

/**
 * An indicator by community and period. The period totals are published (they are the headline
 * trend), so each column is protected with its total; community totals over all periods are not.
 */
export async function communityTable(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  opts: { period: Period; filters: ViewFilters },
): Promise<CommunityTable> {
  const dim = ctx.dimensions.find((d) => d.id === "community")!;
  const series = await indicatorSeries(db, ctx, indicator, { period: opts.period, by: [dim], filters: opts.filters });
  const communities = series.groups.map((g) => g.group.community);
  const cellOf = (c: string, p: string) => series.points.find((x) => x.group.community === c && x.period === p);
  // Re-protect as a two-way table: a one-split series protects each period, but a community's
  // cells across periods sit in one table on the page.
  const raw = await sumIndicatorCells(db, ctx.survey.id, indicator.id, [periodColumn(opts.period), "community_id"], splitFilters(ctx, opts.filters).cell);
  const nOf = (c: string, p: string) => raw.filter((r) => r.key.community_id === c && periodId(opts.period, r.key) === p).reduce((s, r) => s + r.n, 0);
  const cells = communities.map((c) => series.periods.map((p) => nOf(c, p.id)));
  const s = suppressTable({ cells, rowTotals: false, columnTotals: true, minCellSize: ctx.programme.minCellSize });
  const rows = communities.map((c, r) => ({
    communityId: c,
    name: valueLabel(dim, c),
    cells: series.periods.map((p, col): SeriesPoint => {
      const pt = cellOf(c, p.id) ?? { period: p.id, periodLabel: p.label, group: { community: c }, groupLabel: valueLabel(dim, c), n: 0, value: null, low: null, high: null, suppressed: false, indicative: false };
      return s.suppressed[r][col] ? { ...pt, n: null, value: null, low: null, high: null, suppressed: true } : pt;
    }),
  }));
  return { periods: series.periods, rows, totals: series.totals };
}
