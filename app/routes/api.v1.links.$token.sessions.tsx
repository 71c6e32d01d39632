// POST /api/v1/links/{token}/sessions — focus-group sessions made on the tablet, created or updated
// by id (the latest updatedAt wins), and consent refusals, each counted once by its id.
import type { ActionFunctionArgs } from "@remix-run/node";
import { jsonError } from "~/auth.server";
import { rateLimit, readJson, requireLink } from "~/api/link-api.server";
import { upsertSessions } from "~/models/sessions-fg.server";
import { SessionsBodySchema } from "~/models/session-body";

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token!;
  rateLimit(token, context);
  const link = await requireLink(token, context);
  const parsed = SessionsBodySchema.safeParse(await readJson(request));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return jsonError(400, issue.message, { path: issue.path.join(".") });
  }
  const result = await upsertSessions(context.db, link, parsed.data.sessions, parsed.data.refusals);
  return Response.json(result);
}

export const loader = () => jsonError(405, "Use POST.");
