// The indicator tracking table: per indicator (and, on request, per group of one split) its
// baseline, each round's target and actual value with interval and n, change since baseline, the
// variance to target, the share of the distance achieved and a status that respects the interval.
// Every figure is a headline or series point of the disclosure family (./series.server): a figure
// hidden on the dashboard is hidden here.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Indicator } from "~/survey";
import { suppressionNote } from "~/stats/disclosure";
import type { Verdict } from "~/stats/statistics";
import { text, type DashboardContext, type DimensionInfo } from "./context.server";
import { indicatorSeries, valueLabel, type SeriesPoint, type ViewFilters } from "./series.server";
import { linkedChange, linkedTotals, partnerOf, sourceOf, type FigureSource, type Partner, type Siblings } from "./linked.server";
import { datePosition, distanceAchieved, trackingStatus, type TrackingStatus } from "./tracking";

export interface TrackingFigure {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number | null;
  suppressed: boolean;
  indicative: boolean;
}

/** The survey (and its indicator) a round's figure comes from. */
export type TrackingSource = FigureSource;

export interface TrackingCell {
  roundId: string;
  target: number | null;
  /** Targets for a date within the round's dates. */
  dateTargets: { on: string; value: number }[];
  /** Where the figure comes from (null with no figure): a linked row takes each round from one survey. */
  source: TrackingSource | null;
  /** Null when nobody in the round answered. */
  actual: TrackingFigure | null;
  /** actual − target, when both are there. */
  variance: number | null;
  /** Share of the baseline → this round's target distance covered. */
  achieved: number | null;
}

export interface TrackingRow {
  indicatorId: string;
  label: string;
  reference: string | null;
  kind: Indicator["kind"];
  direction: Indicator["direction"];
  /** Null for everyone; else the one group of the split. */
  group: { dimension: string; dimensionLabel: string; value: string; label: string } | null;
  baselineRoundId: string | null;
  baseline: TrackingFigure | null;
  /** The other survey's indicator this row continues (or is continued by), if linked. */
  linked: TrackingSource | null;
  /** Every target for a date, earliest first (also shown in the round holding the date, if any). */
  dateTargets: { on: string; value: number }[];
  cells: TrackingCell[];
  latestRoundId: string | null;
  change: { diff: number | null; low: number | null; high: number | null; verdict: Verdict } | null;
  /** The last target set, and the latest figure's variance to it and share of the distance achieved. */
  finalTarget: number | null;
  variance: number | null;
  achieved: number | null;
  status: TrackingStatus;
  statusReason: string;
  /** The value the latest round was expected to reach. */
  expected: number | null;
}

export interface TrackingTable {
  rounds: { id: string; label: string; startsOn: string; endsOn: string }[];
  split: DimensionInfo | null;
  rows: TrackingRow[];
  source: string;
  frequency: string;
  minCellSize: number;
  suppressionNote: string;
  indicative: boolean;
}

/** Dimensions a tracking table may be split by (one at a time, by round: what the family publishes). */
export function trackingSplits(ctx: DashboardContext): DimensionInfo[] {
  return ctx.dimensions;
}

const figureOf = (p: SeriesPoint): TrackingFigure => ({ value: p.value, low: p.low, high: p.high, n: p.n, suppressed: p.suppressed, indicative: p.indicative });
const shown = (f: TrackingFigure | null): f is TrackingFigure & { value: number } => !!f && !f.suppressed && f.value !== null && (f.n ?? 0) > 0;

/**
 * One row. Each round's figure is a point of exactly one survey's series: the viewed survey's when
 * it collected in that round, else the linked survey's. Nothing is added up across surveys, so the
 * linked row publishes no figure that either survey's own table does not (see README, Decisions).
 */
async function rowFor(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  filters: ViewFilters,
  group: TrackingRow["group"],
  partner: Partner | null,
): Promise<TrackingRow> {
  const linked = await linkedTotals(db, ctx, indicator, filters, partner);
  const ownSource = sourceOf(ctx, indicator);
  const pointOf = (roundId: string): { p: SeriesPoint; from: Partner | null } | null => {
    const p = linked.totals.find((x) => x.period === roundId);
    return p ? { p, from: linked.from.get(roundId) ?? null } : null;
  };
  const plan = ctx.plans?.get(indicator.id);
  const targets = plan?.targets ?? new Map<string, number>();
  const dateTargets = plan?.dates ?? [];
  const actualOf = (roundId: string) => {
    const at = pointOf(roundId);
    return at && (at.p.suppressed || (at.p.n ?? 0) > 0) ? figureOf(at.p) : null;
  };

  const baselineRoundId =
    plan?.baselineRoundId ?? ctx.rounds.find((r) => r.kind === "baseline")?.id ?? ctx.rounds.find((r) => actualOf(r.id))?.id ?? null;
  const baselineIndex = ctx.rounds.findIndex((r) => r.id === baselineRoundId);
  const baseline = baselineRoundId ? actualOf(baselineRoundId) : null;
  const baselineValue = shown(baseline) ? baseline.value : null;

  const cells = ctx.rounds.map((r): TrackingCell => {
    const actual = actualOf(r.id);
    const from = pointOf(r.id)?.from;
    const target = targets.get(r.id) ?? null;
    const value = shown(actual) ? actual.value : null;
    return {
      roundId: r.id,
      target,
      dateTargets: dateTargets.filter((d) => r.startsOn <= d.on && d.on <= r.endsOn),
      source: actual ? (from ? sourceOf(from.ctx, from.indicator) : ownSource) : null,
      actual,
      variance: value !== null && target !== null ? value - target : null,
      achieved: r.id === baselineRoundId ? null : distanceAchieved(baselineValue, value, target),
    };
  });
  const latestIndex = cells.map((c) => shown(c.actual)).lastIndexOf(true);
  const latest = latestIndex >= 0 ? (cells[latestIndex].actual as TrackingFigure & { value: number }) : null;
  const latestRoundId = latestIndex >= 0 ? ctx.rounds[latestIndex].id : null;

  // Change since baseline: the two rounds' figures as shown, each from its own survey's family.
  let change: TrackingRow["change"] = null;
  if (baselineRoundId && latestRoundId && latestRoundId !== baselineRoundId && shown(baseline) && latest) {
    const c = await linkedChange(db, ctx, indicator, filters, linked.from, baselineRoundId, latestRoundId);
    change = { diff: c.diff, low: c.low, high: c.high, verdict: c.verdict };
  }

  const targetList = [
    ...ctx.rounds.flatMap((r, index) => (targets.has(r.id) ? [{ index, value: targets.get(r.id)! }] : [])),
    ...dateTargets.map((d) => ({ index: datePosition(d.on, ctx.rounds), value: d.value })),
  ].sort((a, b) => a.index - b.index);
  const status = trackingStatus({
    direction: indicator.direction,
    baseline: baselineValue !== null && baselineIndex >= 0 ? { index: baselineIndex, value: baselineValue } : null,
    latest: latest ? { index: latestIndex, value: latest.value, low: latest.low, high: latest.high } : null,
    targets: targetList,
  });
  const finalTarget = targetList.at(-1)?.value ?? null;
  return {
    indicatorId: indicator.id,
    label: text(indicator.label, ctx.language),
    reference: indicator.reference ?? null,
    kind: indicator.kind,
    direction: indicator.direction,
    group,
    baselineRoundId,
    baseline,
    linked: partner ? sourceOf(partner.ctx, partner.indicator) : null,
    dateTargets,
    cells,
    latestRoundId,
    change,
    finalTarget,
    variance: latest && finalTarget !== null ? latest.value - finalTarget : null,
    achieved: latestRoundId === baselineRoundId ? null : distanceAchieved(baselineValue, latest?.value ?? null, finalTarget),
    status: status.status,
    statusReason: status.reason,
    expected: status.expected,
  };
}

/** The tracking table of a survey's indicators, split by at most one dimension (by round). */
export async function loadTracking(db: Kysely<Database>, ctx: DashboardContext, opts: { by?: string | null } = {}): Promise<TrackingTable> {
  const split = opts.by ? (ctx.dimensions.find((d) => d.id === opts.by) ?? null) : null;
  const rows: TrackingRow[] = [];
  const siblings: Siblings = new Map();
  for (const indicator of ctx.survey.definition.indicators) {
    const partner = await partnerOf(db, ctx, indicator, siblings);
    rows.push(await rowFor(db, ctx, indicator, {}, null, partner));
    if (!split) continue;
    const series = await indicatorSeries(db, ctx, indicator, { period: "round", by: [split], filters: {} });
    const values = series.groups.map((g) => g.group[split.id]);
    // A linked survey's groups too (in the split's order), when it asks about the dimension.
    const theirs = partner?.ctx.dimensions.find((d) => d.id === split.id);
    if (partner && theirs) {
      const other = await indicatorSeries(db, partner.ctx, partner.indicator, { period: "round", by: [theirs], filters: {} });
      const rank = (v: string) => {
        const i = split.values.findIndex((x) => x.code === v);
        return i < 0 ? (v === "" ? 1e9 : 1e8) : i;
      };
      for (const g of other.groups) if (!values.includes(g.group[split.id])) values.push(g.group[split.id]);
      values.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    }
    for (const value of values) {
      const filters: ViewFilters = split.id === "community" ? { communities: [value] } : { groups: { [split.id]: value } };
      rows.push(await rowFor(db, ctx, indicator, filters, { dimension: split.id, dimensionLabel: split.label, value, label: valueLabel(split, value) }, partner));
    }
  }
  const withData = ctx.rounds.filter((r) => rows.some((row) => row.cells.some((c) => c.roundId === r.id && c.actual)));
  const v = ctx.survey.version;
  return {
    rounds: ctx.rounds.map((r) => ({ id: r.id, label: r.name, startsOn: r.startsOn, endsOn: r.endsOn })),
    split,
    rows,
    source: `${ctx.survey.title} (${versions(v)}); rounds with responses: ${withData.map((r) => r.name).join(", ") || "none yet"}${linkedSources(ctx, rows)}`,
    frequency: ctx.rounds.length ? `Each round (${ctx.rounds.length} planned: ${ctx.rounds.map((r) => r.name).join(", ")})` : "No rounds planned yet",
    minCellSize: ctx.programme.minCellSize,
    suppressionNote: suppressionNote(ctx.programme.minCellSize),
    indicative: rows.some((r) => r.cells.some((c) => c.actual?.indicative)),
  };
}

const versions = (v: number) => (v > 1 ? `versions 1–${v} combined` : "version 1");

/** "; linked: Baseline survey (version 1) for Baseline" — the rounds each other survey gives figures for. */
function linkedSources(ctx: DashboardContext, rows: TrackingRow[]): string {
  const bySurvey = new Map<string, { source: TrackingSource; rounds: Set<string> }>();
  for (const row of rows)
    for (const c of row.cells) {
      if (!c.source || c.source.surveyId === ctx.survey.id) continue;
      let entry = bySurvey.get(c.source.surveyId);
      if (!entry) bySurvey.set(c.source.surveyId, (entry = { source: c.source, rounds: new Set() }));
      entry.rounds.add(c.roundId);
    }
  if (!bySurvey.size) return "";
  const parts = [...bySurvey.values()].map(({ source, rounds }) => `${source.title} (${versions(source.version)}) for ${ctx.rounds.filter((r) => rounds.has(r.id)).map((r) => r.name).join(", ")}`);
  return `; linked indicators: ${parts.join("; ")}`;
}
