// The printable programme report: the dashboard's headlines and trends, plus every indicator's
// community × period table, with notes on method and disclosure control.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { DashboardContext } from "./context.server";
import { text } from "./context.server";
import { loadDashboard, filtersOf, type DataTable, type IndicatorBlock } from "./dashboard.server";
import { communityTable } from "./series.server";
import { formatValue, type DashboardView } from "./view";

export interface ReportData {
  minCellSize: number;
  suppressionNote: string;
  blocks: (IndicatorBlock & { communities: DataTable })[];
  indicative: boolean;
}

export async function loadReport(db: Kysely<Database>, ctx: DashboardContext, view: DashboardView): Promise<ReportData> {
  const dashboard = await loadDashboard(db, ctx, { ...view, panel: "trend" });
  const blocks = [];
  for (const [i, indicator] of ctx.survey.definition.indicators.entries()) {
    const t = await communityTable(db, ctx, indicator, { period: view.period, filters: filtersOf(view) });
    const k = indicator.kind;
    blocks.push({
      ...dashboard.blocks[i],
      communities: {
        id: `communities-${indicator.id}`,
        caption: `${text(indicator.label, ctx.language)} by community (${k === "share" ? "%" : "mean"}, n in brackets)`,
        columns: ["Community", ...t.periods.map((p) => p.label)],
        rows: [
          ...t.rows.map((r) => [r.name, ...r.cells.map((c) => (c.suppressed ? "suppressed" : c.n ? `${formatValue(k, c.value)} (n=${c.n})` : "–"))]),
          ["All communities", ...t.totals.map((c) => (c.suppressed ? "suppressed" : `${formatValue(k, c.value)} (n=${c.n})`))],
        ],
      },
    });
  }
  return { minCellSize: dashboard.minCellSize, suppressionNote: dashboard.suppressionNote, blocks, indicative: blocks.some((b) => b.headline.indicative) };
}
