// The report a manager sends to a donor: a cover (programme, period, method) with the executive
// summary; two indicators per A4 page, each with its trend by gender, its tracking row and the
// manager's narrative; and a closing note on method and disclosure control. Every figure comes from
// the disclosure family through the dashboard's series and the tracking table.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { DashboardContext } from "./context.server";
import { loadDashboard, type IndicatorBlock } from "./dashboard.server";
import type { EngineWords } from "./engine-words";
import { loadTracking, type TrackingRow, type TrackingTable } from "./tracking.server";
import { getReportTexts, SUMMARY } from "~/models/indicator-targets.server";
import type { DashboardView } from "./view";

export interface ReportBlock extends IndicatorBlock {
  tracking: TrackingRow;
  narrative: string;
}

export interface ReportData {
  minCellSize: number;
  suppressionNote: string;
  blocks: ReportBlock[];
  /** Pairs of blocks: one A4 page each. */
  pages: ReportBlock[][];
  tracking: TrackingTable;
  summary: string;
  indicative: boolean;
  /** First and last round with responses, for the cover. */
  period: string;
}

/** `w`: the dashboard engine's words for the headlines and trends (English unless the page passes its language). */
export async function loadReport(db: Kysely<Database>, ctx: DashboardContext, view: DashboardView, w?: EngineWords): Promise<ReportData> {
  // Trends by gender (when the survey asks it): the split a donor report asks for first.
  const hasGender = ctx.dimensions.some((d) => d.id === "gender");
  const by = view.by.length ? view.by : hasGender ? ["gender"] : [];
  const dashboard = await loadDashboard(db, ctx, { ...view, by, period: "round", panel: "trend" }, w);
  const [tracking, texts] = await Promise.all([loadTracking(db, ctx), getReportTexts(db, ctx.survey.id)]);
  const blocks = ctx.survey.definition.indicators.map((indicator, i) => ({
    ...dashboard.blocks[i],
    tracking: tracking.rows.find((r) => r.indicatorId === indicator.id && !r.group)!,
    narrative: texts.get(indicator.id) ?? "",
  }));
  const pages: ReportBlock[][] = [];
  for (let i = 0; i < blocks.length; i += 2) pages.push(blocks.slice(i, i + 2));
  const measured = tracking.rounds.filter((r) => tracking.rows.some((row) => row.cells.some((c) => c.roundId === r.id && c.actual)));
  const period = measured.length ? `${measured[0].label} (${measured[0].startsOn}) to ${measured.at(-1)!.label} (${measured.at(-1)!.endsOn})` : "No round with responses yet";
  return {
    minCellSize: dashboard.minCellSize,
    suppressionNote: dashboard.suppressionNote,
    blocks,
    pages,
    tracking,
    summary: texts.get(SUMMARY) ?? "",
    indicative: blocks.some((b) => b.headline.indicative),
    period,
  };
}
