// Indicator series for the dashboards, reports and API: every figure is a box of the question's
// disclosure family (./family.server, app/stats/disclosure-family), turned into estimates with
// intervals (app/stats). Views pick boxes — one community or all, everyone or one value of one
// group dimension, whole periods — so a figure hidden in one view is hidden in every view.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Indicator, SurveyDefinition } from "~/survey";
import { meanWithT, newcombe, verdict, welchDifference, wilson, type Verdict } from "~/stats/statistics";
import {
  ASSUMED_ICC,
  clusteredDifference,
  clusteredGap,
  clusteredMean,
  clusteredShare,
  planSampleSize,
  type ClusterPair,
  type ClusterSums,
  type ClusteredEstimate,
  type ClusteredGap,
} from "~/stats/clustered";
import { publicCount } from "~/stats/disclosure";
import { ALL, GROUPED_PERIODS, quarterOfMonth, type FamilyBox, type PeriodType } from "~/stats/disclosure-family";
import { IND, questionFamily, type QuestionFamily } from "./family.server";
import { text, type DashboardContext, type DimensionInfo } from "./context.server";

export type Period = PeriodType;
export const PERIODS: Period[] = ["round", "month", "quarter"];

/** What a view keeps: whole periods, one community or all, and at most one group value. */
export interface ViewFilters {
  /** One community; more than one is refused (their difference would give one away). */
  communities?: string[];
  /** Rounds shown, in the rounds view (a choice of columns: nothing is added up over them). */
  rounds?: string[];
  /** Inclusive months YYYY-MM shown, in the month and quarter views. */
  fromMonth?: string;
  toMonth?: string;
  /** Not offered: figures always combine every version (kept so a request naming one is refused). */
  version?: number;
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
  /** Clustered samples: the measured design effect, the effective n, the clusters (null for a simple random sample). */
  deff?: number | null;
  effectiveN?: number | null;
  clusters?: number | null;
  /** A value without an interval, and why: one community is one cluster, and one cluster has no honest interval. */
  noInterval?: "one cluster" | null;
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

/** A view outside the published family, with the request field to name. */
export class ViewOutsideFamily extends Error {
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function periodLabel(ctx: DashboardContext, period: Period, id: string): string {
  if (period === "round") return ctx.rounds.find((r) => r.id === id)?.name ?? "No round";
  if (period === "month") return id ? `${MONTHS[Number(id.slice(5, 7)) - 1]} ${id.slice(0, 4)}` : "Unknown";
  return id ? `${id.slice(5)} ${id.slice(0, 4)}` : "Unknown";
}

export function valueLabel(dim: DimensionInfo, code: string): string {
  if (code === "") return "Not answered";
  return dim.values.find((v) => v.code === code)?.label ?? code;
}

// ---------------------------------------------------------------------------------------------
// Views as boxes of the family

/** Families of one request's context, built once per question. */
const requestFamilies = new WeakMap<DashboardContext, Map<string, Promise<QuestionFamily>>>();
export function familyOf(db: Kysely<Database>, ctx: DashboardContext, questionId: string): Promise<QuestionFamily> {
  let byQuestion = requestFamilies.get(ctx);
  if (!byQuestion) requestFamilies.set(ctx, (byQuestion = new Map()));
  let f = byQuestion.get(questionId);
  if (!f) byQuestion.set(questionId, (f = questionFamily(db, ctx, questionId)));
  return f;
}

/** Where a view sits in the family: its community (or ALL) and its one group value, if any. */
interface Place {
  community: string;
  group: [DimensionInfo, string] | null;
}

/**
 * The view's place in the family, or the reason it is not in it: two communities at once, two
 * group dimensions at once (filters and splits together), or a survey version.
 */
export function placeOf(ctx: DashboardContext, period: Period, by: DimensionInfo[], filters: ViewFilters): Place {
  if ((filters.communities?.length ?? 0) > 1)
    throw new ViewOutsideFamily("community", "Choose one community or all of them: figures for a set of communities are not published, since two such sets differing by one community would give that community away.");
  if (filters.version !== undefined)
    throw new ViewOutsideFamily("version", "Figures combine every version of the survey; a single version is not offered, since its difference from the whole would give small groups away.");
  let community = filters.communities?.[0] ?? ALL;
  let group: [DimensionInfo, string] | null = null;
  for (const [dimId, value] of Object.entries(filters.groups ?? {})) {
    const dim = ctx.dimensions.find((d) => d.id === dimId);
    if (!dim) continue;
    if (dim.id === "community") community = value;
    else if (group) throw new ViewOutsideFamily(`g.${dimId}`, "Keep one group at a time (for instance women, or one age band): figures for two groups at once are not published.");
    else group = [dim, value];
  }
  const demographic = new Set([...by.filter((d) => d.id !== "community").map((d) => d.id), ...(group ? [group[0].id] : [])]);
  if (demographic.size > 1)
    throw new ViewOutsideFamily("by", "Split or filter by one group dimension at a time (gender, age band, disability, displacement or a custom group), with or without community.");
  if (demographic.size && !GROUPED_PERIODS.includes(period))
    throw new ViewOutsideFamily(group ? `g.${group[0].id}` : "by", `Groups (gender, age band and the others) are shown by round; by ${period}, figures are for everyone, in one community or all.`);
  return { community, group };
}

/** The periods a view shows: whole rounds, months or quarters with data, narrowed as the filters ask. */
function shownPeriods(ctx: DashboardContext, qf: QuestionFamily, period: Period, filters: ViewFilters): { id: string; label: string }[] {
  let ids = qf.family.periods[period];
  if (period === "round") {
    // Rounds without a single response in the survey are left out, and so is "no round" then.
    ids = ids.filter((id) => respondents(qf.family.box("round", id, ALL)) > 0);
    if (filters.rounds?.length) ids = ids.filter((id) => filters.rounds!.includes(id));
  } else {
    const bound = (month: string) => (period === "quarter" ? quarterOfMonth(month) : month);
    if (filters.fromMonth) ids = ids.filter((id) => id >= bound(filters.fromMonth!));
    if (filters.toMonth) ids = ids.filter((id) => id <= bound(filters.toMonth!));
  }
  return ids.map((id) => ({ id, label: periodLabel(ctx, period, id) }));
}

const respondents = (box: FamilyBox) => box.sums[0];

/**
 * The values of a dimension a view lists: every value offered, and "not answered" (or a value an
 * older version offered) once anyone in the survey gave it — a survey-wide fact, the same in every view.
 */
function valuesOf(qf: QuestionFamily, dim: DimensionInfo, place: Place): string[] {
  const family = qf.family;
  const any = (c: string, d: string, v: string) => family.periods.round.some((r) => respondents(family.box("round", r, c, d, v)) > 0);
  if (dim.id === "community") {
    if (place.community !== ALL) return [place.community];
    const offered = dim.values.map((v) => v.code);
    return [...offered, ...family.communities.filter((c) => !offered.includes(c) && any(c, "", ""))];
  }
  if (place.group && place.group[0].id === dim.id) return [place.group[1]];
  const offered = dim.values.map((v) => v.code);
  const values = family.dimensions.find((d) => d.id === dim.id)?.values ?? [];
  return [...offered, ...values.filter((v) => !offered.includes(v) && any(ALL, dim.id, v))];
}

/** The box of one group of a view in one period. */
function boxOf(qf: QuestionFamily, period: Period, p: string, place: Place, group: Record<string, string>, by: DimensionInfo[]): FamilyBox {
  let community = place.community;
  let dimension = place.group ? place.group[0].id : "";
  let value = place.group ? place.group[1] : "";
  for (const d of by) {
    if (d.id === "community") community = group[d.id];
    else {
      dimension = d.id;
      value = group[d.id];
    }
  }
  return qf.family.box(period, p, community, dimension, value);
}

interface Sums {
  n: number;
  sum: number;
  sumSquares: number;
  sessionN: number;
}

function sumsOf(qf: QuestionFamily, indicator: Indicator, box: FamilyBox): Sums {
  const o = qf.layout.indicators.get(indicator.id)!;
  return { n: box.sums[o + IND.n], sum: box.sums[o + IND.sum], sumSquares: box.sums[o + IND.sq], sessionN: box.sums[o + IND.sessionN] };
}

/** How a view's intervals are computed: as a simple random sample, or clustered by community. */
export type Design = "simple" | "community";

const designs = new WeakMap<QuestionFamily, Design>();
/** The programme's choice; "auto" clusters by community once responses come from more than one. */
export function designOf(ctx: DashboardContext, qf: QuestionFamily): Design {
  if (ctx.programme.sampling !== "auto") return ctx.programme.sampling;
  let d = designs.get(qf);
  if (!d) {
    const f = qf.family;
    const answered = f.communities.filter((c) => f.periods.round.some((r) => respondents(f.box("round", r, c)) > 0));
    designs.set(qf, (d = answered.length > 1 ? "community" : "simple"));
  }
  return d;
}

/**
 * The clusters of a box under community clustering. One community is one cluster. For all
 * communities: each shown community's sums, and the hidden ones merged into one cluster — their
 * total is the box minus the shown communities, which any reader can already work out, so the
 * interval's width tells nothing about a hidden community that the published figures do not.
 */
function clustersOf(qf: QuestionFamily, indicator: Indicator, period: Period, p: string, place: Place, group: Record<string, string>, by: DimensionInfo[]): ClusterSums[] {
  const box = boxOf(qf, period, p, place, group, by);
  const whole = sumsOf(qf, indicator, box);
  const community = by.some((d) => d.id === "community") ? group.community : place.community;
  if (community !== ALL) return [{ n: whole.n, sum: whole.sum }];
  const out: ClusterSums[] = [];
  const rest = { n: whole.n, sum: whole.sum };
  for (const c of qf.family.communities) {
    const cb = boxOf(qf, period, p, { ...place, community: c }, { ...group }, by.filter((d) => d.id !== "community"));
    if (cb.hidden) continue;
    const s = sumsOf(qf, indicator, cb);
    if (s.n === 0) continue;
    out.push({ n: s.n, sum: s.sum });
    rest.n -= s.n;
    rest.sum -= s.sum;
  }
  if (rest.n > 0.5) out.push({ n: Math.round(rest.n), sum: rest.sum });
  return out;
}

function clusteredOf(kind: Indicator["kind"], s: Sums, clusters: ClusterSums[]): ClusteredEstimate {
  return kind === "share" ? clusteredShare(clusters) : clusteredMean(clusters, s.sumSquares);
}

/** The estimate and interval of one cell's sums (Wilson for shares, t for means; clustered when given clusters). */
function estimateOf(kind: Indicator["kind"], s: Sums, clusters?: ClusterSums[]): Pick<SeriesPoint, "value" | "low" | "high" | "deff" | "effectiveN" | "clusters" | "noInterval"> {
  if (clusters) {
    const e = clusteredOf(kind, s, clusters);
    return { value: e.value, low: e.low, high: e.high, deff: e.deff, effectiveN: e.effectiveN, clusters: e.clusters, noInterval: e.noInterval };
  }
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
  hidden: boolean,
  minCellSize: number,
  base: Omit<SeriesPoint, "n" | "value" | "low" | "high" | "suppressed" | "indicative">,
  clusters?: () => ClusterSums[],
): SeriesPoint {
  const shown = publicCount(s.n, hidden, minCellSize);
  if (shown.n === null) return { ...base, n: null, value: null, low: null, high: null, suppressed: true, indicative: false };
  return { ...base, n: s.n, ...estimateOf(kind, s, clusters?.()), suppressed: false, indicative: s.sessionN > 0 };
}

/** Every combination of the split dimensions' values, in option order ("not answered" last). */
function groupsOf(qf: QuestionFamily, by: DimensionInfo[], place: Place): { key: string; group: Record<string, string>; label: string }[] {
  let combos: Record<string, string>[] = [{}];
  for (const d of by) combos = combos.flatMap((g) => valuesOf(qf, d, place).map((v) => ({ ...g, [d.id]: v })));
  const rank = (d: DimensionInfo, code: string) => {
    const i = d.values.findIndex((v) => v.code === code);
    return i < 0 ? (code === "" ? 1e9 : 1e8) : i;
  };
  combos.sort((ga, gb) => {
    for (const d of by) {
      const diff = rank(d, ga[d.id]) - rank(d, gb[d.id]);
      if (diff) return diff;
      if (ga[d.id] !== gb[d.id]) return ga[d.id].localeCompare(gb[d.id]);
    }
    return 0;
  });
  return combos.map((group) => ({
    key: by.map((d) => group[d.id]).join("\u0001"),
    group,
    label: by.map((d) => valueLabel(d, group[d.id])).join(" · ") || "All respondents",
  }));
}

/**
 * One indicator over periods, split by 0, 1 or 2 dimensions (at most one besides community).
 * Groups with nobody in a period are left out of that period, as absent and 0 say the same.
 */
export async function indicatorSeries(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  opts: { period: Period; by: DimensionInfo[]; filters: ViewFilters },
): Promise<Series> {
  const { period, by } = opts;
  const place = placeOf(ctx, opts.period, by, opts.filters);
  const qf = await familyOf(db, ctx, indicator.question);
  const periods = shownPeriods(ctx, qf, period, opts.filters);
  const groups = by.length ? groupsOf(qf, by, place) : [];
  const min = ctx.programme.minCellSize;
  const clustered = designOf(ctx, qf) === "community";
  const clusters = (p: string, group: Record<string, string>, groupBy: DimensionInfo[]) => (clustered ? () => clustersOf(qf, indicator, period, p, place, group, groupBy) : undefined);
  const points: SeriesPoint[] = [];
  const totals: SeriesPoint[] = [];
  for (const p of periods) {
    for (const g of groups) {
      const box = boxOf(qf, period, p.id, place, g.group, by);
      if (!box.hidden && respondents(box) === 0) continue;
      points.push(point(indicator.kind, sumsOf(qf, indicator, box), box.hidden, min, { period: p.id, periodLabel: p.label, group: g.group, groupLabel: g.label }, clusters(p.id, g.group, by)));
    }
    const total = boxOf(qf, period, p.id, place, {}, []);
    totals.push(point(indicator.kind, sumsOf(qf, indicator, total), total.hidden, min, { period: p.id, periodLabel: p.label, group: {}, groupLabel: "All respondents" }, clusters(p.id, {}, [])));
  }
  const listed = new Set(points.map((x) => by.map((d) => x.group[d.id]).join("\u0001")));
  return {
    indicatorId: indicator.id,
    kind: indicator.kind,
    period,
    by,
    periods,
    groups: groups.filter((g) => listed.has(g.key)),
    points,
    totals,
    minCellSize: min,
  };
}

// ---------------------------------------------------------------------------------------------
// Headline

export interface SamplePlan {
  from: number;
  to: number;
  perRound: number;
  perCommunity: number;
  communities: number;
  deff: number;
  deffSource: "measured" | "assumed" | "simple random sample";
  latestN: number;
  reached: boolean;
}

/**
 * The sample-size planner for an indicator with a target (the last one set): from the baseline (or, with one period,
 * the latest) value to the target at 80% power and 5% two-sided significance, times the design
 * effect measured at baseline or latest (else assumed from ICC 0.05 and the latest round's
 * respondents per community), spread over the communities that answered in the latest period.
 */
function planOf(ctx: DashboardContext, qf: QuestionFamily, indicator: Indicator, period: Period, place: Place, start: SeriesPoint, latest: SeriesPoint): SamplePlan | null {
  // The last target set (per round or for a date), as the headline aims at; not the definition's old single target.
  const target = finalTarget(ctx, indicator.id)?.value;
  if (target === undefined || start.value === null || latest.n === null) return null;
  const change = target - start.value;
  if (change === 0) return null;
  if (indicator.kind === "share" && !(start.value > 0 && start.value < 1 && target > 0 && target < 1)) return null;
  const design = designOf(ctx, qf);
  const answering = place.community !== ALL ? 1 : Math.max(1, qf.family.communities.filter((c) => sumsOf(qf, indicator, qf.family.box(period, latest.period, c)).n > 0).length);
  let deff = 1;
  let deffSource: SamplePlan["deffSource"] = "simple random sample";
  if (design === "community") {
    const measured = [start.deff, latest.deff].find((d): d is number => typeof d === "number" && Number.isFinite(d));
    if (measured !== undefined) [deff, deffSource] = [Math.max(1, measured), "measured"];
    else [deff, deffSource] = [1 + (latest.n / answering - 1) * ASSUMED_ICC, "assumed"];
  }
  let sd: number | undefined;
  if (indicator.kind === "mean") {
    const s = sumsOf(qf, indicator, boxOf(qf, period, start.period, place, {}, []));
    sd = s.n > 1 ? Math.sqrt(Math.max(0, (s.sumSquares - (s.sum * s.sum) / s.n) / (s.n - 1))) : undefined;
    if (!sd) return null;
  }
  const plan = planSampleSize({ kind: indicator.kind, baseline: start.value, change, sd, deff, communities: answering });
  return { from: start.value, to: target, perRound: plan.perRound, perCommunity: plan.perCommunity, communities: answering, deff, deffSource, latestN: latest.n, reached: latest.n >= plan.perRound };
}

/** What a change between two periods is computed from: a box's sums and, when clustered, its estimate. */
export interface PeriodEstimate {
  kind: Indicator["kind"];
  sums: Sums;
  clustered: ClusteredEstimate | null;
}

function estimateIn(ctx: DashboardContext, qf: QuestionFamily, indicator: Indicator, period: Period, p: string, place: Place): PeriodEstimate {
  const sums = sumsOf(qf, indicator, boxOf(qf, period, p, place, {}, []));
  const clustered = designOf(ctx, qf) === "community" ? clusteredOf(indicator.kind, sums, clustersOf(qf, indicator, period, p, place, {}, [])) : null;
  return { kind: indicator.kind, sums, clustered };
}

/**
 * The estimate of one whole period of a view (everyone, or the one group the filters keep), as its
 * figure on the trend is computed: the caller only asks for a period whose figure is shown.
 */
export async function periodEstimate(db: Kysely<Database>, ctx: DashboardContext, indicator: Indicator, period: Period, p: string, filters: ViewFilters): Promise<PeriodEstimate> {
  const qf = await familyOf(db, ctx, indicator.question);
  return estimateIn(ctx, qf, indicator, period, p, placeOf(ctx, period, [], filters));
}

/** A simple-random-sample estimate in the clustered form (variance s²/n, normal quantile), to set beside a clustered one. */
function asClustered(e: PeriodEstimate): ClusteredEstimate {
  const { n, sum, sumSquares } = e.sums;
  const value = n > 0 ? sum / n : null;
  const s2 = n > 1 && value !== null ? (e.kind === "share" ? (n * value * (1 - value)) / (n - 1) : Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1))) : null;
  const variance = s2 === null ? null : s2 / n;
  return { value, n, clusters: 1, variance, srsVariance: variance, deff: 1, effectiveN: n, df: variance === null ? null : Infinity, low: null, high: null, noInterval: null };
}

/**
 * Change between two independent periods with its verdict: the cluster-robust difference when either
 * side is clustered (the other side then with its simple-random variance), else Newcombe's interval
 * for shares and Welch's for means. The two may come from different surveys (linked indicators).
 */
export function changeBetween(indicator: Indicator, before: PeriodEstimate, after: PeriodEstimate): NonNullable<Headline["change"]> {
  if (before.clustered || after.clustered) {
    const d = clusteredDifference(before.clustered ?? asClustered(before), after.clustered ?? asClustered(after));
    return { diff: d.diff, low: d.low, high: d.high, noInterval: d.noInterval, verdict: verdict(d.low, d.high, indicator.direction) };
  }
  const a = before.sums;
  const b = after.sums;
  const interval = indicator.kind === "share" ? newcombe(Math.round(a.sum), a.n, Math.round(b.sum), b.n) : welchDifference(a, b);
  return { ...interval, verdict: verdict(interval.low, interval.high, indicator.direction) };
}

export interface Headline {
  indicatorId: string;
  label: string;
  reference: string | null;
  kind: Indicator["kind"];
  direction: Indicator["direction"];
  latest: SeriesPoint | null;
  baseline: SeriesPoint | null;
  change: { diff: number | null; low: number | null; high: number | null; verdict: Verdict; noInterval?: "one cluster" | null } | null;
  /** How the intervals were computed. */
  design: Design;
  /** Respondents needed to show the change to the target, and whether the latest period had them. */
  plan: SamplePlan | null;
  target: { value: number; date: string | null; progress: number | null; reached: boolean } | null;
  /** Answers left out of (or, for the official rule, kept in) the denominator, by code, in the latest period. */
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
 * The last target set (what a headline and trend line aim at): the latest of the targets per round
 * (dated by the round's end) and the targets for a date; at one date a round's target wins.
 */
export function finalTarget(ctx: DashboardContext, indicatorId: string): { roundId: string | null; value: number; endsOn: string } | null {
  const plan = ctx.plans?.get(indicatorId);
  if (!plan) return null;
  const round = ctx.rounds.filter((r) => plan.targets.has(r.id)).at(-1);
  const byRound = round ? { roundId: round.id, value: plan.targets.get(round.id)!, endsOn: round.endsOn } : null;
  const dated = plan.dates?.at(-1);
  const byDate = dated ? { roundId: null, value: dated.value, endsOn: dated.on } : null;
  if (byRound && byDate) return byDate.endsOn > byRound.endsOn ? byDate : byRound;
  return byRound ?? byDate;
}

/**
 * Latest value with its interval, change since baseline (Newcombe for shares, Welch for means)
 * with its verdict, progress towards the target, and the counts of special codes in the latest
 * period. Uses the headline series (no split) so every figure is the one the trend shows. The
 * special codes are answers inside the latest period's box, which is shown: they are shown as
 * they are, like the answer distribution of that box (its shares times its n).
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
    const chosen = ctx.plans?.get(indicator.id)?.baselineRoundId;
    const b = ctx.rounds.find((r) => (chosen ? r.id === chosen : r.kind === "baseline") && visible.some((p) => p.period === r.id));
    if (b) baseline = visible.find((p) => p.period === b.id)!;
  }
  if (baseline && latest && baseline.period === latest.period) baseline = null;

  const qf = await familyOf(db, ctx, indicator.question);
  const place = placeOf(ctx, opts.period, [], opts.filters);
  const totalBox = (p: string) => boxOf(qf, opts.period, p, place, {}, []);

  let change: Headline["change"] = null;
  if (baseline && latest) {
    // Recomputed from the sums of the two periods, not from rounded figures.
    change = changeBetween(indicator, estimateIn(ctx, qf, indicator, opts.period, baseline.period, place), estimateIn(ctx, qf, indicator, opts.period, latest.period, place));
  }

  let target: Headline["target"] = null;
  const final = finalTarget(ctx, indicator.id);
  if (final) {
    const from = baseline?.value ?? null;
    const now = latest?.value ?? null;
    const better = (x: number, y: number) => (indicator.direction === "higher_is_better" ? x >= y : x <= y);
    const reached = now !== null && better(now, final.value);
    const progress = from !== null && now !== null && final.value !== from ? Math.max(0, Math.min(1, (now - from) / (final.value - from))) : null;
    target = { value: final.value, date: final.endsOn, progress: reached ? 1 : progress, reached };
  }

  let specialCodes: Headline["specialCodes"] = [];
  if (latest) {
    const box = totalBox(latest.period);
    const q = ctx.survey.definition.questions.find((x) => x.id === indicator.question);
    specialCodes = specialCodesOf(ctx.survey.definition, indicator).map((code) => {
      const o = qf.layout.codes.get(code);
      const count = box.hidden || o === undefined ? null : box.sums[o];
      const option = q?.options?.find((x) => x.code === code);
      return { code, label: option ? text(option.label, ctx.language) : code, count, countLabel: count === null ? "suppressed" : String(count) };
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
    design: designOf(ctx, qf),
    plan: latest ? planOf(ctx, qf, indicator, opts.period, place, baseline ?? latest, latest) : null,
    indicative: series.totals.some((p) => p.indicative),
    series,
  };
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
  /** Clustered, within one community: one cluster, no honest interval. */
  noInterval?: "one cluster" | null;
}

/** A box's simple-random variance of its share or mean (p(1−p)/(n−1), or s²/n), the floor of a clustered one. */
function srsVariance(kind: Indicator["kind"], s: Sums): number {
  if (s.n < 2) return 0;
  if (kind === "share") {
    const p = s.sum / s.n;
    return (p * (1 - p)) / (s.n - 1);
  }
  return Math.max(0, (s.sumSquares - (s.sum * s.sum) / s.n) / (s.n - 1)) / s.n;
}

/**
 * The gap between two groups of one round under community clustering: the groups share their
 * communities, so the difference takes the per-community sums of both. A community is its own
 * cluster only where both groups' boxes are shown; the others are merged into one cluster per
 * group whose sums are the group's box minus the shown communities — as for a round's own
 * interval, the width tells nothing the published figures do not.
 */
function gapClustered(qf: QuestionFamily, indicator: Indicator, period: Period, p: string, place: Place, dim: DimensionInfo, a: string, b: string, sa: Sums, sb: Sums): ClusteredGap {
  const floor = srsVariance(indicator.kind, sa) + srsVariance(indicator.kind, sb);
  if (place.community !== ALL) return clusteredGap([{ a: { n: sa.n, sum: sa.sum }, b: { n: sb.n, sum: sb.sum } }], floor);
  const pairs: ClusterPair[] = [];
  const rest = { a: { n: sa.n, sum: sa.sum }, b: { n: sb.n, sum: sb.sum } };
  for (const c of qf.family.communities) {
    const at = { ...place, community: c };
    const boxA = boxOf(qf, period, p, at, { [dim.id]: a }, [dim]);
    const boxB = boxOf(qf, period, p, at, { [dim.id]: b }, [dim]);
    if (boxA.hidden || boxB.hidden) continue;
    const ca = sumsOf(qf, indicator, boxA);
    const cb = sumsOf(qf, indicator, boxB);
    if (ca.n === 0 && cb.n === 0) continue;
    pairs.push({ a: { n: ca.n, sum: ca.sum }, b: { n: cb.n, sum: cb.sum } });
    rest.a.n -= ca.n;
    rest.a.sum -= ca.sum;
    rest.b.n -= cb.n;
    rest.b.sum -= cb.sum;
  }
  if (rest.a.n > 0.5 || rest.b.n > 0.5) pairs.push({ a: { n: Math.max(0, Math.round(rest.a.n)), sum: rest.a.sum }, b: { n: Math.max(0, Math.round(rest.b.n)), sum: rest.b.sum } });
  return clusteredGap(pairs, floor);
}

/** The difference between two groups of one dimension in every period, with its interval. */
export async function gapSeries(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  opts: { period: Period; dimension: DimensionInfo; a: string; b: string; filters: ViewFilters },
): Promise<{ series: Series; gaps: GapPoint[] }> {
  const series = await indicatorSeries(db, ctx, indicator, { period: opts.period, by: [opts.dimension], filters: opts.filters });
  const qf = await familyOf(db, ctx, indicator.question);
  const place = placeOf(ctx, opts.period, [opts.dimension], opts.filters);
  const clustered = designOf(ctx, qf) === "community";
  const gaps = series.periods.map((p): GapPoint => {
    const boxA = boxOf(qf, opts.period, p.id, place, { [opts.dimension.id]: opts.a }, [opts.dimension]);
    const boxB = boxOf(qf, opts.period, p.id, place, { [opts.dimension.id]: opts.b }, [opts.dimension]);
    const sa = sumsOf(qf, indicator, boxA);
    const sb = sumsOf(qf, indicator, boxB);
    const hidden = boxA.hidden || boxB.hidden;
    if (hidden || sa.n === 0 || sb.n === 0) return { period: p.id, periodLabel: p.label, diff: null, low: null, high: null, suppressed: hidden, verdict: "" };
    const d = clustered
      ? gapClustered(qf, indicator, opts.period, p.id, place, opts.dimension, opts.a, opts.b, sa, sb)
      : indicator.kind === "share"
        ? newcombe(Math.round(sb.sum), sb.n, Math.round(sa.sum), sa.n)
        : welchDifference(sb, sa);
    const clear = d.low !== null && d.high !== null && (d.low > 0 || d.high < 0);
    const noInterval = clustered ? (d as ClusteredGap).noInterval : null;
    return { period: p.id, periodLabel: p.label, diff: d.diff, low: d.low, high: d.high, suppressed: false, verdict: noInterval ? "" : clear ? "clear gap" : "no clear gap", noInterval };
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
 * Answer distributions of a question per period and group (split by at most one dimension): the
 * boxes of the question's family, hidden exactly where its indicators' figures are. Answer counts
 * are kept per built-in dimension, so a custom group gives null (the page says so).
 */
export async function answerDistribution(
  db: Kysely<Database>,
  ctx: DashboardContext,
  questionId: string,
  opts: { period: Period; by: DimensionInfo[]; filters: ViewFilters },
): Promise<{ codes: { code: string; label: string }[]; rows: DistributionRow[] } | null> {
  const by = opts.by.slice(0, 1);
  const place = placeOf(ctx, opts.period, by, opts.filters);
  if ([...by, ...(place.group ? [place.group[0]] : [])].some((d) => d.custom)) return null;
  const qf = await familyOf(db, ctx, questionId);
  const q = qf.question;
  if (!q?.options?.length) return null;
  const codes = q.options.map((o) => ({ code: o.code, label: text(o.label, ctx.language) }));
  const answered = qf.layout.codes.get("*")!;
  const min = ctx.programme.minCellSize;
  const out: DistributionRow[] = [];
  const groups = by.length ? groupsOf(qf, by, place) : [{ key: "", group: {}, label: "All respondents" }];
  for (const p of shownPeriods(ctx, qf, opts.period, opts.filters)) {
    for (const g of groups) {
      const box = boxOf(qf, opts.period, p.id, place, g.group, by);
      const n = box.sums[answered];
      if (!box.hidden && n === 0) continue;
      const shown = publicCount(n, box.hidden, min);
      const hidden = shown.n === null;
      const shares: Record<string, number | null> = {};
      const scores: Record<string, number | null> = {};
      for (const c of codes) {
        const o = qf.layout.codes.get(c.code)!;
        shares[c.code] = hidden || n === 0 ? null : box.sums[o] / n;
        if (q.type === "ranking") scores[c.code] = hidden || n === 0 ? null : box.sums[o + 1] / n;
      }
      out.push({ period: p.id, periodLabel: p.label, group: g.group, groupLabel: g.label, n: shown.n, suppressed: hidden, shares, ...(q.type === "ranking" ? { scores } : {}) });
    }
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

/** An indicator by community and period: the community split of the trend, laid out as a table. */
export async function communityTable(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  opts: { period: Period; filters: ViewFilters },
): Promise<CommunityTable> {
  const dim = ctx.dimensions.find((d) => d.id === "community")!;
  const series = await indicatorSeries(db, ctx, indicator, { period: opts.period, by: [dim], filters: opts.filters });
  const rows = series.groups.map((g) => {
    const c = g.group.community;
    return {
      communityId: c,
      name: valueLabel(dim, c),
      cells: series.periods.map(
        (p): SeriesPoint =>
          series.points.find((x) => x.group.community === c && x.period === p.id) ?? {
            period: p.id,
            periodLabel: p.label,
            group: { community: c },
            groupLabel: valueLabel(dim, c),
            n: 0,
            value: null,
            low: null,
            high: null,
            suppressed: false,
            indicative: false,
          },
      ),
    };
  });
  return { periods: series.periods, rows, totals: series.totals };
}
