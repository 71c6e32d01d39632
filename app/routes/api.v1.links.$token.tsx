// GET /api/v1/links/{token} — what a tablet needs to collect offline: the link, the survey's latest
// published version, and the communities and rounds a focus-group session can be recorded in.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { rateLimit } from "~/api/link-api.server";
import { linkBundle } from "~/collector/bundle.server";

export async function loader({ context, params }: LoaderFunctionArgs) {
  const token = params.token!;
  rateLimit(token, context);
  return Response.json(await linkBundle(token, context), { headers: { "Cache-Control": "no-store" } });
}
