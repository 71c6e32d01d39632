// Surveys: a working draft, immutable published versions, open or closed. Every read takes the
// viewer and checks programme membership inside the query.
import type { Kysely } from "kysely";
import type { Database, Role, SurveyStatus } from "~db/schema";
import { fromJson, newId, nowIso, toJson } from "~db/portable";
import {
  comparabilityWarnings,
  onlyTranslationGaps,
  SurveyDefinitionSchema,
  validateDefinition,
  type ComparabilityWarning,
  type SurveyDefinition,
  type ValidationError,
  definitionFault,
} from "~/survey";
import type { Viewer } from "./viewer";
import { freezeVoices } from "./voices.server";

export interface SurveySummary {
  id: string;
  programmeId: string;
  programmeName: string;
  title: string;
  status: SurveyStatus;
  latestVersion: number;
  hasDraft: boolean;
  draftUpdatedAt: string | null;
  createdAt: string;
  /** The viewer's role in the survey's programme ("admin" for administrators). */
  role: Role | "admin";
}

export interface SurveyDetail extends SurveySummary {
  /** The draft as last saved (possibly invalid while being edited), or null. */
  draft: unknown | null;
  versions: { version: number; publishedAt: string; publishedBy: string }[];
}

/** Facilitators and administrators author and publish; managers read. */
export const canAuthor = (role: Role | "admin" | null) => role === "facilitator" || role === "admin";

function surveysFor(db: Kysely<Database>, viewer: Viewer) {
  let q = db
    .selectFrom("surveys")
    .innerJoin("programmes", "programmes.id", "surveys.programme_id")
    .leftJoin("memberships", (join) =>
      join.onRef("memberships.programme_id", "=", "surveys.programme_id").on("memberships.user_id", "=", viewer.id),
    )
    .select([
      "surveys.id",
      "surveys.programme_id",
      "programmes.name as programme_name",
      "surveys.title",
      "surveys.status",
      "surveys.latest_version",
      "surveys.draft_definition",
      "surveys.draft_updated_at",
      "surveys.created_at",
      "memberships.role",
    ]);
  if (!viewer.isAdmin) q = q.where("memberships.user_id", "is not", null);
  return q;
}

type Row = {
  id: string;
  programme_id: string;
  programme_name: string;
  title: string;
  status: SurveyStatus;
  latest_version: number;
  draft_definition: string | null;
  draft_updated_at: string | null;
  created_at: string;
  role: Role | null;
};

const summary = (r: Row): SurveySummary => ({
  id: r.id,
  programmeId: r.programme_id,
  programmeName: r.programme_name,
  title: r.title,
  status: r.status,
  latestVersion: Number(r.latest_version),
  hasDraft: r.draft_definition !== null,
  draftUpdatedAt: r.draft_updated_at,
  createdAt: r.created_at,
  role: r.role ?? "admin",
});

export async function listSurveys(db: Kysely<Database>, viewer: Viewer, programmeId?: string): Promise<SurveySummary[]> {
  let q = surveysFor(db, viewer);
  if (programmeId) q = q.where("surveys.programme_id", "=", programmeId);
  const rows = await q.orderBy("surveys.created_at", "desc").execute();
  return rows.map(summary);
}

export async function getSurvey(db: Kysely<Database>, viewer: Viewer, surveyId: string): Promise<SurveyDetail | undefined> {
  const row = await surveysFor(db, viewer).where("surveys.id", "=", surveyId).executeTakeFirst();
  if (!row) return undefined;
  const versions = await db
    .selectFrom("survey_versions")
    .leftJoin("users", "users.id", "survey_versions.published_by")
    .select(["survey_versions.version", "survey_versions.published_at", "users.display_name"])
    .where("survey_versions.survey_id", "=", surveyId)
    .orderBy("survey_versions.version", "desc")
    .execute();
  return {
    ...summary(row),
    draft: fromJson(row.draft_definition),
    versions: versions.map((v) => ({
      version: Number(v.version),
      publishedAt: v.published_at,
      publishedBy: v.display_name ?? "",
    })),
  };
}

const titleOf = (definition: unknown): string => {
  const d = definition as Partial<SurveyDefinition> | null;
  const title = d?.title;
  if (!title || typeof title !== "object") return "Untitled survey";
  return (d?.defaultLanguage && title[d.defaultLanguage]) || Object.values(title)[0] || "Untitled survey";
};

export async function createSurvey(
  db: Kysely<Database>,
  input: { programmeId: string; definition: unknown; createdBy: string },
): Promise<string> {
  const id = newId();
  const now = nowIso();
  await db
    .insertInto("surveys")
    .values({
      id,
      programme_id: input.programmeId,
      title: titleOf(input.definition),
      status: "open",
      draft_definition: toJson(input.definition),
      draft_updated_at: now,
      draft_updated_by: input.createdBy,
      latest_version: 0,
      created_by: input.createdBy,
      created_at: now,
    })
    .execute();
  return id;
}

/** Saves the working draft as typed, valid or not: nothing an author typed is lost. */
export async function saveDraft(db: Kysely<Database>, surveyId: string, definition: unknown, userId: string): Promise<string> {
  const now = nowIso();
  await db
    .updateTable("surveys")
    .set({ draft_definition: toJson(definition), draft_updated_at: now, draft_updated_by: userId, title: titleOf(definition) })
    .where("id", "=", surveyId)
    .execute();
  return now;
}

export async function discardDraft(db: Kysely<Database>, surveyId: string): Promise<void> {
  await db
    .updateTable("surveys")
    .set({ draft_definition: null, draft_updated_at: null, draft_updated_by: null })
    .where("id", "=", surveyId)
    .where("latest_version", ">", 0)
    .execute();
}

export async function getVersion(
  db: Kysely<Database>,
  surveyId: string,
  version: number,
): Promise<SurveyDefinition | undefined> {
  const row = await db
    .selectFrom("survey_versions")
    .select("definition")
    .where("survey_id", "=", surveyId)
    .where("version", "=", version)
    .executeTakeFirst();
  return row ? (fromJson<SurveyDefinition>(row.definition) ?? undefined) : undefined;
}

// Published versions never change, so their definitions are cached for the life of the process.
// Only hits are kept: a version missing now may be published a moment later.
const publishedDefinitions = new Map<string, SurveyDefinition>();

/** A published version's definition from the cache or the database; undefined when there is none. */
export async function getPublishedDefinition(
  db: Kysely<Database>,
  surveyId: string,
  version: number,
): Promise<SurveyDefinition | undefined> {
  const key = `${surveyId}:${version}`;
  let definition = publishedDefinitions.get(key);
  if (!definition) {
    definition = await getVersion(db, surveyId, version);
    if (definition) publishedDefinitions.set(key, definition);
  }
  return definition;
}

export async function getLatestVersion(
  db: Kysely<Database>,
  surveyId: string,
): Promise<{ version: number; definition: SurveyDefinition } | undefined> {
  const row = await db
    .selectFrom("survey_versions")
    .select(["version", "definition"])
    .where("survey_id", "=", surveyId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { version: Number(row.version), definition: fromJson<SurveyDefinition>(row.definition)! } : undefined;
}

/** The draft, or a new one copied from the latest published version when there is none. */
export async function draftOrLatest(db: Kysely<Database>, survey: SurveyDetail): Promise<unknown> {
  if (survey.draft !== null) return survey.draft;
  return (await getLatestVersion(db, survey.id))?.definition ?? null;
}

export type PublishResult =
  | { ok: true; version: number }
  | { ok: false; errors: ValidationError[] }
  | { ok: false; warnings: ComparabilityWarning[] };

/** What publishing the draft would break in the indicators' trends, compared with the latest version. */
export async function draftWarnings(db: Kysely<Database>, surveyId: string, draft: unknown): Promise<ComparabilityWarning[]> {
  const latest = await getLatestVersion(db, surveyId);
  const checked = validateDefinition(draft);
  if (!latest || !checked.ok) return [];
  return comparabilityWarnings(latest.definition, checked.definition);
}

/**
 * Publishes the draft as the next version. It must pass the survey core; a change that breaks an
 * indicator's comparability is refused unless the author confirmed it.
 */
export async function publishDraft(
  db: Kysely<Database>,
  surveyId: string,
  userId: string,
  options: { acceptComparabilityBreaks?: boolean; acceptTranslationGaps?: boolean } = {},
): Promise<PublishResult> {
  return db.transaction().execute(async (trx) => {
    const survey = await trx
      .selectFrom("surveys")
      .select(["draft_definition", "latest_version"])
      .where("id", "=", surveyId)
      .executeTakeFirstOrThrow();
    if (survey.draft_definition === null) return { ok: false, errors: [definitionFault("no_draft", "", "There is no draft to publish.")] };
    const draft = fromJson(survey.draft_definition);
    let checked = validateDefinition(draft);
    // Missing translations only, and confirmed: published, the default language filling the gaps.
    if (!checked.ok && options.acceptTranslationGaps) {
      const shape = SurveyDefinitionSchema.safeParse(draft);
      if (shape.success && onlyTranslationGaps(checked.errors, shape.data.defaultLanguage)) checked = { ok: true, definition: shape.data };
    }
    if (!checked.ok) return { ok: false, errors: checked.errors };
    const latest = Number(survey.latest_version);
    if (latest > 0 && !options.acceptComparabilityBreaks) {
      const previous = await trx
        .selectFrom("survey_versions")
        .select("definition")
        .where("survey_id", "=", surveyId)
        .where("version", "=", latest)
        .executeTakeFirstOrThrow();
      const warnings = comparabilityWarnings(fromJson<SurveyDefinition>(previous.definition)!, checked.definition);
      if (warnings.length) return { ok: false, warnings };
    }
    const version = latest + 1;
    await trx
      .insertInto("survey_versions")
      .values({
        survey_id: surveyId,
        version,
        definition: toJson(checked.definition),
        published_by: userId,
        published_at: nowIso(),
      })
      .execute();
    // The recorded voices as they are now belong to this version (a later recording, to the next).
    await freezeVoices(trx, surveyId, version, checked.definition);
    await trx
      .updateTable("surveys")
      .set({
        latest_version: version,
        draft_definition: null,
        draft_updated_at: null,
        draft_updated_by: null,
        title: titleOf(checked.definition),
      })
      .where("id", "=", surveyId)
      .execute();
    return { ok: true, version };
  });
}

export async function setSurveyStatus(db: Kysely<Database>, surveyId: string, status: SurveyStatus): Promise<void> {
  await db.updateTable("surveys").set({ status }).where("id", "=", surveyId).execute();
}
