// Linked indicators on the dashboard and in the tracking table: an indicator's series continued by
// the same indicator of another survey of the programme. Each round's figure is a point of exactly
// one survey's series — the viewed survey's when it collected in that round, else the linked one's —
// and nothing is added up across surveys, so a linked view publishes no figure (and no difference
// of figures) that the two surveys' own views do not already publish.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { Indicator } from "~/survey";
import { siblingContext, type DashboardContext } from "./context.server";
import { changeBetween, indicatorSeries, periodEstimate, type Headline, type Series, type SeriesPoint, type ViewFilters } from "./series.server";

/** A linked indicator's other end, ready to read. */
export interface Partner {
  ctx: DashboardContext;
  indicator: Indicator;
}

/** The survey (and its indicator) a figure comes from. */
export interface FigureSource {
  surveyId: string;
  title: string;
  /** Latest published version; figures combine every version. */
  version: number;
  indicatorId: string;
}

export const sourceOf = (ctx: DashboardContext, indicator: Indicator): FigureSource => ({ surveyId: ctx.survey.id, title: ctx.survey.title, version: ctx.survey.version, indicatorId: indicator.id });

/** Sibling contexts of one request, loaded once each. */
export type Siblings = Map<string, Promise<DashboardContext | null>>;

/** The other end of an indicator's link, when the viewer sees that survey and it still has the indicator. */
export async function partnerOf(db: Kysely<Database>, ctx: DashboardContext, indicator: Indicator, siblings: Siblings = new Map()): Promise<Partner | null> {
  const end = ctx.links?.get(indicator.id);
  if (!end) return null;
  let sibling = siblings.get(end.surveyId);
  if (!sibling) siblings.set(end.surveyId, (sibling = siblingContext(db, ctx, end.surveyId)));
  const other = await sibling;
  const otherIndicator = other?.survey.definition.indicators.find((i) => i.id === end.indicatorId);
  return other && otherIndicator ? { ctx: other, indicator: otherIndicator } : null;
}

/** Whether the other survey publishes the view's group (a dimension it does not ask about gives it no figures). */
export function partnerCovers(partner: Partner, filters: ViewFilters): boolean {
  return Object.keys(filters.groups ?? {}).every((id) => partner.ctx.dimensions.some((d) => d.id === id));
}

export interface LinkedTotals {
  /** One point per round with a figure from either survey, in the programme's order of rounds. */
  totals: SeriesPoint[];
  /** Where each round's point comes from, by round id. */
  from: Map<string, Partner | null>;
}

/** The by-round totals of an indicator, continued by its linked indicator where the viewed survey did not collect. */
export async function linkedTotals(db: Kysely<Database>, ctx: DashboardContext, indicator: Indicator, filters: ViewFilters, partner: Partner | null, own?: SeriesPoint[]): Promise<LinkedTotals> {
  const mine = own ?? (await indicatorSeries(db, ctx, indicator, { period: "round", by: [], filters })).totals;
  const theirs = partner && partnerCovers(partner, filters) ? (await indicatorSeries(db, partner.ctx, partner.indicator, { period: "round", by: [], filters })).totals : [];
  const from = new Map<string, Partner | null>();
  const totals: SeriesPoint[] = [];
  for (const r of ctx.rounds) {
    const a = mine.find((p) => p.period === r.id);
    const b = a ? undefined : theirs.find((p) => p.period === r.id);
    if (a) from.set(r.id, null);
    else if (b) from.set(r.id, partner);
    const p = a ?? b;
    if (p) totals.push({ ...p, periodLabel: r.name });
  }
  // The viewed survey's "no round" responses stay its own.
  const none = mine.find((p) => p.period === "");
  if (none) {
    totals.push(none);
    from.set("", null);
  }
  return { totals, from };
}

/** Change between two rounds of a linked view, each estimated in the survey its figure comes from. */
export async function linkedChange(
  db: Kysely<Database>,
  ctx: DashboardContext,
  indicator: Indicator,
  filters: ViewFilters,
  from: Map<string, Partner | null>,
  before: string,
  after: string,
): Promise<NonNullable<Headline["change"]>> {
  const estimate = (roundId: string) => {
    const p = from.get(roundId) ?? null;
    return periodEstimate(db, p?.ctx ?? ctx, p?.indicator ?? indicator, "round", roundId, filters);
  };
  return changeBetween(indicator, await estimate(before), await estimate(after));
}

/** A by-round series whose totals are the linked ones (no split: groups are not continued on the dashboard). */
export function withLinkedTotals(series: Series, linked: LinkedTotals): Series {
  return { ...series, periods: linked.totals.map((p) => ({ id: p.period, label: p.periodLabel })), totals: linked.totals };
}
