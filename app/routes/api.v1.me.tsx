// GET /api/v1/me — who the token or session belongs to.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiViewer } from "~/auth.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireApiViewer(request, context, "any");
  return Response.json({ user: viewer });
}
