// GET /surveys/{id}/voice-clips/{hash} — a recorded voice of the survey, for its programme's people
// (the Voices page plays the working set and what published versions carry).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { surveyClip } from "~/models/voices.server";
import { CLIP_HASH } from "~/voices/prompts";
import { clipResponse } from "~/voices/clip-response.server";

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const { survey } = await requireSurvey(request, context, params.surveyId!);
  const hash = params.hash!;
  const clip = CLIP_HASH.test(hash) ? await surveyClip(context.db, survey.id, hash) : undefined;
  if (!clip) throw data({ message: "This survey has no such recorded voice." }, { status: 404 });
  // Signed-in answers are never stored by the browser (no-store is set by the server for them).
  return clipResponse(clip, hash, request, "private, no-store");
}
