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
import { indicatorHeadline, indicatorSeries, valueLabel, type SeriesPoint, type ViewFilters } from "./series.server";
import { distanceAchieved, trackingStatus, type TrackingStatus } from "./tracking";

export interface TrackingFigure {
  value: number | null;
  low: number | null;
  high: number | null;
  n: number | null;
  suppressed: boolean;
  indicative: boolean;
}

export interface TrackingCell {
  roundId: string;
  target: number | null;
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

async function rowFor(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  filters: ViewFilters,
  group: TrackingRow["group"],
): Promise<TrackingRow> {
  const headline = await indicatorHeadline(db, ctx, indicator, { period: "round", filters });
  const totals = headline.series.totals;
  const plan = ctx.plans?.get(indicator.id);
  const targets = plan?.targets ?? new Map<string, number>();
  const actualOf = (roundId: string) => {
    const p = totals.find((x) => x.period === roundId);
    return p && (p.suppressed || (p.n ?? 0) > 0) ? figureOf(p) : null;
  };

  const baselineRoundId =
    plan?.baselineRoundId ?? ctx.rounds.find((r) => r.kind === "baseline")?.id ?? ctx.rounds.find((r) => actualOf(r.id))?.id ?? null;
  const baselineIndex = ctx.rounds.findIndex((r) => r.id === baselineRoundId);
  const baseline = baselineRoundId ? actualOf(baselineRoundId) : null;
  const baselineValue = shown(baseline) ? baseline.value : null;

  const cells = ctx.rounds.map((r): TrackingCell => {
    const actual = actualOf(r.id);
    const target = targets.get(r.id) ?? null;
    const value = shown(actual) ? actual.value : null;
    return {
      roundId: r.id,
      target,
      actual,
      variance: value !== null && target !== null ? value - target : null,
      achieved: r.id === baselineRoundId ? null : distanceAchieved(baselineValue, value, target),
    };
  });
  const latestIndex = cells.map((c) => shown(c.actual)).lastIndexOf(true);
  const latest = latestIndex >= 0 ? (cells[latestIndex].actual as TrackingFigure & { value: number }) : null;
  const latestRoundId = latestIndex >= 0 ? ctx.rounds[latestIndex].id : null;

  // The headline measures change between its own baseline and latest: use it when they are ours.
  const change =
    headline.change && headline.baseline?.period === baselineRoundId && headline.latest?.period === latestRoundId && latestRoundId !== baselineRoundId ? headline.change : null;

  const targetList = ctx.rounds.flatMap((r, index) => (targets.has(r.id) ? [{ index, value: targets.get(r.id)! }] : []));
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
  for (const indicator of ctx.survey.definition.indicators) {
    rows.push(await rowFor(db, ctx, indicator, {}, null));
    if (!split) continue;
    const series = await indicatorSeries(db, ctx, indicator, { period: "round", by: [split], filters: {} });
    for (const g of series.groups) {
      const value = g.group[split.id];
      const filters: ViewFilters = split.id === "community" ? { communities: [value] } : { groups: { [split.id]: value } };
      rows.push(await rowFor(db, ctx, indicator, filters, { dimension: split.id, dimensionLabel: split.label, value, label: valueLabel(split, value) }));
    }
  }
  const withData = ctx.rounds.filter((r) => rows.some((row) => row.cells.some((c) => c.roundId === r.id && c.actual)));
  const v = ctx.survey.version;
  return {
    rounds: ctx.rounds.map((r) => ({ id: r.id, label: r.name, startsOn: r.startsOn, endsOn: r.endsOn })),
    split,
    rows,
    source: `${ctx.survey.title} (${v > 1 ? `versions 1–${v} combined` : "version 1"}); rounds with responses: ${withData.map((r) => r.name).join(", ") || "none yet"}`,
    frequency: ctx.rounds.length ? `Each round (${ctx.rounds.length} planned: ${ctx.rounds.map((r) => r.name).join(", ")})` : "No rounds planned yet",
    minCellSize: ctx.programme.minCellSize,
    suppressionNote: suppressionNote(ctx.programme.minCellSize),
    indicative: rows.some((r) => r.cells.some((c) => c.actual?.indicative)),
  };
}
