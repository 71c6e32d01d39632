// POST /api/v1/links/{token}/responses — the sync endpoint tablets, phones and imports use.
import type { ActionFunctionArgs } from "@remix-run/node";
import { jsonError } from "~/auth.server";
import { rateLimit, readJson, requireLink, takeQuota } from "~/api/link-api.server";
import { collectedFromFor, ingestResponses, MAX_BATCH } from "~/models/responses.server";
import { ingestOpened } from "~/models/programme-keys.server";

export async function action({ request, context, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return jsonError(405, "Use POST.");
  const token = params.token!;
  rateLimit(token, context);
  const link = await requireLink(token, context);
  const body = await readJson(request);
  const responses = (body as { responses?: unknown })?.responses;
  if (!Array.isArray(responses)) return jsonError(400, 'The body must be {"responses":[…]}.', { path: "responses" });
  if (responses.length > MAX_BATCH)
    return jsonError(413, `At most ${MAX_BATCH} responses per request; this one has ${responses.length}.`);
  await takeQuota(link, responses.length, context);
  // Sealed items are opened first, so every check and exactly-once work on the decrypted content.
  const results = await ingestOpened(context.db, link.programmeId, responses, (plain) =>
    ingestResponses(context.db, link, plain, { collectedFrom: collectedFromFor(link) }),
  );
  return Response.json({ results });
}

export const loader = () => jsonError(405, "Use POST to submit responses.");
