// Everything the programme dashboard (and the report and CSV downloads) shows, computed once per
// request from the aggregate cells: headlines and trends for every indicator, and the chosen
// panel (gap, answer distribution, community table) for the indicator in focus. Tables are built
// here as strings so the HTML table, the CSV download and the chart all carry the same numbers.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Indicator } from "~/survey";
import type { DashboardContext, DimensionInfo } from "./context.server";
import { text } from "./context.server";
import { surveyPeriods } from "./cells.server";
import {
  answerDistribution,
  communityTable,
  finalTarget,
  gapSeries,
  indicatorHeadline,
  indicatorSeries,
  placeOf,
  valueLabel,
  ViewOutsideFamily,
  type DistributionRow,
  type GapPoint,
  type Headline,
  type Series,
  type SeriesPoint,
  type ViewFilters,
  type Design,
  type SamplePlan,
} from "./series.server";
import type { DashboardView } from "./view";
import { ENGLISH_ENGINE, type EngineWords } from "./engine-words";
import { datePosition } from "./tracking";
import { linkedChange, linkedTotals, partnerOf, sourceOf, withLinkedTotals, type Siblings } from "./linked.server";

export interface DataTable {
  id: string;
  caption: string;
  columns: string[];
  rows: string[][];
  /** Optional 0–1 shading per cell (community table), same shape as rows. */
  shade?: (number | null)[][];
}

export interface ChartPoint {
  value: number;
  low: number | null;
  high: number | null;
  n: number;
  indicative: boolean;
}

export interface ChartSeries {
  kind: "share" | "mean";
  periods: string[];
  /** color and dash: indexes into the chart palette and dash patterns (first and second split). */
  lines: { label: string; points: (ChartPoint | null)[]; color?: number; dash?: number }[];
  target: number | null;
  /** Targets per round and for a date, by round: at is the position on the x axis (periods 0, 1, …; beyond the last when later). */
  targetMarks?: { at: number; value: number; label: string }[];
  baselineIndex: number | null;
  yLabel: string;
  /** The words the chart draws on its canvas. */
  marks?: { baseline: string; target: string };
  /** Two-way splits as small multiples: one panel per community (or per value of the first split), sharing one y axis. */
  panels?: { title: string; series: ChartSeries }[];
  /** A y axis shared across panels. */
  yRange?: { min: number; max: number };
}

export interface HeadlineView {
  indicatorId: string;
  label: string;
  reference: string | null;
  kind: "share" | "mean";
  value: string;
  interval: string;
  n: string;
  period: string;
  change: string | null;
  verdict: string | null;
  /** The verdict's tone, whatever language it is written in. */
  tone: "good" | "bad" | "neutral" | null;
  target: string | null;
  targetProgress: number | null;
  special: string | null;
  /** Clustered samples: design effect, effective n and clusters of the latest figure. */
  design: string | null;
  /** The sample-size planner's reading, and whether the latest period reached it. */
  plan: string | null;
  planReached: boolean | null;
  indicative: boolean;
  empty: boolean;
  /** A linked indicator: which rounds come from the other survey. */
  linked?: string | null;
}

export interface IndicatorBlock {
  headline: HeadlineView;
  chart: ChartSeries;
  table: DataTable;
}

export interface FocusPanel {
  indicatorId: string;
  panel: DashboardView["panel"];
  gap?: { dimension: string; a: string; b: string; aLabel: string; bLabel: string; chart: ChartSeries; table: DataTable; choices: { code: string; label: string }[] };
  answers?: { chart: DistributionChart; table: DataTable; diverging: boolean };
  ranking?: { question: string; table: DataTable }[];
  communities?: { table: DataTable };
  /** Why a panel cannot be shown for this combination of filters. */
  unavailable?: string;
}

export interface DistributionChart {
  rows: string[];
  /** weight: side of the axis (sign) and distance from the middle (size); 0 for neutral answers. */
  codes: { code: string; label: string; weight: number }[];
  values: (number | null)[][];
}

export interface DashboardData {
  minCellSize: number;
  /** How intervals are computed (the programme's sampling description, resolved). */
  design: Design;
  /** Why the view asked for is not published (two communities, two groups at once…), with the field. */
  outside: { field: string; message: string } | null;
  suppressionNote: string;
  blocks: IndicatorBlock[];
  focus: FocusPanel | null;
  months: string[];
}

/** A figure as the headline writes it: a whole percentage or a mean with two decimals. */
const pct = (w: EngineWords, v: number | null, kind: "share" | "mean") => (v === null ? "" : kind === "share" ? w.t("percent", { value: w.fixed(Math.round(v * 100), 0) }) : w.fixed(v, 2));
const signed = (w: EngineWords, v: number, kind: "share" | "mean") => {
  const sign = v >= 0 ? "+" : "−";
  if (kind === "mean") return `${sign}${w.fixed(Math.abs(v), 2)}`;
  const n = Math.abs(Math.round(v * 100));
  return w.t("points", { n, signed: `${sign}${w.fixed(n, 0)}` });
};
/** A table cell's value: shares in % with one decimal, means with two. */
const cell = (w: EngineWords, kind: "share" | "mean", v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? "" : kind === "share" ? w.fixed(v * 100, 1) : w.fixed(v, 2);

const VERDICT_KEY = { "clear improvement": "verdictImprovement", "clear decline": "verdictDecline", "no clear change": "verdictNoChange" } as const;
const VERDICT_TONE = { "clear improvement": "good", "clear decline": "bad", "no clear change": "neutral" } as const;
// The labels the series module writes for what is not a group or a round of the programme's own.
const ENGINE_LABELS: Record<string, "allRespondents" | "notAnswered" | "noRound" | "unknownPeriod"> = {
  "All respondents": "allRespondents",
  "Not answered": "notAnswered",
  "No round": "noRound",
  Unknown: "unknownPeriod",
};
/** A group label ("Women · Not answered") with the engine's own words in the page's language. */
const groupText = (w: EngineWords, label: string) => label.split(" · ").map((part) => (ENGINE_LABELS[part] ? w.t(ENGINE_LABELS[part]) : part)).join(" · ");
/** A period label in the page's language: months named as it names them. */
const periodText = (w: EngineWords, id: string, label: string) => (ENGINE_LABELS[label] ? w.t(ENGINE_LABELS[label]) : (w.month(id) ?? label));
const localPoint = <P extends { period: string; periodLabel: string }>(w: EngineWords, p: P): P => ({ ...p, periodLabel: periodText(w, p.period, p.periodLabel), ...("groupLabel" in p ? { groupLabel: groupText(w, String(p.groupLabel)) } : {}) });
/** A series with every label in the page's language, so tables, charts and headlines agree. */
function localSeries(w: EngineWords, s: Series): Series {
  return {
    ...s,
    periods: s.periods.map((p) => ({ ...p, label: periodText(w, p.id, p.label) })),
    groups: s.groups.map((g) => ({ ...g, label: groupText(w, g.label) })),
    points: s.points.map((p) => localPoint(w, p)),
    totals: s.totals.map((p) => localPoint(w, p)),
  };
}

export function filtersOf(view: DashboardView): ViewFilters {
  return {
    communities: view.communities.length ? view.communities : undefined,
    rounds: view.rounds.length ? view.rounds : undefined,
    fromMonth: view.from ?? undefined,
    toMonth: view.to ?? undefined,
    version: view.version ?? undefined,
    groups: view.groups,
  };
}

export function dimensionsFor(ctx: DashboardContext, ids: string[]): DimensionInfo[] {
  return ids.map((id) => ctx.dimensions.find((d) => d.id === id)).filter((d): d is DimensionInfo => !!d).slice(0, 2);
}

function headlineView(h: Headline, ctx: DashboardContext, w: EngineWords): HeadlineView {
  const { t } = w;
  const k = h.kind;
  const latest = h.latest ? localPoint(w, h.latest) : null;
  const baseline = h.baseline ? localPoint(w, h.baseline) : null;
  const special = h.specialCodes.length ? h.specialCodes.map((s) => t("special", { label: s.label, code: s.code, count: s.count === null ? t("suppressed") : w.fixed(s.count, 0) })).join("; ") : null;
  let target: string | null = null;
  if (h.target) {
    const value = pct(w, h.target.value, k);
    const aim = h.target.date ? t("targetBy", { value, date: h.target.date }) : t("target", { value });
    target = h.target.reached ? t("targetReached", { target: aim }) : h.target.progress !== null ? t("targetProgress", { target: aim, pct: w.fixed(Math.round(h.target.progress * 100), 0) }) : aim;
  }
  let change: string | null = null;
  if (h.change && h.change.diff !== null && baseline) {
    const since = t("change", { diff: signed(w, h.change.diff, k), baseline: baseline.periodLabel });
    change =
      h.change.low !== null
        ? t("changeInterval", { change: since, low: signed(w, h.change.low, k), high: signed(w, h.change.high!, k) })
        : h.change.noInterval
          ? t("changeNote", { change: since, note: t("noInterval") })
          : since;
  }
  const verdict = h.change?.verdict ?? null;
  return {
    indicatorId: h.indicatorId,
    label: h.label,
    reference: h.reference,
    kind: k,
    value: latest ? pct(w, latest.value, k) : t("noData"),
    interval: latest && latest.low !== null ? t("interval", { low: pct(w, latest.low, k), high: pct(w, latest.high, k) }) : latest?.noInterval ? t("noInterval") : "",
    n: latest ? t("nIs", { n: latest.n === null ? "" : w.fixed(latest.n, 0) }) : t("hiddenGroups", { min: w.fixed(ctx.programme.minCellSize, 0) }),
    period: latest?.periodLabel ?? "",
    change,
    verdict: verdict ? t(VERDICT_KEY[verdict]) : null,
    tone: verdict ? VERDICT_TONE[verdict] : null,
    target,
    targetProgress: h.target?.progress ?? null,
    special,
    design: latest ? designText(latest, w) : null,
    plan: h.plan ? planText(h.plan, k, w) : null,
    planReached: h.plan ? h.plan.reached : null,
    indicative: h.indicative,
    empty: !latest,
  };
}

/** The planner in one sentence a manager can act on. */
export function planText(p: SamplePlan, kind: "share" | "mean", w: EngineWords = ENGLISH_ENGINE): string {
  const { t } = w;
  const deffValue = w.fixed(p.deff, 1);
  const deff = p.deffSource === "simple random sample" ? t("planSimple") : p.deffSource === "measured" ? t("planMeasured", { deff: deffValue }) : t("planAssumed", { deff: deffValue });
  const whole = (n: number) => w.fixed(n, 0);
  const spread = p.communities > 1 ? t("planSpread", { perCommunity: whole(p.perCommunity), communities: whole(p.communities) }) : "";
  return t("plan", { from: pct(w, p.from, kind), to: pct(w, p.to, kind), deff, perRound: whole(p.perRound), spread, latest: whole(p.latestN), enough: t(p.reached ? "planEnough" : "planNotEnough") });
}

/** "design effect 2.1 · effective n 94 · 5 clusters" for a clustered figure, null for a simple random sample. */
export function designText(p: SeriesPoint, w: EngineWords = ENGLISH_ENGINE): string | null {
  const { t } = w;
  if (p.suppressed || p.clusters === undefined || p.clusters === null) return null;
  if (p.noInterval) return t("oneCommunity");
  const deff = p.deff !== null && p.deff !== undefined ? t(p.deff < 1 ? "designEffectBelowOne" : "designEffect", { deff: w.fixed(p.deff, 1) }) : null;
  const parts = [deff, p.effectiveN ? t("effectiveN", { n: w.fixed(Math.round(p.effectiveN), 0) }) : null, t("clusters", { n: p.clusters })];
  return parts.filter(Boolean).join(" · ");
}

function pointRow(p: SeriesPoint, kind: "share" | "mean", w: EngineWords): string[] {
  const { t } = w;
  const clustered = !p.suppressed && p.clusters !== undefined && p.clusters !== null;
  return [
    p.periodLabel,
    p.groupLabel,
    p.suppressed ? t("suppressed") : p.n === null ? "" : w.fixed(p.n, 0),
    p.suppressed ? t("suppressed") : cell(w, kind, p.value),
    p.suppressed ? "" : cell(w, kind, p.low),
    p.suppressed ? "" : cell(w, kind, p.high),
    clustered && p.deff !== null && p.deff !== undefined ? w.fixed(p.deff, 2) : "",
    clustered && p.effectiveN ? w.fixed(Math.round(p.effectiveN), 0) : "",
    [p.noInterval ? t("noInterval") : "", p.indicative ? t("indicativeNote") : ""].filter(Boolean).join("; "),
  ];
}

/** The table of a series (its labels already in the page's language): one row per period and group, then the period totals when split. */
export function seriesTable(id: string, caption: string, s: Series, w: EngineWords = ENGLISH_ENGINE): DataTable {
  const { t } = w;
  const rows: string[][] = [];
  for (const p of s.periods) {
    for (const pt of s.points.filter((x) => x.period === p.id)) rows.push(pointRow(pt, s.kind, w));
    const total = s.totals.find((x) => x.period === p.id);
    if (total && (s.by.length > 0 || s.points.length === 0)) rows.push(pointRow(total, s.kind, w));
  }
  if (s.by.length === 0) for (const p of s.totals) if (!rows.some((r) => r[0] === p.periodLabel)) rows.push(pointRow(p, s.kind, w));
  const columns = [t("colPeriod"), t("colGroup"), t("colN"), t(s.kind === "share" ? "colValueShare" : "colValueMean"), t("colLow"), t("colHigh"), t("colDeff"), t("colEffectiveN"), t("colNote")];
  return { id, caption, columns, rows };
}

export function seriesChart(s: Series, indicator: Indicator, ctx: DashboardContext, baselinePeriod: string | null, w: EngineWords = ENGLISH_ENGINE): ChartSeries {
  const toPoint = (p: SeriesPoint | undefined): ChartPoint | null =>
    p && !p.suppressed && p.value !== null && p.n !== null ? { value: p.value, low: p.low, high: p.high, n: p.n, indicative: p.indicative } : null;
  const lines =
    s.by.length === 0
      ? [{ label: w.t("allRespondents"), points: s.periods.map((p) => toPoint(s.totals.find((t) => t.period === p.id))) }]
      : s.groups.map((g) => {
          // Gender within community: one colour per community, one dash pattern per gender.
          const first = [...new Set(s.groups.map((x) => x.group[s.by[0].id]))];
          const second = s.by[1] ? [...new Set(s.groups.map((x) => x.group[s.by[1].id]))] : [];
          return {
            label: g.label,
            color: first.indexOf(g.group[s.by[0].id]),
            dash: s.by[1] ? second.indexOf(g.group[s.by[1].id]) : undefined,
            points: s.periods.map((p) => toPoint(s.points.find((x) => x.period === p.id && sameGroup(x.group, g.group)))),
          };
        });
  const idx = baselinePeriod ? s.periods.findIndex((p) => p.id === baselinePeriod) : -1;
  const chart: ChartSeries = {
    kind: s.kind,
    periods: s.periods.map((p) => p.label),
    lines,
    target: finalTarget(ctx, indicator.id)?.value ?? null,
    targetMarks: targetMarks(s, indicator, ctx, w),
    baselineIndex: idx >= 0 ? idx : null,
    yLabel: w.t(s.kind === "share" ? "yShare" : "yMean"),
    marks: chartMarks(w),
  };
  return s.by.length === 2 ? smallMultiples(chart, s, w) : chart;
}

/** What the canvas writes beside its baseline band and target line ("{value}" is filled in the browser). */
const chartMarks = (w: EngineWords) => ({ baseline: w.t("markBaseline"), target: w.t("markTarget", { value: "{value}" }) });

/**
 * A two-way split (gender within community) as small multiples: one panel per community — or per
 * value of the first split when neither is community — each with one line per inner group in the
 * same colour, dash and marker in every panel, on one shared y axis so panels compare at a glance.
 */
function smallMultiples(chart: ChartSeries, s: Series, w: EngineWords): ChartSeries {
  const outer = s.by.find((d) => d.id === "community") ?? s.by[0];
  const inner = s.by.find((d) => d !== outer)!;
  const innerValues = [...new Set(s.groups.map((g) => g.group[inner.id]))];
  const outerValues = [...new Set(s.groups.map((g) => g.group[outer.id]))];
  const values = chart.lines.flatMap((l) => l.points.flatMap((p) => (p ? [p.low ?? p.value, p.high ?? p.value] : [])));
  if (chart.target !== null) values.push(chart.target);
  const yRange = chart.kind === "share" ? { min: 0, max: Math.min(1, Math.ceil((Math.max(0, ...values) + 0.05) * 10) / 10) } : values.length ? { min: Math.floor(Math.min(...values) * 2) / 2, max: Math.ceil(Math.max(...values) * 2) / 2 } : undefined;
  const panels = outerValues.map((ov) => {
    const lines = s.groups
      .map((g, gi) => ({ g, line: chart.lines[gi] }))
      .filter(({ g }) => g.group[outer.id] === ov)
      .map(({ g, line }) => {
        const k = innerValues.indexOf(g.group[inner.id]);
        return { label: groupText(w, valueLabel(inner, g.group[inner.id])), points: line.points, color: k, dash: k };
      });
    // Targets are for everyone: each panel keeps the target line, not the marks.
    return { title: groupText(w, valueLabel(outer, ov)), series: { ...chart, lines, panels: undefined, targetMarks: [], yRange } };
  });
  return { ...chart, panels, yRange };
}

/** The targets a by-round trend marks: each shown round's target, and each date target where it falls among the shown rounds. */
function targetMarks(s: Series, indicator: Indicator, ctx: DashboardContext, w: EngineWords): NonNullable<ChartSeries["targetMarks"]> {
  const plan = ctx.plans?.get(indicator.id);
  if (s.period !== "round" || !plan) return [];
  const shown = s.periods.map((p) => ctx.rounds.find((r) => r.id === p.id)).filter((r): r is NonNullable<typeof r> => !!r);
  const at = (id: string) => s.periods.findIndex((p) => p.id === id);
  // A round's target sits at its round and needs no words; a date's says which date (the table has both).
  const marks = shown.filter((r) => plan.targets.has(r.id)).map((r) => ({ at: at(r.id), value: plan.targets.get(r.id)!, label: "" }));
  if (shown.length === s.periods.length)
    for (const d of plan.dates) marks.push({ at: datePosition(d.on, shown), value: d.value, label: w.t("markByDate", { date: d.on }) });
  return marks;
}

const sameGroup = (a: Record<string, string>, b: Record<string, string>) => Object.keys(b).every((k) => a[k] === b[k]);

// How negative or positive each answer reads on a diverging bar, by scale preset: the sign is the
// side of the axis, the size how far from the middle (0 sits apart: "does not apply", don't know).
const POLARITY: Record<string, Record<string, number>> = {
  sdg16_safety: { "1": 2, "2": 1, "3": -1, "4": -2, "5": 0, "99": 0 },
  agreement5: { "1": -2, "2": -1, "3": 0, "4": 1, "5": 2, "99": 0 },
  trust4: { "1": -2, "2": -1, "3": 1, "4": 2, "99": 0 },
  yes_no: { "1": 1, "0": -1 },
};

function distributionParts(raw: DistributionRow[], codes: { code: string; label: string }[], scale: string | undefined, w: EngineWords) {
  const { t } = w;
  const rows = raw.map((r) => localPoint(w, r));
  const polarity = scale ? POLARITY[scale] : undefined;
  const chart: DistributionChart = {
    rows: rows.map((r) => `${r.periodLabel}${r.groupLabel !== t("allRespondents") ? ` · ${r.groupLabel}` : ""}`),
    codes: codes.map((c) => ({ ...c, weight: polarity?.[c.code] ?? 1 })),
    values: rows.map((r) => codes.map((c) => r.shares[c.code])),
  };
  const table: DataTable = {
    id: "answers",
    caption: t("captionAnswers"),
    columns: [t("colPeriod"), t("colGroup"), t("colN"), ...codes.map((c) => t("colAnswer", { label: c.label }))],
    rows: rows.map((r) => [r.periodLabel, r.groupLabel, r.suppressed || r.n === null ? t("suppressed") : w.fixed(r.n, 0), ...codes.map((c) => (r.suppressed ? t("suppressed") : cell(w, "share", r.shares[c.code])))]),
  };
  return { chart, table, diverging: !!polarity && polarity !== POLARITY.yes_no };
}

/**
 * All figures for one dashboard request. Headline and trend for every indicator of the survey
 * (the trend split as the view asks), and the chosen panel for the indicator in focus.
 */
export async function loadDashboard(db: Kysely<Database>, ctx: DashboardContext, view: DashboardView, w: EngineWords = ENGLISH_ENGINE): Promise<DashboardData> {
  const { t } = w;
  const def = ctx.survey.definition;
  const filters = filtersOf(view);
  const by = dimensionsFor(ctx, view.by);
  const periods = await surveyPeriods(db, ctx.survey.id);
  const base = { minCellSize: ctx.programme.minCellSize, design: (ctx.programme.sampling === "community" ? "community" : "simple") as Design, suppressionNote: t("suppressionNote", { suppressed: t("suppressed"), min: ctx.programme.minCellSize }), ...periods };
  try {
    placeOf(ctx, view.period, by, filters);
  } catch (err) {
    if (err instanceof ViewOutsideFamily) return { ...base, outside: { field: err.field, message: outsideText(err, view, w) }, blocks: [], focus: null };
    throw err;
  }
  const blocks: IndicatorBlock[] = [];
  const siblings: Siblings = new Map();
  for (const indicator of def.indicators) {
    // One query per indicator: a split series carries its period totals, which the headline reads.
    let trend = await indicatorSeries(db, ctx, indicator, { period: view.period, by, filters });
    // A linked indicator continues by round, unsplit: each round from the one survey that collected in it.
    const partner = view.period === "round" && by.length === 0 ? await partnerOf(db, ctx, indicator, siblings) : null;
    const linked = partner ? await linkedTotals(db, ctx, indicator, filters, partner, trend.totals) : null;
    if (linked) trend = withLinkedTotals(trend, linked);
    trend = localSeries(w, trend);
    const headline = await indicatorHeadline(db, ctx, indicator, { period: view.period, filters, series: trend });
    const fromPartner = (p: SeriesPoint | null) => !!p && !!linked?.from.get(p.period);
    if (linked && (fromPartner(headline.baseline) || fromPartner(headline.latest))) {
      // The headline's own change, special codes and plan read the viewed survey's boxes only.
      if (headline.baseline && headline.latest) headline.change = await linkedChange(db, ctx, indicator, filters, linked.from, headline.baseline.period, headline.latest.period);
      if (fromPartner(headline.latest)) [headline.specialCodes, headline.plan] = [[], null];
    }
    base.design = headline.design;
    const label = text(indicator.label, ctx.language);
    const [first = "", ...more] = by.map((d) => d.label.toLowerCase());
    const split = more.reduce((a, b) => t("splitAnd", { a, b }), first);
    const table = seriesTable(`trend-${indicator.id}`, by.length ? t("captionBy", { label, split }) : label, trend, w);
    const hv = headlineView(headline, ctx, w);
    if (linked && partner) {
      const theirs = trend.totals.filter((p) => linked.from.get(p.period));
      const source = sourceOf(partner.ctx, partner.indicator);
      const from = t("linkedFrom", { title: source.title, version: source.version, id: source.indicatorId });
      for (const row of table.rows) if (theirs.some((p) => p.periodLabel === row[0])) row[8] = [row[8], from].filter(Boolean).join("; ");
      hv.linked = theirs.length
        ? t("linkedRounds", { title: source.title, rounds: theirs.map((p) => p.periodLabel).join(", "), from })
        : t("linkedNone", { title: source.title, id: source.indicatorId });
    }
    blocks.push({ headline: hv, chart: seriesChart(trend, indicator, ctx, headline.baseline?.period ?? null, w), table });
  }

  const focusIndicator = def.indicators.find((i) => i.id === view.indicator) ?? def.indicators[0];
  let focus: FocusPanel | null = null;
  if (focusIndicator && view.panel !== "trend") {
    focus = { indicatorId: focusIndicator.id, panel: view.panel };
    if (view.panel === "gap") {
      try {
        focus.gap = await gapPanel(db, ctx, focusIndicator, view, filters, w);
      } catch (err) {
        if (!(err instanceof ViewOutsideFamily)) throw err;
        focus.unavailable = t("gapUnavailable", { reason: outsideText(err, view, w) });
      }
    }
    if (view.panel === "answers") {
      const q = def.questions.find((x) => x.id === focusIndicator.question);
      const dist = await answerDistribution(db, ctx, focusIndicator.question, { period: view.period, by, filters });
      if (dist) focus.answers = distributionParts(dist.rows, dist.codes, q?.scale, w);
      else focus.unavailable = t("answersUnavailable");
      focus.ranking = await rankingTables(db, ctx, view, filters, w);
    }
    if (view.panel === "communities") {
      const table = await communityTable(db, ctx, focusIndicator, { period: view.period, filters });
      const kind = focusIndicator.kind;
      focus.communities = {
        table: {
          id: "communities",
          caption: t(kind === "share" ? "captionCommunitiesShare" : "captionCommunitiesMean", { label: text(focusIndicator.label, ctx.language), period: t(PERIOD_WORD[view.period]) }),
          columns: [t("colCommunity"), ...table.periods.map((p) => periodText(w, p.id, p.label))],
          rows: [
            ...table.rows.map((r) => [groupText(w, r.name), ...r.cells.map((c) => (c.suppressed ? t("suppressed") : c.n ? withN(w, kind, c.value, c.n) : "–"))]),
            [t("allCommunities"), ...table.totals.map((c) => (c.suppressed || c.n === null ? t("suppressed") : withN(w, kind, c.value, c.n)))],
          ],
          shade: shadeOf(table.rows.map((r) => r.cells.map((c) => (c.suppressed ? null : c.value)))).map((r) => [null, ...r]).concat([table.totals.map(() => null).concat([null])]),
        },
      };
    }
  }
  return { ...base, outside: null, blocks, focus };
}

const PERIOD_WORD = { round: "periodRound", month: "periodMonth", quarter: "periodQuarter" } as const;
const withN = (w: EngineWords, kind: "share" | "mean", value: number | null, n: number) => w.t("cellWithN", { value: cell(w, kind, value), n: w.fixed(n, 0) });

/** Why a view is not published, in the page's language (the family check says it in English, with its field). */
function outsideText(err: ViewOutsideFamily, view: DashboardView, w: EngineWords): string {
  const { t } = w;
  if (err.field === "community") return t("outsideCommunities");
  if (err.field === "version") return t("outsideVersion");
  if (err.message.startsWith("Keep one group")) return t("outsideTwoGroups");
  if (err.message.startsWith("Split or filter")) return t("outsideTwoDimensions");
  if (err.message.startsWith("Groups (gender")) return t("outsideByRound", { period: t(PERIOD_WORD[view.period]) });
  return err.message;
}

/** 0–1 shading from the lowest to the highest value shown, so differences between communities stand out. */
function shadeOf(values: (number | null)[][]): (number | null)[][] {
  const shown = values.flat().filter((v): v is number => v !== null);
  const lo = Math.min(...shown);
  const hi = Math.max(...shown);
  return values.map((r) => r.map((v) => (v === null ? null : hi > lo ? (v - lo) / (hi - lo) : 0.5)));
}

async function gapPanel(db: Kysely<Database>, ctx: DashboardContext, indicator: Indicator, view: DashboardView, filters: ViewFilters, w: EngineWords) {
  const { t } = w;
  const dim = ctx.dimensions.find((d) => d.id === (view.gapBy ?? view.by[0] ?? "gender")) ?? ctx.dimensions.find((d) => d.id !== "community") ?? ctx.dimensions[0];
  const a = view.a && dim.values.some((v) => v.code === view.a) ? view.a : dim.values[0]?.code ?? "";
  const b = view.b && dim.values.some((v) => v.code === view.b) && view.b !== a ? view.b : dim.values.find((v) => v.code !== a)?.code ?? "";
  const { gaps: raw } = await gapSeries(db, ctx, indicator, { period: view.period, dimension: dim, a, b, filters });
  const gaps = raw.map((g) => localPoint(w, g));
  const aLabel = groupText(w, valueLabel(dim, a));
  const bLabel = groupText(w, valueLabel(dim, b));
  const k = indicator.kind;
  const chart: ChartSeries = {
    kind: k,
    periods: gaps.map((g) => g.periodLabel),
    lines: [{ label: t("gapLine", { a: aLabel, b: bLabel }), points: gaps.map((g: GapPoint) => (g.diff === null ? null : { value: g.diff, low: g.low, high: g.high, n: 0, indicative: false })) }],
    target: null,
    baselineIndex: null,
    yLabel: t(k === "share" ? "yDiffShare" : "yDiffMean"),
    marks: chartMarks(w),
  };
  const table: DataTable = {
    id: "gap",
    caption: t("captionGap", { label: text(indicator.label, ctx.language), a: aLabel, b: bLabel }),
    columns: [t("colPeriod"), t(k === "share" ? "colDiffShare" : "colDiffMean"), t("colLow"), t("colHigh"), t("colReading")],
    rows: gaps.map((g) =>
      g.suppressed || g.diff === null
        ? [g.periodLabel, g.suppressed ? t("suppressed") : "", "", "", t(g.suppressed ? "groupTooSmall" : "noDataCell")]
        : [g.periodLabel, cell(w, k, g.diff), cell(w, k, g.low), cell(w, k, g.high), g.noInterval ? t("noInterval") : g.verdict === "clear gap" ? t("clearGap") : g.verdict === "no clear gap" ? t("noClearGap") : g.verdict],
    ),
  };
  return { dimension: dim.id, a, b, aLabel, bLabel, chart, table, choices: dim.values.map((v) => ({ ...v, label: groupText(w, v.label) })) };
}

/** Ranking questions: the top concerns by community and period (share mentioning, rank score). */
async function rankingTables(db: Kysely<Database>, ctx: DashboardContext, view: DashboardView, filters: ViewFilters, w: EngineWords) {
  const { t } = w;
  const community = ctx.dimensions.find((d) => d.id === "community")!;
  const out: { question: string; table: DataTable }[] = [];
  for (const q of ctx.survey.definition.questions.filter((x) => x.type === "ranking")) {
    const dist = await answerDistribution(db, ctx, q.id, { period: view.period, by: [community], filters });
    if (!dist) continue;
    const rows = dist.rows.map((raw) => {
      const r = localPoint(w, raw);
      if (r.suppressed || r.n === null) return [r.periodLabel, r.groupLabel, t("suppressed"), t("suppressed"), "", ""];
      const top = dist.codes
        .map((c) => ({ label: c.label, share: r.shares[c.code] ?? 0, score: r.scores?.[c.code] ?? 0 }))
        .sort((x, y) => y.score - x.score)
        .slice(0, 3);
      return [r.periodLabel, r.groupLabel, w.fixed(r.n, 0), ...top.map((x) => t("mention", { label: x.label, share: cell(w, "share", x.share), score: w.fixed(x.score, 2) }))];
    });
    out.push({
      question: text(q.label, ctx.language),
      table: { id: `ranking-${q.id}`, caption: t("captionRanking", { question: text(q.label, ctx.language) }), columns: [t("colPeriod"), t("colCommunity"), t("colN"), t("colFirst"), t("colSecond"), t("colThird")], rows },
    });
  }
  return out;
}
