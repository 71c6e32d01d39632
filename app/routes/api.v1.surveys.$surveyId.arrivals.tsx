// GET /api/v1/surveys/{surveyId}/arrivals — responses received: total, excluded, last arrival,
// per round (as the dashboards place them), per community and per day of the last four weeks.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonError, requireApiViewer } from "~/auth.server";
import { getArrivals } from "~/models/arrivals.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireApiViewer(request, context, "aggregates");
  const arrivals = await getArrivals(context.db, viewer, params.surveyId!);
  if (!arrivals) return jsonError(404, "No such survey, or you are not a member of its programme.");
  return Response.json(arrivals);
}
