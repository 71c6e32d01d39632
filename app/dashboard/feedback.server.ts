// The community feedback view: one community's results, round by round, in the community's
// language, for validation workshops. Share indicators only (a mean is hard to read aloud), and
// every group too small to show is hidden exactly as on the dashboard.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { DashboardContext } from "./context.server";
import { text } from "./context.server";
import { indicatorSeries } from "./series.server";

export interface FeedbackItem {
  id: string;
  label: string;
  rounds: { id: string; label: string; value: number | null; n: number | null; hidden: boolean }[];
  /** Latest round, by gender, when the survey asks it. */
  byGender: { label: string; value: number | null; hidden: boolean }[];
}

export async function loadFeedback(db: Kysely<Database>, ctx: DashboardContext, communityId: string): Promise<FeedbackItem[]> {
  const gender = ctx.dimensions.find((d) => d.id === "gender");
  const items: FeedbackItem[] = [];
  for (const indicator of ctx.survey.definition.indicators.filter((i) => i.kind === "share")) {
    const filters = { communities: [communityId] };
    const series = await indicatorSeries(db, ctx, indicator, { period: "round", by: [], filters });
    const rounds = series.totals.filter((p) => p.period !== "").map((p) => ({ id: p.period, label: p.periodLabel, value: p.value, n: p.n, hidden: p.suppressed }));
    let byGender: FeedbackItem["byGender"] = [];
    const latest = series.totals.filter((p) => p.period !== "").at(-1);
    if (gender && latest) {
      const split = await indicatorSeries(db, ctx, indicator, { period: "round", by: [gender], filters: { ...filters, rounds: [latest.period] } });
      byGender = split.points.filter((p) => p.group.gender !== "").map((p) => ({ label: p.groupLabel, value: p.value, hidden: p.suppressed }));
    }
    items.push({ id: indicator.id, label: text(indicator.label, ctx.language), rounds, byGender });
  }
  return items;
}
