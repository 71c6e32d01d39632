// Loads a survey for the person asking, or answers 404/403 the way every survey page should.
import { type AppLoadContext } from "@remix-run/node";
import { requireViewer } from "./auth.server";
import { canAuthor, getSurvey, type SurveyDetail } from "./models/surveys.server";
import type { Viewer } from "./models/viewer";
import { refuse } from "./refusal.server";

export async function requireSurvey(
  request: Request,
  context: AppLoadContext,
  surveyId: string,
  need: "read" | "author" = "read",
): Promise<{ viewer: Viewer; survey: SurveyDetail }> {
  const viewer = await requireViewer(request, context);
  const survey = await getSurvey(context.db, viewer, surveyId);
  if (!survey) throw refuse("refused.noSurvey", 404);
  if (need === "author" && !canAuthor(survey.role))
    throw refuse("refused.authorsOnly", 403);
  return { viewer, survey };
}
