// Everything the programme dashboard (and the report and CSV downloads) shows, computed once per
// request from the aggregate cells: headlines and trends for every indicator, and the chosen
// panel (gap, answer distribution, community table) for the indicator in focus. Tables are built
// here as strings so the HTML table, the CSV download and the chart all carry the same numbers.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Indicator } from "~/survey";
import { suppressionNote } from "~/stats/disclosure";
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
import { formatValue, type DashboardView } from "./view";
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

const pct = (v: number | null, kind: "share" | "mean") => (v === null ? "" : kind === "share" ? `${Math.round(v * 100)}%` : v.toFixed(2));
const signed = (v: number, kind: "share" | "mean") => (kind === "share" ? `${v >= 0 ? "+" : "−"}${Math.abs(Math.round(v * 100))} points` : `${v >= 0 ? "+" : "−"}${Math.abs(v).toFixed(2)}`);

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

function headlineView(h: Headline, ctx: DashboardContext): HeadlineView {
  const k = h.kind;
  const latest = h.latest;
  const special = h.specialCodes.length ? h.specialCodes.map((s) => `${s.label} (${s.code}): ${s.countLabel}`).join("; ") : null;
  let target: string | null = null;
  if (h.target) {
    const t = `Target ${pct(h.target.value, k)}${h.target.date ? ` by ${h.target.date}` : ""}`;
    target = h.target.reached ? `${t}: reached` : h.target.progress !== null ? `${t}: ${Math.round(h.target.progress * 100)}% of the way from baseline` : t;
  }
  return {
    indicatorId: h.indicatorId,
    label: h.label,
    reference: h.reference,
    kind: k,
    value: latest ? pct(latest.value, k) : "No data",
    interval: latest && latest.low !== null ? `95% interval ${pct(latest.low, k)}–${pct(latest.high, k)}` : latest?.noInterval ? NO_INTERVAL : "",
    n: latest ? `n = ${latest.n}` : `Groups with fewer than ${ctx.programme.minCellSize} respondents are not shown`,
    period: latest?.periodLabel ?? "",
    change:
      h.change && h.change.diff !== null && h.baseline
        ? `${signed(h.change.diff, k)} since ${h.baseline.periodLabel}${h.change.low !== null ? ` (95% interval ${signed(h.change.low, k)} to ${signed(h.change.high!, k)})` : h.change.noInterval ? ` (${NO_INTERVAL})` : ""}`
        : null,
    verdict: h.change?.verdict ?? null,
    target,
    targetProgress: h.target?.progress ?? null,
    special,
    design: latest ? designText(latest) : null,
    plan: h.plan ? planText(h.plan, k) : null,
    planReached: h.plan ? h.plan.reached : null,
    indicative: h.indicative,
    empty: !latest,
  };
}

/** The planner in one sentence a manager can act on. */
export function planText(p: SamplePlan, kind: "share" | "mean"): string {
  const deff = p.deffSource === "simple random sample" ? "as a simple random sample" : `design effect ${p.deff.toFixed(1)} (${p.deffSource})`;
  const spread = p.communities > 1 ? `, ${p.perCommunity} in each of ${p.communities} communities` : "";
  return `To show ${pct(p.from, kind)} → ${pct(p.to, kind)} (80% power, 5% significance, ${deff}): ${p.perRound} respondents per round${spread}. The latest period had ${p.latestN}: ${p.reached ? "enough" : "not enough"}.`;
}

/** What a clustered figure without an interval says instead. */
export const NO_INTERVAL = "no honest interval: the figure stands on one community (one cluster)";

/** "design effect 2.1 · effective n 94 · 5 communities" for a clustered figure, null for a simple random sample. */
export function designText(p: SeriesPoint): string | null {
  if (p.suppressed || p.clusters === undefined || p.clusters === null) return null;
  if (p.noInterval) return "one community: no interval";
  const deff = p.deff !== null && p.deff !== undefined ? `design effect ${p.deff.toFixed(1)}${p.deff < 1 ? " (measured; the interval uses 1)" : ""}` : null;
  const parts = [deff, p.effectiveN ? `effective n ${Math.round(p.effectiveN)}` : null, `${p.clusters} clusters`];
  return parts.filter(Boolean).join(" · ");
}

function pointRow(p: SeriesPoint, kind: "share" | "mean"): string[] {
  const clustered = !p.suppressed && p.clusters !== undefined && p.clusters !== null;
  return [
    p.periodLabel,
    p.groupLabel,
    p.suppressed ? "suppressed" : String(p.n),
    p.suppressed ? "suppressed" : formatValue(kind, p.value),
    p.suppressed ? "" : formatValue(kind, p.low),
    p.suppressed ? "" : formatValue(kind, p.high),
    clustered && p.deff !== null && p.deff !== undefined ? p.deff.toFixed(2) : "",
    clustered && p.effectiveN ? String(Math.round(p.effectiveN)) : "",
    [p.noInterval ? NO_INTERVAL : "", p.indicative ? "indicative (focus groups)" : ""].filter(Boolean).join("; "),
  ];
}

const valueColumn = (kind: "share" | "mean") => (kind === "share" ? "Value (%)" : "Mean");

/** The table of a series: one row per period and group, then the period totals when split. */
export function seriesTable(id: string, caption: string, s: Series): DataTable {
  const rows: string[][] = [];
  for (const p of s.periods) {
    for (const pt of s.points.filter((x) => x.period === p.id)) rows.push(pointRow(pt, s.kind));
    const total = s.totals.find((x) => x.period === p.id);
    if (total && (s.by.length > 0 || s.points.length === 0)) rows.push(pointRow(total, s.kind));
  }
  if (s.by.length === 0) for (const t of s.totals) if (!rows.some((r) => r[0] === t.periodLabel)) rows.push(pointRow(t, s.kind));
  return { id, caption, columns: ["Period", "Group", "n", valueColumn(s.kind), "95% low", "95% high", "Design effect", "Effective n", "Note"], rows };
}

export function seriesChart(s: Series, indicator: Indicator, ctx: DashboardContext, baselinePeriod: string | null): ChartSeries {
  const toPoint = (p: SeriesPoint | undefined): ChartPoint | null =>
    p && !p.suppressed && p.value !== null && p.n !== null ? { value: p.value, low: p.low, high: p.high, n: p.n, indicative: p.indicative } : null;
  const lines =
    s.by.length === 0
      ? [{ label: "All respondents", points: s.periods.map((p) => toPoint(s.totals.find((t) => t.period === p.id))) }]
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
    targetMarks: targetMarks(s, indicator, ctx),
    baselineIndex: idx >= 0 ? idx : null,
    yLabel: s.kind === "share" ? "% of respondents" : "Mean score",
  };
  return s.by.length === 2 ? smallMultiples(chart, s) : chart;
}

/**
 * A two-way split (gender within community) as small multiples: one panel per community — or per
 * value of the first split when neither is community — each with one line per inner group in the
 * same colour, dash and marker in every panel, on one shared y axis so panels compare at a glance.
 */
function smallMultiples(chart: ChartSeries, s: Series): ChartSeries {
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
        return { label: valueLabel(inner, g.group[inner.id]), points: line.points, color: k, dash: k };
      });
    // Targets are for everyone: each panel keeps the target line, not the marks.
    return { title: valueLabel(outer, ov), series: { ...chart, lines, panels: undefined, targetMarks: [], yRange } };
  });
  return { ...chart, panels, yRange };
}

/** The targets a by-round trend marks: each shown round's target, and each date target where it falls among the shown rounds. */
function targetMarks(s: Series, indicator: Indicator, ctx: DashboardContext): NonNullable<ChartSeries["targetMarks"]> {
  const plan = ctx.plans?.get(indicator.id);
  if (s.period !== "round" || !plan) return [];
  const shown = s.periods.map((p) => ctx.rounds.find((r) => r.id === p.id)).filter((r): r is NonNullable<typeof r> => !!r);
  const at = (id: string) => s.periods.findIndex((p) => p.id === id);
  // A round's target sits at its round and needs no words; a date's says which date (the table has both).
  const marks = shown.filter((r) => plan.targets.has(r.id)).map((r) => ({ at: at(r.id), value: plan.targets.get(r.id)!, label: "" }));
  if (shown.length === s.periods.length)
    for (const d of plan.dates) marks.push({ at: datePosition(d.on, shown), value: d.value, label: `by ${d.on}` });
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

function distributionParts(rows: DistributionRow[], codes: { code: string; label: string }[], scale: string | undefined) {
  const polarity = scale ? POLARITY[scale] : undefined;
  const chart: DistributionChart = {
    rows: rows.map((r) => `${r.periodLabel}${r.groupLabel !== "All respondents" ? ` · ${r.groupLabel}` : ""}`),
    codes: codes.map((c) => ({ ...c, weight: polarity?.[c.code] ?? 1 })),
    values: rows.map((r) => codes.map((c) => r.shares[c.code])),
  };
  const table: DataTable = {
    id: "answers",
    caption: "Answers given, % of respondents who answered the question",
    columns: ["Period", "Group", "n", ...codes.map((c) => `${c.label} (%)`)],
    rows: rows.map((r) => [r.periodLabel, r.groupLabel, r.suppressed ? "suppressed" : String(r.n), ...codes.map((c) => (r.suppressed ? "suppressed" : formatValue("share", r.shares[c.code])))]),
  };
  return { chart, table, diverging: !!polarity && polarity !== POLARITY.yes_no };
}

/**
 * All figures for one dashboard request. Headline and trend for every indicator of the survey
 * (the trend split as the view asks), and the chosen panel for the indicator in focus.
 */
export async function loadDashboard(db: Kysely<Database>, ctx: DashboardContext, view: DashboardView): Promise<DashboardData> {
  const def = ctx.survey.definition;
  const filters = filtersOf(view);
  const by = dimensionsFor(ctx, view.by);
  const periods = await surveyPeriods(db, ctx.survey.id);
  const base = { minCellSize: ctx.programme.minCellSize, design: (ctx.programme.sampling === "community" ? "community" : "simple") as Design, suppressionNote: suppressionNote(ctx.programme.minCellSize), ...periods };
  try {
    placeOf(ctx, view.period, by, filters);
  } catch (err) {
    if (err instanceof ViewOutsideFamily) return { ...base, outside: { field: err.field, message: err.message }, blocks: [], focus: null };
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
    const headline = await indicatorHeadline(db, ctx, indicator, { period: view.period, filters, series: trend });
    const fromPartner = (p: SeriesPoint | null) => !!p && !!linked?.from.get(p.period);
    if (linked && (fromPartner(headline.baseline) || fromPartner(headline.latest))) {
      // The headline's own change, special codes and plan read the viewed survey's boxes only.
      if (headline.baseline && headline.latest) headline.change = await linkedChange(db, ctx, indicator, filters, linked.from, headline.baseline.period, headline.latest.period);
      if (fromPartner(headline.latest)) [headline.specialCodes, headline.plan] = [[], null];
    }
    base.design = headline.design;
    const label = text(indicator.label, ctx.language);
    const table = seriesTable(`trend-${indicator.id}`, `${label}${by.length ? ` by ${by.map((d) => d.label.toLowerCase()).join(" and ")}` : ""}`, trend);
    const hv = headlineView(headline, ctx);
    if (linked && partner) {
      const theirs = trend.totals.filter((p) => linked.from.get(p.period));
      const source = sourceOf(partner.ctx, partner.indicator);
      const from = `from ${source.title} v${source.version} (${source.indicatorId})`;
      for (const row of table.rows) if (theirs.some((p) => p.periodLabel === row[0])) row[8] = [row[8], from].filter(Boolean).join("; ");
      hv.linked = theirs.length
        ? `Linked with ${source.title}: ${theirs.map((p) => p.periodLabel).join(", ")} ${from}`
        : `Linked with ${source.title} (${source.indicatorId}); every round shown is this survey's`;
    }
    blocks.push({ headline: hv, chart: seriesChart(trend, indicator, ctx, headline.baseline?.period ?? null), table });
  }

  const focusIndicator = def.indicators.find((i) => i.id === view.indicator) ?? def.indicators[0];
  let focus: FocusPanel | null = null;
  if (focusIndicator && view.panel !== "trend") {
    focus = { indicatorId: focusIndicator.id, panel: view.panel };
    if (view.panel === "gap") {
      try {
        focus.gap = await gapPanel(db, ctx, focusIndicator, view, filters);
      } catch (err) {
        if (!(err instanceof ViewOutsideFamily)) throw err;
        focus.unavailable = `The gap between two groups is shown without a second group filter. ${err.message}`;
      }
    }
    if (view.panel === "answers") {
      const q = def.questions.find((x) => x.id === focusIndicator.question);
      const dist = await answerDistribution(db, ctx, focusIndicator.question, { period: view.period, by, filters });
      if (dist) focus.answers = distributionParts(dist.rows, dist.codes, q?.scale);
      else focus.unavailable = "Answer distributions are kept for gender, age band, disability and displacement (with any community), not for custom groups. Remove the custom group to see them.";
      focus.ranking = await rankingTables(db, ctx, view, filters);
    }
    if (view.panel === "communities") {
      const t = await communityTable(db, ctx, focusIndicator, { period: view.period, filters });
      const kind = focusIndicator.kind;
      focus.communities = {
        table: {
          id: "communities",
          caption: `${text(focusIndicator.label, ctx.language)} by community and ${view.period} (${kind === "share" ? "%" : "mean"}, n in brackets)`,
          columns: ["Community", ...t.periods.map((p) => p.label)],
          rows: [
            ...t.rows.map((r) => [r.name, ...r.cells.map((c) => (c.suppressed ? "suppressed" : c.n ? `${formatValue(kind, c.value)} (n=${c.n})` : "–"))]),
            ["All communities", ...t.totals.map((c) => (c.suppressed ? "suppressed" : `${formatValue(kind, c.value)} (n=${c.n})`))],
          ],
          shade: shadeOf(t.rows.map((r) => r.cells.map((c) => (c.suppressed ? null : c.value)))).map((r) => [null, ...r]).concat([t.totals.map(() => null).concat([null])]),
        },
      };
    }
  }
  return { ...base, outside: null, blocks, focus };
}

/** 0–1 shading from the lowest to the highest value shown, so differences between communities stand out. */
function shadeOf(values: (number | null)[][]): (number | null)[][] {
  const shown = values.flat().filter((v): v is number => v !== null);
  const lo = Math.min(...shown);
  const hi = Math.max(...shown);
  return values.map((r) => r.map((v) => (v === null ? null : hi > lo ? (v - lo) / (hi - lo) : 0.5)));
}

async function gapPanel(db: Kysely<Database>, ctx: DashboardContext, indicator: Indicator, view: DashboardView, filters: ViewFilters) {
  const dim = ctx.dimensions.find((d) => d.id === (view.gapBy ?? view.by[0] ?? "gender")) ?? ctx.dimensions.find((d) => d.id !== "community") ?? ctx.dimensions[0];
  const a = view.a && dim.values.some((v) => v.code === view.a) ? view.a : dim.values[0]?.code ?? "";
  const b = view.b && dim.values.some((v) => v.code === view.b) && view.b !== a ? view.b : dim.values.find((v) => v.code !== a)?.code ?? "";
  const { gaps } = await gapSeries(db, ctx, indicator, { period: view.period, dimension: dim, a, b, filters });
  const aLabel = valueLabel(dim, a);
  const bLabel = valueLabel(dim, b);
  const k = indicator.kind;
  const chart: ChartSeries = {
    kind: k,
    periods: gaps.map((g) => g.periodLabel),
    lines: [{ label: `${aLabel} minus ${bLabel}`, points: gaps.map((g: GapPoint) => (g.diff === null ? null : { value: g.diff, low: g.low, high: g.high, n: 0, indicative: false })) }],
    target: null,
    baselineIndex: null,
    yLabel: k === "share" ? "Difference (percentage points)" : "Difference in mean",
  };
  const table: DataTable = {
    id: "gap",
    caption: `${text(indicator.label, ctx.language)}: ${aLabel} minus ${bLabel}`,
    columns: ["Period", k === "share" ? "Difference (points)" : "Difference", "95% low", "95% high", "Reading"],
    rows: gaps.map((g) =>
      g.suppressed || g.diff === null
        ? [g.periodLabel, g.suppressed ? "suppressed" : "", "", "", g.suppressed ? "a group is too small to show" : "no data"]
        : [g.periodLabel, formatValue(k, g.diff), formatValue(k, g.low), formatValue(k, g.high), g.noInterval ? NO_INTERVAL : g.verdict],
    ),
  };
  return { dimension: dim.id, a, b, aLabel, bLabel, chart, table, choices: dim.values };
}

/** Ranking questions: the top concerns by community and period (share mentioning, rank score). */
async function rankingTables(db: Kysely<Database>, ctx: DashboardContext, view: DashboardView, filters: ViewFilters) {
  const community = ctx.dimensions.find((d) => d.id === "community")!;
  const out: { question: string; table: DataTable }[] = [];
  for (const q of ctx.survey.definition.questions.filter((x) => x.type === "ranking")) {
    const dist = await answerDistribution(db, ctx, q.id, { period: view.period, by: [community], filters });
    if (!dist) continue;
    const rows = dist.rows.map((r) => {
      if (r.suppressed) return [r.periodLabel, r.groupLabel, "suppressed", "suppressed", "", ""];
      const top = dist.codes
        .map((c) => ({ label: c.label, share: r.shares[c.code] ?? 0, score: r.scores?.[c.code] ?? 0 }))
        .sort((x, y) => y.score - x.score)
        .slice(0, 3);
      return [r.periodLabel, r.groupLabel, String(r.n), ...top.map((t) => `${t.label}: ${formatValue("share", t.share)}% mention, score ${t.score.toFixed(2)}`)];
    });
    out.push({
      question: text(q.label, ctx.language),
      table: { id: `ranking-${q.id}`, caption: `Top concerns: ${text(q.label, ctx.language)}`, columns: ["Period", "Community", "n", "First", "Second", "Third"], rows },
    });
  }
  return out;
}
