// CSV of exactly the numbers in one dashboard table (same view, same suppression), safe to open
// in a spreadsheet: cells that could run as formulas are neutralised.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { loadDashboardContext, nameDimensions } from "~/dashboard/context.server";
import { loadDashboard } from "~/dashboard/dashboard.server";
import { tableToCsv } from "~/dashboard/csv.server";
import { parseView } from "~/dashboard/view";
import { refuse } from "~/refusal.server";
import { wordsFor } from "~/i18n/staff.server";
import { dashboard as dashboardWords } from "~/i18n/staff/dashboard";
import { engineWords } from "~/dashboard/engine-words";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request, context);
  const url = new URL(request.url);
  const view = parseView(url.searchParams);
  const { t, locale } = await wordsFor(context.db, request, viewer.id, dashboardWords);
  const found = await loadDashboardContext(context.db, viewer, params.programmeId!, view.survey, locale);
  if (!found?.context) throw refuse("refused.noProgramme", 404);
  const ctx = nameDimensions(found.context, t);
  // The columns in the person's language, the numbers with dot decimals, as a spreadsheet reads them.
  const dashboard = await loadDashboard(context.db, ctx, view, engineWords(locale, true));
  const id = url.searchParams.get("table") ?? "";
  const tables = [
    ...dashboard.blocks.map((b) => b.table),
    ...(dashboard.focus?.gap ? [dashboard.focus.gap.table] : []),
    ...(dashboard.focus?.answers ? [dashboard.focus.answers.table] : []),
    ...(dashboard.focus?.ranking ?? []).map((r) => r.table),
    ...(dashboard.focus?.communities ? [dashboard.focus.communities.table] : []),
  ];
  const table = tables.find((t) => t.id === id);
  if (!table) throw refuse("refused.noTable", 404);
  return new Response(tableToCsv(table, dashboard.suppressionNote), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${table.id}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
