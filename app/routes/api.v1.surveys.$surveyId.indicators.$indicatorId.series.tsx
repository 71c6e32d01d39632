// GET /api/v1/surveys/{surveyId}/indicators/{indicatorId}/series?period=round|month|quarter&by=a[,b]
// The same series as the dashboard, with the same disclosure control.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonError, requireApiViewer } from "~/auth.server";
import { apiSeries, SeriesRequestError } from "~/dashboard/api.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireApiViewer(request, context, "aggregates");
  try {
    const body = await apiSeries(context.db, viewer, params.surveyId!, params.indicatorId!, new URL(request.url).searchParams);
    if (!body) return jsonError(404, "No such survey or indicator, or you are not a member of its programme.");
    return Response.json(body);
  } catch (e) {
    if (e instanceof SeriesRequestError) return jsonError(400, e.message, { field: e.field });
    throw e;
  }
}
