// The survey a translation page or file is for: its author asking, and its draft whole enough to translate.
import { data, type AppLoadContext } from "@remix-run/node";
import { requireSurvey } from "~/survey-access.server";
import { draftOrLatest } from "~/models/surveys.server";
import { SurveyDefinitionSchema, type SurveyDefinition } from "~/survey";
import { refuse } from "../refusal.server";

export async function surveyAndDraft(request: Request, context: AppLoadContext, surveyId: string) {
  const { viewer, survey } = await requireSurvey(request, context, surveyId, "author");
  const parsed = SurveyDefinitionSchema.safeParse(await draftOrLatest(context.db, survey));
  if (!parsed.success) throw refuse("refused.draftIncomplete", 409);
  return { viewer, survey, def: parsed.data };
}

export function languageOf(def: SurveyDefinition, code: string | null) {
  const l = def.languages.find((x) => x.code === code && x.code !== def.defaultLanguage);
  if (!l) throw data({ message: `lang must be one of the survey's other languages (${def.languages.filter((x) => x.code !== def.defaultLanguage).map((x) => x.code).join(", ") || "none yet"}).` }, { status: 400 });
  return l;
}

