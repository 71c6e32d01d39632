// Exclusions: a facilitator takes a focus-group session or one response out of the figures (test
// run, facilitator's error, duplicate found later). The data stay stored and can be restored; the
// dashboards' aggregates move by −1/+1 in the same transaction, and the audit log says who and why.
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { Database } from "~db/schema";
import { fromJson, nowIso } from "~db/portable";
import type { Answers, SurveyDefinition } from "~/survey";
import { applyResponsesToAggregates, foldPendingAggregates, type AggregateInput } from "./aggregates.server";
import { recordAudit } from "./audit.server";
import type { Viewer } from "./viewer";

import { EXCLUSION_REASONS, type ExclusionReason } from "./exclusion-reasons";
export { EXCLUSION_REASONS, type ExclusionReason } from "./exclusion-reasons";

export const ExclusionSchema = z
  .object({
    reason: z.enum(Object.keys(EXCLUSION_REASONS) as [ExclusionReason, ...ExclusionReason[]], { message: "Choose a reason." }),
    note: z.string().trim().max(500).default(""),
  })
  .refine((v) => v.reason !== "other" || v.note.length > 0, { message: "Say why in a few words.", path: ["note"] });

/** Stored as one line: "<Reason label>[: note]", prefixed "Session: " when the whole session went. */
const reasonText = (reason: ExclusionReason, note: string) => `${EXCLUSION_REASONS[reason]}${note ? `: ${note}` : ""}`;
const SESSION_PREFIX = "Session: ";

type Row = { id: string; survey_version: number; answers: string; community_id: string | null; round_id: string | null; session_id: string | null; collected_at: string };

async function aggregateInputs(trx: Transaction<Database>, surveyId: string, rows: Row[]): Promise<AggregateInput[]> {
  const versions = [...new Set(rows.map((r) => Number(r.survey_version)))];
  const defs = new Map<number, SurveyDefinition>();
  if (versions.length) {
    const found = await trx.selectFrom("survey_versions").select(["version", "definition"]).where("survey_id", "=", surveyId).where("version", "in", versions).execute();
    for (const v of found) defs.set(Number(v.version), fromJson<SurveyDefinition>(v.definition)!);
  }
  return rows.map((r) => ({
    id: r.id,
    surveyId,
    surveyVersion: Number(r.survey_version),
    definition: defs.get(Number(r.survey_version))!,
    answers: (fromJson<Answers>(r.answers) ?? {}) as Answers,
    communityId: r.community_id,
    roundId: r.round_id,
    sessionId: r.session_id,
    collectedAt: r.collected_at,
  }));
}

const COLS = ["id", "survey_version", "answers", "community_id", "round_id", "session_id", "collected_at", "aggregated"] as const;

/** Only responses already folded into the aggregates are taken out of (or put back into) them. */
const folded = <T extends { aggregated: number }>(rows: T[]) => rows.filter((r) => Number(r.aggregated) === 1);

/** Excludes one response, or every counted response of a session. Returns how many left the figures. */
export async function exclude(
  db: Kysely<Database>,
  viewer: Viewer,
  survey: { id: string; programmeId: string },
  what: { responseId: string } | { sessionId: string },
  reason: ExclusionReason,
  note: string,
): Promise<number> {
  await foldPendingAggregates(db);
  return db.transaction().execute(async (trx) => {
    const rows = await excludeIn(trx, viewer, survey, what, ("sessionId" in what ? SESSION_PREFIX : "") + reasonText(reason, note));
    if (rows)
      await recordAudit(trx, viewer, {
        action: "sessionId" in what ? "exclude.session" : "exclude.response",
        programmeId: survey.programmeId,
        surveyId: survey.id,
        target: "sessionId" in what ? `session ${what.sessionId}` : `response ${what.responseId}`,
        details: { reason, note, responses: rows },
      });
    return rows;
  });
}

/**
 * Takes counted responses out of the figures inside the caller's transaction (the aggregates move
 * by −1 with them), marking them with the reason text; the caller audits. Call foldPendingAggregates first.
 */
export async function excludeIn(trx: Transaction<Database>, viewer: Viewer, survey: { id: string }, what: { responseId: string } | { sessionId: string }, text: string): Promise<number> {
  let q = trx.selectFrom("responses").select(COLS).where("survey_id", "=", survey.id).where("excluded_at", "is", null);
  q = "responseId" in what ? q.where("id", "=", what.responseId) : q.where("session_id", "=", what.sessionId);
  const rows = await q.execute();
  if (rows.length === 0) return 0;
  const at = nowIso();
  for (let i = 0; i < rows.length; i += 400) {
    await trx
      .updateTable("responses")
      .set({ excluded_at: at, excluded_reason: text, excluded_by: viewer.id })
      .where("id", "in", rows.slice(i, i + 400).map((r) => r.id))
      .execute();
  }
  await applyResponsesToAggregates(trx, await aggregateInputs(trx, survey.id, folded(rows)), -1);
  return rows.length;
}

/** Puts excluded responses back into the figures inside the caller's transaction; the caller audits and folds afterwards. */
export async function restoreIn(trx: Transaction<Database>, survey: { id: string }, what: { responseId: string } | { sessionId: string }): Promise<number> {
  let q = trx.selectFrom("responses").select(COLS).where("survey_id", "=", survey.id).where("excluded_at", "is not", null);
  q = "responseId" in what ? q.where("id", "=", what.responseId) : q.where("session_id", "=", what.sessionId);
  const rows = await q.execute();
  if (rows.length === 0) return 0;
  for (let i = 0; i < rows.length; i += 400) {
    await trx
      .updateTable("responses")
      .set({ excluded_at: null, excluded_reason: null, excluded_by: null })
      .where("id", "in", rows.slice(i, i + 400).map((r) => r.id))
      .execute();
  }
  await applyResponsesToAggregates(trx, await aggregateInputs(trx, survey.id, folded(rows)), 1);
  return rows.length;
}

/** Puts excluded responses (one, or a session's) back into the figures. */
export async function restore(
  db: Kysely<Database>,
  viewer: Viewer,
  survey: { id: string; programmeId: string },
  what: { responseId: string } | { sessionId: string },
): Promise<number> {
  await foldPendingAggregates(db);
  const restored = await db.transaction().execute(async (trx) => {
    const rows = await restoreIn(trx, survey, what);
    if (rows)
      await recordAudit(trx, viewer, {
        action: "sessionId" in what ? "restore.session" : "restore.response",
        programmeId: survey.programmeId,
        surveyId: survey.id,
        target: "sessionId" in what ? `session ${what.sessionId}` : `response ${what.responseId}`,
        details: { responses: rows },
      });
    return rows;
  });
  // Responses excluded before they were ever folded are added now.
  await foldPendingAggregates(db);
  return restored;
}

export interface ExclusionEntry {
  kind: "session" | "response";
  /** The session id, or the response id. */
  id: string;
  responses: number;
  reason: string;
  excludedAt: string;
  excludedBy: string;
}

/** What is excluded now: whole sessions as one line each, single responses one line each. */
export async function listExclusions(db: Kysely<Database>, surveyId: string): Promise<ExclusionEntry[]> {
  const rows = await db
    .selectFrom("responses")
    .leftJoin("users", "users.id", "responses.excluded_by")
    .select(["responses.id", "responses.session_id", "responses.excluded_at", "responses.excluded_reason", "users.display_name"])
    .where("responses.survey_id", "=", surveyId)
    .where("responses.excluded_at", "is not", null)
    .orderBy("responses.excluded_at", "desc")
    .limit(5000)
    .execute();
  const out: ExclusionEntry[] = [];
  const sessions = new Map<string, ExclusionEntry>();
  for (const r of rows) {
    const reason = r.excluded_reason ?? "";
    if (r.session_id && reason.startsWith(SESSION_PREFIX)) {
      const known = sessions.get(r.session_id);
      if (known) known.responses += 1;
      else {
        const entry: ExclusionEntry = { kind: "session", id: r.session_id, responses: 1, reason: reason.slice(SESSION_PREFIX.length), excludedAt: r.excluded_at!, excludedBy: r.display_name ?? "" };
        sessions.set(r.session_id, entry);
        out.push(entry);
      }
    } else out.push({ kind: "response", id: r.id, responses: 1, reason, excludedAt: r.excluded_at!, excludedBy: r.display_name ?? "" });
  }
  return out;
}

/** The latest counted responses, so a facilitator can pick one to exclude. */
export async function recentResponses(db: Kysely<Database>, surveyId: string, limit = 10) {
  const rows = await db
    .selectFrom("responses")
    .leftJoin("communities", "communities.id", "responses.community_id")
    .select(["responses.id", "responses.collected_at", "responses.session_id", "responses.source", "communities.name as community"])
    .where("responses.survey_id", "=", surveyId)
    .where("responses.excluded_at", "is", null)
    .orderBy("responses.submitted_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, collectedAt: r.collected_at, sessionId: r.session_id, source: r.source, community: r.community ?? null }));
}

export async function countResponses(db: Kysely<Database>, surveyId: string) {
  const rows = await db
    .selectFrom("responses")
    .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.count<number>("excluded_at").as("excluded")])
    .where("survey_id", "=", surveyId)
    .executeTakeFirstOrThrow();
  return { total: Number(rows.n), excluded: Number(rows.excluded) };
}
