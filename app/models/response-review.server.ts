// The responses table of a survey (facilitators and administrators): pages of responses newest
// first, read by keyset so any page costs one index range; one response with its answers labelled in
// any of the survey's languages; and its review — approved, on hold, or not approved, which takes it
// out of the figures through the exclusion machinery, and puts it back when the review changes.
import type { Kysely } from "kysely";
import { z } from "zod";
import type { Database } from "~db/schema";
import { fromJson, nowIso } from "~db/portable";
import type { Answers, SurveyDefinition } from "~/survey";
import { foldPendingAggregates, roundFor } from "./aggregates.server";
import { recordAudit } from "./audit.server";
import { excludeIn, restoreIn } from "./exclusions.server";
import type { Viewer } from "./viewer";

import type { ReviewStatus } from "./review-statuses";
export { REVIEW_STATUSES, RESPONSE_SOURCES, type ReviewStatus } from "./review-statuses";
/** The exclusion reason a "not approved" review writes; only such exclusions are lifted by a later review. */
export const NOT_APPROVED_REASON = "Not approved in review";
export const PAGE_SIZE = 50;

const id = z.string().trim().max(80);
const day = z.iso.date("Use a date like 2026-03-31.");
/** Filters of the responses table, as the page's query string carries them. */
export const ResponseFiltersSchema = z.object({
  round: id.optional(),
  community: id.optional(),
  session: id.optional(),
  from: day.optional(),
  to: day.optional(),
  language: z.string().trim().max(20).optional(),
  source: z.string().trim().max(40).optional(),
  /** The collection link (a tablet, or a self-completion link) the response came through. */
  device: id.optional(),
  review: z.enum(["none", "approved", "on_hold", "not_approved"], { message: "Choose a review status." }).optional(),
  after: z.string().max(200).optional(),
});
export type ResponseFilters = z.infer<typeof ResponseFiltersSchema>;

export const ReviewSchema = z
  .object({
    status: z.enum(["approved", "on_hold", "not_approved"], { message: "Choose approved, on hold or not approved." }),
    note: z.string().trim().max(500).default(""),
  })
  .refine((v) => v.status !== "not_approved" || v.note.length > 0, { path: ["note"], message: "Say why it is not approved, in a few words." });

export interface ResponseRow {
  id: string;
  submittedAt: string;
  collectedAt: string;
  community: string | null;
  round: string | null;
  sessionId: string | null;
  language: string;
  source: string;
  device: string | null;
  reviewStatus: ReviewStatus | null;
  excluded: boolean;
}

/** The position after a row, carried in the page's link: its received time and id. */
const cursorOf = (r: { submitted_at: string; id: string }) => Buffer.from(`${r.submitted_at}|${r.id}`).toString("base64url");
function parseCursor(after: string | undefined): [string, string] | null {
  if (!after) return null;
  const [at, rid] = Buffer.from(after, "base64url").toString().split("|");
  return at && rid ? [at, rid] : null;
}

/** The survey's rounds, and the name of the round a date falls in (for responses without a round of their own). */
async function roundsOf(db: Kysely<Database>, surveyId: string) {
  const rounds = await db
    .selectFrom("rounds")
    .innerJoin("surveys", "surveys.programme_id", "rounds.programme_id")
    .select(["rounds.id", "rounds.name", "rounds.starts_on", "rounds.ends_on"])
    .where("surveys.id", "=", surveyId)
    .orderBy("rounds.starts_on")
    .execute();
  const dated = rounds.map((r) => ({ id: r.id, startsOn: r.starts_on, endsOn: r.ends_on }));
  const nameOf = (collectedAt: string) => rounds.find((x) => x.id === roundFor(null, collectedAt, dated))?.name ?? null;
  return { rounds, nameOf };
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString();

/**
 * One page of a survey's responses, newest first, narrowed by the filters; `next` continues after
 * its last row (null on the last page). Every filter is an equality or a range on an indexed column
 * of the survey's responses, so the database walks one index from the cursor and stops after a page.
 */
export async function responsePage(db: Kysely<Database>, surveyId: string, filters: ResponseFilters, limit = PAGE_SIZE): Promise<{ rows: ResponseRow[]; next: string | null }> {
  // The page is chosen on responses alone, then joined to its names: joined first, PostgreSQL's
  // planner (misjudging how many rows lie past the cursor) hashed the whole rest of the survey and
  // sorted it — 60–100 ms a deep page at 50,000 responses, against 0.1 ms this way.
  let q = db.selectFrom("responses").selectAll("responses").where("responses.survey_id", "=", surveyId);
  // A response without a round of its own belongs to the round its collection date falls in (as in the figures).
  const { rounds, nameOf } = await roundsOf(db, surveyId);
  if (filters.round) {
    const r = rounds.find((x) => x.id === filters.round);
    q = q.where((eb) =>
      r
        ? eb.or([
            eb("responses.round_id", "=", r.id),
            eb.and([eb("responses.round_id", "is", null), eb("responses.collected_at", ">=", r.starts_on), eb("responses.collected_at", "<", nextDay(r.ends_on))]),
          ])
        : eb("responses.round_id", "=", filters.round!),
    );
  }
  if (filters.community) q = q.where("responses.community_id", "=", filters.community);
  if (filters.session) q = q.where("responses.session_id", "=", filters.session);
  if (filters.language) q = q.where("responses.language", "=", filters.language);
  if (filters.source) q = q.where("responses.source", "=", filters.source);
  if (filters.device) q = q.where("responses.link_id", "=", filters.device);
  if (filters.review === "none") q = q.where("responses.review_status", "is", null);
  else if (filters.review) q = q.where("responses.review_status", "=", filters.review);
  if (filters.from) q = q.where("responses.submitted_at", ">=", `${filters.from}T00:00:00.000Z`);
  if (filters.to) q = q.where("responses.submitted_at", "<", nextDay(filters.to));
  const cursor = parseCursor(filters.after);
  if (cursor) q = q.where((eb) => eb(eb.refTuple("responses.submitted_at", "responses.id"), "<", eb.tuple(cursor[0], cursor[1])));
  const chosen = q.orderBy("responses.submitted_at", "desc").orderBy("responses.id", "desc").limit(limit + 1);
  const rows = await db
    .selectFrom(chosen.as("responses"))
    .leftJoin("communities", "communities.id", "responses.community_id")
    .leftJoin("rounds", "rounds.id", "responses.round_id")
    .leftJoin("collection_links", "collection_links.id", "responses.link_id")
    .select([
      "responses.id",
      "responses.submitted_at",
      "responses.collected_at",
      "responses.session_id",
      "responses.language",
      "responses.source",
      "responses.review_status",
      "responses.excluded_at",
      "communities.name as community",
      "rounds.name as round",
      "collection_links.label as device",
    ])
    .orderBy("responses.submitted_at", "desc")
    .orderBy("responses.id", "desc")
    .execute();
  const page = rows.slice(0, limit);
  return {
    rows: page.map((r) => ({
      id: r.id,
      submittedAt: r.submitted_at,
      collectedAt: r.collected_at,
      community: r.community ?? null,
      round: r.round ?? nameOf(r.collected_at),
      sessionId: r.session_id,
      language: r.language,
      source: r.source,
      device: r.device ?? null,
      reviewStatus: (r.review_status as ReviewStatus | null) ?? null,
      excluded: r.excluded_at !== null,
    })),
    next: rows.length > limit ? cursorOf(page[page.length - 1]) : null,
  };
}

export interface ResponseDetail extends ResponseRow {
  version: number;
  languages: { code: string; name: string }[];
  answers: { question: string; label: string; answer: string }[];
  reviewNote: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  excludedReason: string | null;
}

const labelIn = (t: Record<string, string> | undefined, language: string, fallback: string) => (t ? (t[language] ?? t[fallback] ?? Object.values(t)[0] ?? "") : "");

/** One response of the survey with its answers labelled in `language` (else the version's default), or null. */
export async function responseDetail(db: Kysely<Database>, surveyId: string, responseId: string, language?: string): Promise<ResponseDetail | null> {
  const r = await db
    .selectFrom("responses")
    .leftJoin("communities", "communities.id", "responses.community_id")
    .leftJoin("rounds", "rounds.id", "responses.round_id")
    .leftJoin("collection_links", "collection_links.id", "responses.link_id")
    .leftJoin("users", "users.id", "responses.reviewed_by")
    .innerJoin("survey_versions", (j) => j.onRef("survey_versions.survey_id", "=", "responses.survey_id").onRef("survey_versions.version", "=", "responses.survey_version"))
    .select([
      "responses.id",
      "responses.submitted_at",
      "responses.collected_at",
      "responses.session_id",
      "responses.language",
      "responses.source",
      "responses.answers",
      "responses.survey_version",
      "responses.review_status",
      "responses.review_note",
      "responses.reviewed_at",
      "responses.excluded_at",
      "responses.excluded_reason",
      "communities.name as community",
      "rounds.name as round",
      "collection_links.label as device",
      "users.display_name as reviewer",
      "survey_versions.definition",
    ])
    .where("responses.survey_id", "=", surveyId)
    .where("responses.id", "=", responseId)
    .executeTakeFirst();
  if (!r) return null;
  const round = r.round ?? (await roundsOf(db, surveyId)).nameOf(r.collected_at);
  const def = fromJson<SurveyDefinition>(r.definition)!;
  const lang = language && def.languages.some((l) => l.code === language) ? language : def.defaultLanguage;
  const answers = (fromJson<Answers>(r.answers) ?? {}) as Record<string, unknown>;
  const shown: ResponseDetail["answers"] = [];
  for (const q of def.questions) {
    if (!(q.id in answers)) continue;
    const value = answers[q.id];
    const option = (code: unknown) => {
      const o = q.options?.find((x) => x.code === String(code));
      return o ? `${labelIn(o.label, lang, def.defaultLanguage)} (${o.code})` : String(code);
    };
    const answer = Array.isArray(value) ? value.map(option).join("; ") : q.options?.length ? option(value) : String(value ?? "");
    shown.push({ question: q.id, label: labelIn(q.label, lang, def.defaultLanguage), answer });
  }
  return {
    id: r.id,
    submittedAt: r.submitted_at,
    collectedAt: r.collected_at,
    community: r.community ?? null,
    round,
    sessionId: r.session_id,
    language: r.language,
    source: r.source,
    device: r.device ?? null,
    reviewStatus: (r.review_status as ReviewStatus | null) ?? null,
    excluded: r.excluded_at !== null,
    version: Number(r.survey_version),
    languages: def.languages.map((l) => ({ code: l.code, name: l.name })),
    answers: shown,
    reviewNote: r.review_note,
    reviewedAt: r.reviewed_at,
    reviewedBy: r.reviewer ?? null,
    excludedReason: r.excluded_reason,
  };
}

/** A review that cannot be recorded, with the field to name. */
export class ReviewError extends Error {
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Records a review. "Not approved" takes a counted response out of the figures like an exclusion
 * (its reason says the review did it); a later approval or hold puts back only what the review took
 * out, never a response excluded for another reason. Audited with old → new, in one transaction.
 */
export async function setReview(
  db: Kysely<Database>,
  viewer: Viewer,
  survey: { id: string; programmeId: string },
  responseId: string,
  status: ReviewStatus,
  note: string,
): Promise<{ figures: "left" | "back" | "unchanged" }> {
  await foldPendingAggregates(db);
  const result = await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("responses").select(["review_status", "excluded_at", "excluded_reason"]).where("survey_id", "=", survey.id).where("id", "=", responseId).executeTakeFirst();
    if (!row) throw new ReviewError("responseId", "There is no such response in this survey.");
    let figures: "left" | "back" | "unchanged" = "unchanged";
    if (status === "not_approved" && row.excluded_at === null) {
      if (await excludeIn(trx, viewer, survey, { responseId }, `${NOT_APPROVED_REASON}${note ? `: ${note}` : ""}`)) figures = "left";
    } else if (status !== "not_approved" && row.excluded_at !== null && (row.excluded_reason ?? "").startsWith(NOT_APPROVED_REASON)) {
      if (await restoreIn(trx, survey, { responseId })) figures = "back";
    }
    await trx.updateTable("responses").set({ review_status: status, review_note: note || null, reviewed_at: nowIso(), reviewed_by: viewer.id }).where("id", "=", responseId).execute();
    await recordAudit(trx, viewer, {
      action: "review.response",
      programmeId: survey.programmeId,
      surveyId: survey.id,
      target: `response ${responseId}`,
      details: { from: row.review_status, to: status, note, figures },
    });
    return { figures };
  });
  // A response put back before it was ever folded is added now.
  if (result.figures === "back") await foldPendingAggregates(db);
  return result;
}

/** The collection links of a survey: the devices (tablets) and self-completion links responses came through. */
export async function surveyDevices(db: Kysely<Database>, surveyId: string) {
  const links = await db.selectFrom("collection_links").select(["id", "label"]).where("survey_id", "=", surveyId).orderBy("label").execute();
  return links.map((l) => ({ id: l.id, label: l.label }));
}
