// The dashboard API's answers: the caller's surveys with their indicators, and one indicator's
// series exactly as the dashboard computes it (disclosure control included).
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Viewer } from "~/models/viewer";
import { getLatestVersion, listSurveys } from "~/models/surveys.server";
import { loadSurveyContext, text } from "./context.server";
import { finalTarget, indicatorSeries, PERIODS, ViewOutsideFamily, type Period } from "./series.server";
import { dimensionsFor, filtersOf } from "./dashboard.server";
import { parseView } from "./view";

export class SeriesRequestError extends Error {
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}

export async function listSurveyIndicators(db: Kysely<Database>, viewer: Viewer) {
  const surveys = (await listSurveys(db, viewer)).filter((s) => s.latestVersion > 0);
  const out = [];
  for (const s of surveys) {
    const latest = await getLatestVersion(db, s.id);
    const def = latest!.definition;
    out.push({
      id: s.id,
      title: s.title,
      programmeId: s.programmeId,
      programmeName: s.programmeName,
      version: latest!.version,
      indicators: def.indicators.map((i) => ({ id: i.id, name: text(i.label, def.defaultLanguage), kind: i.kind, reference: i.reference ?? null })),
    });
  }
  return out;
}

export async function apiSeries(db: Kysely<Database>, viewer: Viewer, surveyId: string, indicatorId: string, params: URLSearchParams) {
  const ctx = await loadSurveyContext(db, viewer, surveyId);
  if (!ctx) return null;
  const indicator = ctx.survey.definition.indicators.find((i) => i.id === indicatorId);
  if (!indicator) return null;
  const period = params.get("period") ?? "round";
  if (!PERIODS.includes(period as Period)) throw new SeriesRequestError("period", "period must be round, month or quarter.");
  const by = (params.get("by") ?? "").split(",").filter(Boolean);
  if (by.length > 2) throw new SeriesRequestError("by", "by takes at most two dimensions.");
  const unknown = by.find((id) => !ctx.dimensions.some((d) => d.id === id));
  if (unknown) throw new SeriesRequestError("by", `Unknown dimension "${unknown}". Known: ${ctx.dimensions.map((d) => d.id).join(", ")}.`);
  const view = parseView(params);
  let series;
  try {
    series = await indicatorSeries(db, ctx, indicator, { period: period as Period, by: dimensionsFor(ctx, by), filters: filtersOf(view) });
  } catch (err) {
    if (err instanceof ViewOutsideFamily) throw new SeriesRequestError(err.field, err.message);
    throw err;
  }
  const points = (by.length ? series.points : series.totals).map((p) => ({
    period: p.period,
    periodLabel: p.periodLabel,
    group: p.group,
    n: p.n,
    value: p.value,
    low: p.low,
    high: p.high,
    suppressed: p.suppressed,
    indicative: p.indicative,
    // Clustered samples only: design effect, effective n, clusters, and why a value has no interval.
    ...(p.clusters !== undefined && !p.suppressed ? { deff: p.deff ?? null, effectiveN: p.effectiveN ?? null, clusters: p.clusters, noInterval: p.noInterval ?? null } : {}),
  }));
  return {
    indicator: {
      id: indicator.id,
      name: text(indicator.label, ctx.survey.definition.defaultLanguage),
      kind: indicator.kind,
      direction: indicator.direction,
      reference: indicator.reference ?? null,
      target: finalTarget(ctx, indicator.id)?.value ?? null,
      unit: indicator.kind === "share" ? "proportion (0–1)" : "scale units",
      minCellSize: ctx.programme.minCellSize,
      suppressedMeans: `fewer than ${ctx.programme.minCellSize} respondents, or a figure that would let such a group be worked out`,
    },
    period,
    by,
    points,
    totals: by.length ? series.totals.map((p) => ({ period: p.period, n: p.n, value: p.value, low: p.low, high: p.high, suppressed: p.suppressed })) : undefined,
  };
}
