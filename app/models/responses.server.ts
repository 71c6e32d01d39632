// Receiving responses exactly once. Each response carries an id made on the tablet; the same id
// with the same content is a duplicate (a safe retry), with other content a conflict (nothing is
// overwritten). Answers are checked by the survey core — the very function the tablet runs.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "~db/schema";
import { isoInstant, newId, nowIso, toJson } from "~db/portable";
import type { SurveyDefinition } from "~/survey";
import { answerErrors, classify, contentHash, parseSubmitted, verdictOf, type IngestResult, type SubmittedResponse } from "./response-checks";
import type { ResolvedLink } from "./collection-links.server";
import { getPublishedDefinition } from "./surveys.server";
import { scheduleFold } from "./aggregates.server";

export { SubmittedResponseSchema, contentHash, type IngestError, type IngestResult, type IngestStatus, type SubmittedResponse } from "./response-checks";

export const MAX_BATCH = 500;

/** Where responses go: a collection link (the API), or a survey directly (imports, queue files). */
export interface IngestTarget {
  surveyId: string;
  linkId: string | null;
  communityId: string | null;
  roundId: string | null;
  maxResponses: number | null;
}

export const linkTarget = (link: ResolvedLink): IngestTarget => ({
  surveyId: link.surveyId,
  linkId: link.id,
  communityId: link.communityId,
  roundId: link.roundId,
  maxResponses: link.maxResponses,
});

/**
 * Stores a batch of responses for a link. Returns one result per input, in input order.
 * Each created response is stored whole or not at all, within one transaction for the batch.
 */
export async function ingestResponses(
  db: Kysely<Database>,
  link: ResolvedLink,
  items: unknown[],
  options: { source?: string } = {},
): Promise<IngestResult[]> {
  return ingestInto(db, linkTarget(link), items, options);
}

/** A response that passed every check and is not stored yet. */
export interface CheckedResponse {
  /** Its position in the caller's list. */
  index: number;
  response: SubmittedResponse;
  /** Its content hash (see contentHash). */
  readonly hash: string;
  definition: SurveyDefinition;
}

/**
 * Everything but storing: the shape, ids already stored (a duplicate or a conflict, whatever else
 * has changed since), the published version, the language, the answers (the survey core's
 * validateAnswers, the function the tablet runs) and the device's clock. Results hold the verdict
 * for every item that will not be stored; `accepted` the rest, in input order.
 */
export async function checkResponses(
  db: Kysely<Database>,
  surveyId: string,
  items: unknown[],
  /** Content hashes of ids the caller has already looked up (null: not stored). */
  known?: Map<string, string | null>,
): Promise<{ results: IngestResult[]; accepted: CheckedResponse[] }> {
  const results: IngestResult[] = items.map(() => ({ id: null, status: "rejected" }));
  const parsed: { index: number; response: SubmittedResponse }[] = [];
  items.forEach((item, index) => {
    const p = parseSubmitted(item);
    if ("rejected" in p) results[index] = p.rejected;
    else parsed.push({ index, response: p.response });
  });

  const existing = new Map<string, string>();
  for (const [id, hash] of known ?? []) if (hash !== null) existing.set(id, hash);
  const ids = parsed.map((p) => p.response.id).filter((id) => !known?.has(id));
  for (let i = 0; i < ids.length; i += 400) {
    const rows = await db.selectFrom("responses").select(["id", "content_hash"]).where("id", "in", ids.slice(i, i + 400)).execute();
    for (const r of rows) existing.set(r.id, r.content_hash);
  }
  const definitions = new Map<number, SurveyDefinition | undefined>();
  for (const v of new Set(parsed.map((p) => p.response.surveyVersion))) definitions.set(v, await getPublishedDefinition(db, surveyId, v));

  const accepted: CheckedResponse[] = [];
  for (const { response, index } of parsed) {
    const definition = definitions.get(response.surveyVersion);
    const verdict = verdictOf(
      response.id,
      existing.get(response.id),
      () => contentHash(response),
      () => answerErrors(response, definition),
    );
    if (verdict) results[index] = verdict;
    else accepted.push(checkedResponse(index, response, definition!));
  }
  return { results, accepted };
}

/** The hash is worked out when first asked for: a bulk import only needs it when the row is stored. */
function checkedResponse(index: number, response: SubmittedResponse, definition: SurveyDefinition): CheckedResponse {
  let worked: string | undefined;
  return {
    index,
    response,
    definition,
    get hash() {
      return (worked ??= contentHash(response));
    },
  };
}

/** The stored row of a checked response. */
export function responseRow(
  target: IngestTarget,
  c: CheckedResponse,
  place: { communityId: string | null; roundId: string | null },
  fields: { submittedAt: string; source: string; aggregated: 0 | 1 },
) {
  return {
    id: c.response.id,
    survey_id: target.surveyId,
    survey_version: c.response.surveyVersion,
    link_id: target.linkId,
    session_id: c.response.sessionId ?? null,
    community_id: place.communityId,
    round_id: place.roundId,
    language: c.response.language,
    collected_at: isoInstant(c.response.collectedAt),
    submitted_at: fields.submittedAt,
    content_hash: c.hash,
    answers: toJson(c.response.answers),
    source: fields.source,
    excluded_at: null,
    excluded_reason: null,
    excluded_by: null,
    aggregated: fields.aggregated,
  };
}

/** Another request stored this id a moment ago (two tablets, or a racing retry): same content or not? */
export async function settleRace(trx: Transaction<Database>, c: CheckedResponse): Promise<IngestResult> {
  const stored = await trx.selectFrom("responses").select("content_hash").where("id", "=", c.response.id).executeTakeFirstOrThrow();
  return classify(c.response.id, stored.content_hash, c.hash);
}

/** The same exactly-once path for any target: the API's links and the importer's surveys. */
export async function ingestInto(
  db: Kysely<Database>,
  link: IngestTarget,
  items: unknown[],
  options: { source?: string; dryRun?: boolean } = {},
): Promise<IngestResult[]> {
  const { results, accepted: candidates } = await checkResponses(db, link.surveyId, items);
  if (candidates.length === 0) return results;
  if (options.dryRun) {
    for (const c of candidates) results[c.index] = { id: c.response.id, status: "created" };
    return results;
  }

  await db.transaction().execute(async (trx) => {
    let room = Infinity;
    if (link.maxResponses !== null && link.linkId !== null) {
      const row = await trx
        .selectFrom("responses")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("link_id", "=", link.linkId)
        .executeTakeFirstOrThrow();
      room = link.maxResponses - Number(row.n);
    }
    await ensureSessions(trx, link, candidates);
    const fields = { submittedAt: nowIso(), source: options.source ?? "api", aggregated: 0 as const };
    const row = (c: CheckedResponse) => responseRow(link, c, link, fields);
    if (room === Infinity) {
      // No cap to count against: many rows per statement. An id given twice in one batch is
      // settled after its first copy is stored, as a retry would be.
      const seen = new Set<string>();
      const first = candidates.filter((c) => !seen.has(c.response.id) && seen.add(c.response.id));
      const firstSet = new Set(first);
      const repeats = candidates.filter((c) => !firstSet.has(c));
      for (let i = 0; i < first.length; i += 100) {
        const chunk = first.slice(i, i + 100);
        const inserted = new Set(
          (await trx.insertInto("responses").values(chunk.map(row)).onConflict((oc) => oc.column("id").doNothing()).returning("id").execute()).map((r) => r.id),
        );
        for (const c of chunk) results[c.index] = inserted.has(c.response.id) ? { id: c.response.id, status: "created" } : await settleRace(trx, c);
      }
      for (const c of repeats) results[c.index] = await settleRace(trx, c);
    } else {
      for (const c of candidates) {
        if (room <= 0) {
          results[c.index] = {
            id: c.response.id,
            status: "rejected",
            errors: [{ path: "", message: `This link has reached its limit of ${link.maxResponses} responses.` }],
          };
          continue;
        }
        const inserted = await trx.insertInto("responses").values(row(c)).onConflict((oc) => oc.column("id").doNothing()).returning("id").executeTakeFirst();
        if (inserted) {
          results[c.index] = { id: c.response.id, status: "created" };
          room -= 1;
        } else results[c.index] = await settleRace(trx, c);
      }
    }
  });
  // The dashboards' aggregates take the new responses in a batch just after this reply.
  scheduleFold(db);
  return results;
}


/** A response may arrive before its session does: the session row is created bare, filled in later. */
async function ensureSessions(trx: Transaction<Database>, link: IngestTarget, candidates: CheckedResponse[]) {
  // Sessions belong to a collection link; imported rows keep their session id as it was.
  const linkId = link.linkId;
  if (linkId === null) return;
  const wanted = [...new Set(candidates.map((c) => c.response.sessionId).filter((s): s is string => !!s))];
  if (wanted.length === 0) return;
  const have = new Set((await trx.selectFrom("fg_sessions").select("id").where("id", "in", wanted).execute()).map((r) => r.id));
  const now = nowIso();
  for (const id of wanted) {
    if (have.has(id)) continue;
    const first = candidates.find((c) => c.response.sessionId === id)!;
    await trx
      .insertInto("fg_sessions")
      .values({
        id,
        link_id: linkId,
        survey_id: link.surveyId,
        community_id: link.communityId,
        round_id: link.roundId,
        held_on: first.response.collectedAt.slice(0, 10),
        group_description: "",
        participant_count: null,
        notes: "",
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }
}

export const newResponseId = newId;
