// GET /api/v1/links/{token}/voices/{hash} — a recorded voice for a tablet or phone holding the link:
// only a clip that a published version of the link's survey carries. Named by its content hash, so
// it never changes and may be kept for good (the offline worker precaches it with the link's bundle).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonError } from "~/auth.server";
import { requireLink } from "~/api/link-api.server";
import { publishedClip } from "~/models/voices.server";
import { CLIP_HASH } from "~/voices/prompts";
import { clipResponse } from "~/voices/clip-response.server";

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const link = await requireLink(params.token!, context, { forSubmitting: false });
  const hash = params.hash!;
  const clip = CLIP_HASH.test(hash) ? await publishedClip(context.db, link.surveyId, link.latestVersion, hash) : undefined;
  if (!clip) throw jsonError(404, "This link's survey has no such recorded voice.");
  return clipResponse(clip, hash, request, "private, max-age=31536000, immutable");
}
