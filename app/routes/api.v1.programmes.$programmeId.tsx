// GET /api/v1/programmes/{id} — one programme with its communities, when the caller is a member.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonError, requireApiViewer } from "~/auth.server";
import { getProgramme, listCommunities } from "~/models/programmes.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await requireApiViewer(request, context, "aggregates");
  const programme = await getProgramme(context.db, viewer, params.programmeId!);
  if (!programme) return jsonError(404, "No such programme, or you are not a member of it.");
  const communities = await listCommunities(context.db, viewer, programme.id);
  return Response.json({ programme, communities });
}
