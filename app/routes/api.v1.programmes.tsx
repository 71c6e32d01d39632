// GET /api/v1/programmes — the caller's programmes.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiViewer } from "~/auth.server";
import { listProgrammes } from "~/models/programmes.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireApiViewer(request, context, "aggregates");
  const programmes = await listProgrammes(context.db, viewer);
  return Response.json({ programmes });
}
