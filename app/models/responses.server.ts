// Receiving responses exactly once. Each response carries an id made on the tablet; the same id
// with the same content is a duplicate (a safe retry), with other content a conflict (nothing is
// overwritten). Answers are checked by the survey core — the very function the tablet runs.
import { PostgresAdapter, type Kysely, type Transaction } from "kysely";
import type { Database, LinkMode } from "~db/schema";
import { isoInstant, newId, nowIso, toJson } from "~db/portable";
import type { SurveyDefinition } from "~/survey";
import { answerErrors, classify, CLOCK_SKEW_MS, contentHash, idInSurvey, parseSubmitted, verdictOf, type IngestResult, type SubmittedResponse } from "./response-checks";
import { BARE_SESSION_UPDATED_AT, placeInSession, type Place } from "./response-places";
import type { ResolvedLink } from "./collection-links.server";
import { getPublishedDefinition } from "./surveys.server";
import { scheduleFold } from "./aggregates.server";

export { SubmittedResponseSchema, contentHash, type IngestError, type IngestResult, type IngestStatus, type SubmittedResponse } from "./response-checks";

export const MAX_BATCH = 500;

/** Where responses go: a collection link (the API), or a survey directly (imports, queue files). */
export interface IngestTarget {
  surveyId: string;
  linkId: string | null;
  /** The link's kind: a tablet's (kiosk) responses may name its sessions, a community link's none. */
  linkMode?: LinkMode | null;
  communityId: string | null;
  roundId: string | null;
  maxResponses: number | null;
  /** The earliest collectedAt accepted (a link's creation less a day); unset: 1990, for old paper data. */
  collectedFrom?: string;
}

export const linkTarget = (link: ResolvedLink): IngestTarget => ({
  surveyId: link.surveyId,
  linkId: link.id,
  linkMode: link.mode,
  communityId: link.communityId,
  roundId: link.roundId,
  maxResponses: link.maxResponses,
});

/** The earliest collectedAt a link's sync accepts: nothing can be collected through a link before it existed (less a day of clock skew). */
export const collectedFromFor = (link: ResolvedLink) => new Date(Date.parse(link.createdAt) - CLOCK_SKEW_MS).toISOString();

/**
 * Stores a batch of responses for a link. Returns one result per input, in input order.
 * Each created response is stored whole or not at all, within one transaction for the batch.
 */
export async function ingestResponses(
  db: Kysely<Database>,
  link: ResolvedLink,
  items: unknown[],
  options: { source?: string; collectedFrom?: string } = {},
): Promise<IngestResult[]> {
  return ingestInto(db, { ...linkTarget(link), collectedFrom: options.collectedFrom }, items, options);
}

/** A response that passed every check and is not stored yet. */
export interface CheckedResponse {
  /** Its position in the caller's list. */
  index: number;
  /** The response, its `id` the one it is stored under in this survey (see idInSurvey). */
  response: SubmittedResponse;
  /** The id the sender gave it: every result echoes this one (tablets drop queue items by it). */
  sentId: string;
  /** Its content hash (see contentHash). */
  readonly hash: string;
  definition: SurveyDefinition;
}

/**
 * Everything but storing: the shape, ids already stored in this survey (a duplicate or a conflict,
 * whatever else has changed since), the published version, the language, the answers (the survey
 * core's validateAnswers, the function the tablet runs) and the device's clock. Results hold the
 * verdict for every item that will not be stored; `accepted` the rest, in input order.
 *
 * An id another survey already holds is stored under the id it takes in this one (idInSurvey),
 * so the sender gets exactly what a never-seen id gets: nothing about the other survey shows.
 */
export async function checkResponses(
  db: Kysely<Database>,
  surveyId: string,
  items: unknown[],
  collectedFrom?: string,
): Promise<{ results: IngestResult[]; accepted: CheckedResponse[] }> {
  const results: IngestResult[] = items.map(() => ({ id: null, status: "rejected" }));
  const parsed: { index: number; response: SubmittedResponse; sentId: string }[] = [];
  items.forEach((item, index) => {
    const p = parseSubmitted(item);
    if ("rejected" in p) results[index] = p.rejected;
    else parsed.push({ index, response: p.response, sentId: p.sentId });
  });

  // One lookup covers both each id and the id it takes if its own belongs to another survey.
  const stored = new Map<string, { surveyId: string; hash: string }>();
  const ids = [...new Set(parsed.flatMap((p) => [p.response.id, idInSurvey(surveyId, p.response.id)]))];
  for (let i = 0; i < ids.length; i += 400) {
    const rows = await db.selectFrom("responses").select(["id", "survey_id", "content_hash"]).where("id", "in", ids.slice(i, i + 400)).execute();
    for (const r of rows) stored.set(r.id, { surveyId: r.survey_id, hash: r.content_hash });
  }
  const definitions = new Map<number, SurveyDefinition | undefined>();
  for (const v of new Set(parsed.map((p) => p.response.surveyVersion))) definitions.set(v, await getPublishedDefinition(db, surveyId, v));

  const accepted: CheckedResponse[] = [];
  for (const { response, index, sentId } of parsed) {
    const own = stored.get(response.id);
    if (own && own.surveyId !== surveyId) response.id = idInSurvey(surveyId, response.id);
    const here = stored.get(response.id);
    const definition = definitions.get(response.surveyVersion);
    const verdict = verdictOf(
      sentId,
      here && here.surveyId === surveyId ? here.hash : undefined,
      () => contentHash(response),
      () => answerErrors(response, definition, Date.now(), collectedFrom),
    );
    if (verdict) results[index] = verdict;
    else accepted.push(checkedResponse(index, response, sentId, definition!));
  }
  return { results, accepted };
}

/** The hash is worked out when first asked for: a bulk import only needs it when the row is stored. */
function checkedResponse(index: number, response: SubmittedResponse, sentId: string, definition: SurveyDefinition): CheckedResponse {
  let worked: string | undefined;
  return {
    index,
    response,
    sentId,
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
  place: Place,
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

/**
 * Another request stored this id a moment ago (two tablets, or a racing retry): same content or
 * not? When the one that got there first is another survey's, the response takes its id in this
 * survey after all and `store` tries again (true: stored), as if the other had been seen in the check.
 */
export async function settleRace(
  trx: Transaction<Database>,
  c: CheckedResponse,
  surveyId: string,
  store: (c: CheckedResponse) => Promise<boolean>,
): Promise<IngestResult> {
  const read = () => trx.selectFrom("responses").select(["survey_id", "content_hash"]).where("id", "=", c.response.id).executeTakeFirstOrThrow();
  let stored = await read();
  const ownId = c.sentId.toLowerCase();
  if (stored.survey_id !== surveyId && c.response.id === ownId) {
    c.response.id = idInSurvey(surveyId, ownId);
    if (await store(c)) return { id: c.sentId, status: "created" };
    stored = await read();
  }
  // A derived id another survey holds would take a SHA-256 collision: refuse rather than tell.
  if (stored.survey_id !== surveyId) return classify(c.sentId, "", c.hash);
  return classify(c.sentId, stored.content_hash, c.hash);
}

const isPostgres = (db: Kysely<Database> | Transaction<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

const insertOne = async (trx: Transaction<Database>, row: ReturnType<typeof responseRow>) =>
  !!(await trx.insertInto("responses").values(row).onConflict((oc) => oc.column("id").doNothing()).returning("id").executeTakeFirst());

/** The same exactly-once path for any target: the API's links and the importer's surveys. */
export async function ingestInto(
  db: Kysely<Database>,
  link: IngestTarget,
  items: unknown[],
  options: { source?: string; dryRun?: boolean } = {},
): Promise<IngestResult[]> {
  const { results, accepted } = await checkResponses(db, link.surveyId, items, link.collectedFrom);
  if (accepted.length === 0) return results;
  if (options.dryRun) {
    // Dry runs are the importer's: no link, so no sessions to check.
    for (const c of accepted) results[c.index] = { id: c.sentId, status: "created" };
    return results;
  }

  await db.transaction().execute(async (trx) => {
    const { candidates, placeOf } = await placeInSessions(trx, link, accepted, results);
    if (candidates.length === 0) return;
    let room = Infinity;
    if (link.maxResponses !== null && link.linkId !== null) {
      const row = await trx
        .selectFrom("responses")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("link_id", "=", link.linkId)
        .executeTakeFirstOrThrow();
      room = link.maxResponses - Number(row.n);
    }
    const fields = { submittedAt: nowIso(), source: options.source ?? "api", aggregated: 0 as const };
    const row = (c: CheckedResponse) => responseRow(link, c, placeOf(c), fields);
    const settle = (c: CheckedResponse) => settleRace(trx, c, link.surveyId, (again) => insertOne(trx, row(again)));
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
        for (const c of chunk) results[c.index] = inserted.has(c.response.id) ? { id: c.sentId, status: "created" } : await settle(c);
      }
      for (const c of repeats) results[c.index] = await settle(c);
    } else {
      for (const c of candidates) {
        if (room <= 0) {
          results[c.index] = {
            id: c.sentId,
            status: "rejected",
            errors: [{ code: "link_full", path: "", message: `This link has reached its limit of ${link.maxResponses} responses.` }],
          };
          continue;
        }
        const result = (await insertOne(trx, row(c))) ? ({ id: c.sentId, status: "created" } as const) : await settle(c);
        results[c.index] = result;
        if (result.status === "created") room -= 1;
      }
    }
  });
  // The dashboards' aggregates take the new responses in a batch just after this reply.
  scheduleFold(db);
  return results;
}

const NOT_THIS_LINKS_SESSION = "sessionId is not a focus-group session of this collection link.";
const NO_SESSIONS_HERE = "A community link has no focus-group sessions: send the response without a sessionId.";

/**
 * Sessions of the responses sent through a link, and where each response is placed. A session id
 * must name a session of the same link (a tablet's sessions belong to its link), or one this
 * request creates: a response may arrive before its session, which is then made bare and filled in
 * when the tablet sends it. A community link has no sessions. Responses naming any other session are
 * rejected (results updated); the rest are returned with their place (placeInSession). Imports
 * have no link: their rows keep the place they were given and their session id as it was.
 */
async function placeInSessions(trx: Transaction<Database>, link: IngestTarget, accepted: CheckedResponse[], results: IngestResult[]) {
  const linkPlace: Place = { communityId: link.communityId, roundId: link.roundId };
  const sessionPlaces = new Map<string, Place>();
  const placeOf = (c: CheckedResponse) => (c.response.sessionId ? (sessionPlaces.get(c.response.sessionId) ?? linkPlace) : linkPlace);
  const linkId = link.linkId;
  if (linkId === null) return { candidates: accepted, placeOf };
  const wanted = [...new Set(accepted.map((c) => c.response.sessionId).filter((s): s is string => !!s))];
  if (wanted.length === 0) return { candidates: accepted, placeOf };
  const refuse = (c: CheckedResponse, message: string) => {
    results[c.index] = { id: c.sentId, status: "rejected", errors: [{ code: "unknown_session", path: "sessionId", message }] };
    return false;
  };
  if (link.linkMode === "self") return { candidates: accepted.filter((c) => !c.response.sessionId || refuse(c, NO_SESSIONS_HERE)), placeOf };

  // Sessions not stored yet are made bare first (another link's id stays its own), then all are
  // read back; on PostgreSQL with a share lock, so a change of a session's place made meanwhile
  // waits for these responses and moves them too (sessions-fg.server.ts).
  const now = nowIso();
  const bare = wanted.map((id) => {
    const first = accepted.find((c) => c.response.sessionId === id)!;
    return {
      id,
      link_id: linkId,
      survey_id: link.surveyId,
      community_id: link.communityId,
      round_id: link.roundId,
      held_on: isoInstant(first.response.collectedAt).slice(0, 10),
      group_description: "",
      participant_count: null,
      notes: "",
      created_at: now,
      updated_at: BARE_SESSION_UPDATED_AT,
    };
  });
  for (let i = 0; i < bare.length; i += 100)
    await trx.insertInto("fg_sessions").values(bare.slice(i, i + 100)).onConflict((oc) => oc.column("id").doNothing()).execute();
  const sessions = new Map<string, { linkId: string; place: Place }>();
  for (let i = 0; i < wanted.length; i += 400) {
    let q = trx.selectFrom("fg_sessions").select(["id", "link_id", "community_id", "round_id"]).where("id", "in", wanted.slice(i, i + 400));
    if (isPostgres(trx)) q = q.forShare();
    for (const s of await q.execute()) sessions.set(s.id, { linkId: s.link_id, place: { communityId: s.community_id, roundId: s.round_id } });
  }
  for (const [id, s] of sessions) if (s.linkId === linkId) sessionPlaces.set(id, placeInSession(linkPlace, s.place));
  return {
    candidates: accepted.filter((c) => !c.response.sessionId || sessionPlaces.has(c.response.sessionId) || refuse(c, NOT_THIS_LINKS_SESSION)),
    placeOf,
  };
}

export const newResponseId = newId;
