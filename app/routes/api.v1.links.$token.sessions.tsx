// POST /api/v1/links/{token}/sessions — focus-group sessions made on the tablet, created or updated
// by id (the latest updatedAt wins), and consent refusals, each counted once by its id.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { jsonError } from "~/auth.server";
import { rateLimit, readJson, requireLink } from "~/api/link-api.server";
import { upsertSessions } from "~/models/sessions-fg.server";
import { deviceUuid } from "~/models/response-checks";

const SessionSchema = z.object({
  id: deviceUuid("A session id must be a UUID made on the device."),
  communityId: z.string().nullish(),
  roundId: z.string().nullish(),
  heldOn: z.iso.date(),
  groupDescription: z.string().max(200).default(""),
  participantCount: z.number().int().min(0).max(10_000).nullish(),
  notes: z.string().max(10_000).default(""),
  updatedAt: z.iso.datetime({ offset: true }),
});
const BodySchema = z.object({
  sessions: z.array(SessionSchema).max(500).default([]),
  refusals: z
    .array(
      z.object({
        id: deviceUuid("A refusal id must be a UUID made on the device."),
        sessionId: z.string().max(100).transform((id) => id.toLowerCase()).nullish(),
        recordedOn: z.iso.date(),
      }),
    )
    .max(5000)
    .default([]),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const token = params.token!;
  rateLimit(token, context);
  const link = await requireLink(token, context);
  const parsed = BodySchema.safeParse(await readJson(request));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return jsonError(400, issue.message, { path: issue.path.join(".") });
  }
  const result = await upsertSessions(context.db, link, parsed.data.sessions, parsed.data.refusals);
  return Response.json(result);
}

export const loader = () => jsonError(405, "Use POST.");
