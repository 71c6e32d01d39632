// The tracking table as a formatted workbook: the table, one reference sheet per indicator, and
// the method and suppression note.
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { loadTrackingPage } from "~/dashboard/tracking-page.server";
import { trackingWorkbook } from "~/dashboard/tracking-files.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { programme, ctx, table } = await loadTrackingPage(request, context, params.programmeId!);
  if (!ctx || !table) throw data({ message: "No published survey yet." }, { status: 404 });
  const body = await trackingWorkbook(ctx, table, { programme: programme.name, generatedOn: new Date().toISOString().slice(0, 10) });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="tracking-table.xlsx"`,
      "Cache-Control": "no-store",
    },
  });
}
