// What the tracking page and its downloads load: the viewer's programme, survey context, the
// tracking table for the split asked for, and whether the viewer may set targets.
import { data, type AppLoadContext } from "@remix-run/node";
import { requireViewer } from "~/auth.server";
import { roleIn } from "~/models/programmes.server";
import { canSetTargets } from "~/models/indicator-targets.server";
import { loadDashboardContext } from "./context.server";
import { loadTracking } from "./tracking.server";

export async function loadTrackingPage(request: Request, context: AppLoadContext, programmeId: string) {
  const viewer = await requireViewer(request, context);
  const url = new URL(request.url);
  const found = await loadDashboardContext(context.db, viewer, programmeId, url.searchParams.get("survey"));
  if (!found) throw data({ message: "There is no programme here, or you are not a member of it." }, { status: 404 });
  const role = await roleIn(context.db, viewer, found.programme.id);
  if (!found.context) return { viewer, programme: found.programme, ctx: null, table: null, canEdit: canSetTargets(role) };
  const by = url.searchParams.get("by");
  const table = await loadTracking(context.db, found.context, { by });
  return { viewer, programme: found.programme, ctx: found.context, table, canEdit: canSetTargets(role) };
}
