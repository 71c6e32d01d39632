// The tracking table as CSV, written by the app's one CSV writer (every field quoted, formula-like
// text neutralised, a BOM for spreadsheet programs).
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { loadTrackingPage } from "~/dashboard/tracking-page.server";
import { trackingCsv } from "~/dashboard/tracking-files.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { ctx, table } = await loadTrackingPage(request, context, params.programmeId!);
  if (!ctx || !table) throw data({ message: "No published survey yet." }, { status: 404 });
  return new Response(trackingCsv(table), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="tracking-table.csv"`, "Cache-Control": "no-store" },
  });
}
