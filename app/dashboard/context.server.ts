// What every dashboard view needs to know about a programme and one of its surveys: disclosure
// threshold, rounds, communities, the latest published definition and its disaggregation dimensions.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import type { LocalizedText, SurveyDefinition } from "~/survey";
import { getProgramme, type ProgrammeSummary } from "~/models/programmes.server";
import { getLatestVersion, getSurvey, listSurveys, type SurveySummary } from "~/models/surveys.server";
import { listRounds, type RoundSummary } from "~/models/rounds.server";
import type { Viewer } from "~/models/viewer";
import type { Translate } from "~/i18n/core";
import type { DashboardWords } from "~/i18n/staff/dashboard";
import type { Sampling } from "~/models/programme-forms";
import { foldBeforeReading } from "~/models/aggregates.server";
import { getPlans, type Plans } from "~/models/indicator-targets.server";
import { getLinks, type LinkedEnd } from "~/models/indicator-links.server";

export interface DimensionInfo {
  /** "community", "gender", "age_band", "disability", "displacement", or a custom id. */
  id: string;
  label: string;
  /** Custom disaggregation id (its answers live in custom_key). */
  custom?: string;
  values: { code: string; label: string }[];
}

export interface DashboardContext {
  programme: { id: string; name: string; minCellSize: number; sampling: Sampling };
  survey: { id: string; title: string; version: number; definition: SurveyDefinition };
  surveys: SurveySummary[];
  rounds: RoundSummary[];
  communities: { id: string; name: string }[];
  dimensions: DimensionInfo[];
  language: string;
  /** Baseline rounds and targets per round, by indicator id (absent: none set). */
  plans?: Plans;
  /** Indicators linked to one of another survey of the programme (absent: none). */
  links?: Map<string, LinkedEnd>;
}

/** Text in the wanted language, else the first one there is. */
export function text(t: LocalizedText | undefined, language: string): string {
  if (!t) return "";
  return t[language] ?? t.en ?? Object.values(t)[0] ?? "";
}

const BUILT_IN_LABELS: Record<string, string> = {
  gender: "Gender",
  age_band: "Age band",
  disability: "Disability",
  displacement: "Displacement status",
};

/** Disaggregation dimensions of a definition, plus community. */
export function dimensionsOf(def: SurveyDefinition, communities: { id: string; name: string }[], language: string): DimensionInfo[] {
  const out: DimensionInfo[] = [
    { id: "community", label: "Community", values: communities.map((c) => ({ code: c.id, label: c.name })) },
  ];
  for (const q of def.questions) {
    if (!q.disaggregation) continue;
    const values = (q.options ?? []).map((o) => ({ code: o.code, label: text(o.label, language) }));
    if (typeof q.disaggregation === "string") {
      out.push({ id: q.disaggregation, label: BUILT_IN_LABELS[q.disaggregation], values });
    } else {
      out.push({ id: q.disaggregation.custom, label: text(q.label, language), custom: q.disaggregation.custom, values });
    }
  }
  return out;
}

/** The built-in dimensions named in the page's language; custom ones keep their question's wording. */
export function nameDimensions(ctx: DashboardContext, t: Translate<DashboardWords>): DashboardContext {
  const names: Partial<Record<string, string>> = { community: t("community"), gender: t("dimGender"), age_band: t("dimAgeBand"), disability: t("dimDisability"), displacement: t("dimDisplacement") };
  return { ...ctx, dimensions: ctx.dimensions.map((d) => (d.custom ? d : { ...d, label: names[d.id] ?? d.label })) };
}

/**
 * The context of a programme's dashboard, or null when the viewer may not see the programme.
 * Membership is checked by getProgramme/listSurveys inside their queries.
 */
export async function loadDashboardContext(
  db: Kysely<Database>,
  viewer: Viewer,
  programmeId: string,
  surveyId: string | null,
  language = "en",
): Promise<{ programme: ProgrammeSummary; context: DashboardContext | null } | null> {
  const programme = await getProgramme(db, viewer, programmeId);
  if (!programme) return null;
  await foldBeforeReading(db); // responses stored a moment ago count at once
  const surveys = (await listSurveys(db, viewer, programme.id)).filter((s) => s.latestVersion > 0);
  const chosen = surveys.find((s) => s.id === surveyId) ?? surveys[surveys.length - 1];
  if (!chosen) return { programme, context: null };
  return { programme, context: await contextFor(db, programme, chosen, surveys, language) };
}

/** Context for a survey reached by id (API): null when unknown or outside the viewer's programmes. */
export async function loadSurveyContext(db: Kysely<Database>, viewer: Viewer, surveyId: string, language = "en"): Promise<DashboardContext | null> {
  const survey = await getSurvey(db, viewer, surveyId);
  if (!survey || survey.latestVersion === 0) return null;
  await foldBeforeReading(db); // responses stored a moment ago count at once
  const programme = await getProgramme(db, viewer, survey.programmeId);
  if (!programme) return null;
  return contextFor(db, programme, survey, [survey], language);
}

async function contextFor(db: Kysely<Database>, programme: ProgrammeSummary, survey: SurveySummary, surveys: SurveySummary[], language: string): Promise<DashboardContext> {
  const [latest, rounds, communities, plans, links] = await Promise.all([
    getLatestVersion(db, survey.id),
    listRounds(db, programme.id),
    db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", programme.id).orderBy("name").execute(),
    getPlans(db, survey.id),
    getLinks(db, survey.id),
  ]);
  const definition = latest!.definition;
  const lang = definition.languages.some((l) => l.code === language) ? language : definition.defaultLanguage;
  return {
    programme: { id: programme.id, name: programme.name, minCellSize: programme.minCellSize, sampling: programme.sampling },
    survey: { id: survey.id, title: survey.title, version: latest!.version, definition },
    surveys,
    rounds,
    communities,
    dimensions: dimensionsOf(definition, communities, lang),
    language: lang,
    plans,
    links,
  };
}

/**
 * The context of another survey of the same programme, as seen from `ctx` (a linked indicator's
 * other end): null unless the viewer sees it there (`ctx.surveys` lists what the viewer sees) and
 * it has a published version. Rounds and communities are the programme's, shared.
 */
export async function siblingContext(db: Kysely<Database>, ctx: DashboardContext, surveyId: string): Promise<DashboardContext | null> {
  const survey = ctx.surveys.find((s) => s.id === surveyId && s.latestVersion > 0);
  if (!survey) return null;
  const [latest, plans] = await Promise.all([getLatestVersion(db, survey.id), getPlans(db, survey.id)]);
  const definition = latest!.definition;
  const lang = definition.languages.some((l) => l.code === ctx.language) ? ctx.language : definition.defaultLanguage;
  return {
    ...ctx,
    survey: { id: survey.id, title: survey.title, version: latest!.version, definition },
    dimensions: dimensionsOf(definition, ctx.communities, lang),
    language: lang,
    plans,
    links: new Map(),
  };
}
