// GET /api/v1/surveys — the caller's published surveys with their indicators, so M&E systems can
// find the series to fetch.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiViewer } from "~/auth.server";
import { listSurveyIndicators } from "~/dashboard/api.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireApiViewer(request, context, "aggregates");
  return Response.json({ surveys: await listSurveyIndicators(context.db, viewer) });
}
