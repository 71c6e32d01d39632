// Linked indicators (migration 0022): the same indicator of two surveys of one programme read as one
// series. A manager links an indicator of the survey being viewed to one of another survey; the link
// is refused, naming the field, when the two definitions are not comparable (the check versions use).
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import type { SurveyDefinition } from "~/survey";
import { linkWarnings } from "~/survey/comparability";
import type { Viewer } from "./viewer";
import { recordAudit } from "./audit.server";
import { PlanInputError } from "./indicator-targets.server";

/** The other end of an indicator's link. */
export interface LinkedEnd {
  surveyId: string;
  indicatorId: string;
}

/** Links of a survey's indicators, whichever end the survey is, by its indicator id. */
export async function getLinks(db: Kysely<Database>, surveyId: string): Promise<Map<string, LinkedEnd>> {
  const [mine, theirs] = await Promise.all([
    db.selectFrom("indicator_links").select(["indicator_id", "linked_survey_id", "linked_indicator_id"]).where("survey_id", "=", surveyId).execute(),
    db.selectFrom("indicator_links").select(["indicator_id", "survey_id", "linked_indicator_id"]).where("linked_survey_id", "=", surveyId).execute(),
  ]);
  const out = new Map<string, LinkedEnd>();
  for (const l of mine) out.set(l.indicator_id, { surveyId: l.linked_survey_id, indicatorId: l.linked_indicator_id });
  for (const l of theirs) out.set(l.linked_indicator_id, { surveyId: l.survey_id, indicatorId: l.indicator_id });
  return out;
}

interface SurveyEnd {
  id: string;
  title: string;
  definition: SurveyDefinition;
}

/**
 * Links `indicatorId` of `survey` (the later one, being viewed) to `otherIndicatorId` of `other`
 * (the earlier one), both of `programmeId` (the caller has checked the viewer sees both). Refused,
 * with the form field named, when either end is already linked or the definitions are not comparable.
 */
export async function linkIndicators(
  db: Kysely<Database>,
  viewer: Viewer,
  input: { programmeId: string; survey: SurveyEnd; indicatorId: string; other: SurveyEnd; otherIndicatorId: string },
): Promise<void> {
  const { survey, other } = input;
  if (other.id === survey.id) throw new PlanInputError("link", "Link to an indicator of another survey: within one survey, versions already combine.");
  if (!survey.definition.indicators.some((i) => i.id === input.indicatorId)) throw new PlanInputError("indicator", "Choose one of the survey's indicators.");
  if (!other.definition.indicators.some((i) => i.id === input.otherIndicatorId)) throw new PlanInputError("link", `"${other.title}" has no indicator "${input.otherIndicatorId}".`);
  const [mine, theirs] = await Promise.all([getLinks(db, survey.id), getLinks(db, other.id)]);
  if (mine.has(input.indicatorId)) throw new PlanInputError("link", "This indicator is already linked: remove that link first.");
  if (theirs.has(input.otherIndicatorId)) throw new PlanInputError("link", `"${input.otherIndicatorId}" of "${other.title}" is already linked to another indicator.`);
  const warnings = linkWarnings(other.definition, input.otherIndicatorId, survey.definition, input.indicatorId);
  if (warnings.length) {
    const w = warnings[0];
    const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more difference${warnings.length > 2 ? "s" : ""})` : "";
    throw new PlanInputError("link", `Not comparable with "${input.otherIndicatorId}" of "${other.title}": ${w.path} — ${w.message}${more}`);
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("indicator_links")
      .values({ survey_id: survey.id, indicator_id: input.indicatorId, linked_survey_id: other.id, linked_indicator_id: input.otherIndicatorId, linked_by: viewer.id, linked_at: nowIso() })
      .execute();
    await recordAudit(trx, viewer, {
      action: "indicator.link",
      programmeId: input.programmeId,
      surveyId: survey.id,
      target: `indicator ${input.indicatorId}`,
      details: { linkedSurvey: other.id, linkedIndicator: input.otherIndicatorId },
    });
  });
}

/** Removes the link an indicator of a survey is in (at either end); false when there was none. */
export async function unlinkIndicator(db: Kysely<Database>, viewer: Viewer, input: { programmeId: string; surveyId: string; indicatorId: string }): Promise<boolean> {
  const end = (await getLinks(db, input.surveyId)).get(input.indicatorId);
  if (!end) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("indicator_links")
      .where((eb) =>
        eb.or([
          eb.and([eb("survey_id", "=", input.surveyId), eb("indicator_id", "=", input.indicatorId)]),
          eb.and([eb("linked_survey_id", "=", input.surveyId), eb("linked_indicator_id", "=", input.indicatorId)]),
        ]),
      )
      .execute();
    await recordAudit(trx, viewer, {
      action: "indicator.unlink",
      programmeId: input.programmeId,
      surveyId: input.surveyId,
      target: `indicator ${input.indicatorId}`,
      details: { linkedSurvey: end.surveyId, linkedIndicator: end.indicatorId },
    });
  });
  return true;
}
