// Receiving responses exactly once. Each response carries an id made on the tablet; the same id
// with the same content is a duplicate (a safe retry), with other content a conflict (nothing is
// overwritten). Answers are checked by the survey core — the very function the tablet runs.
import { hash } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { z } from "zod";
import type { Database } from "~db/schema";
import { isoInstant, newId, nowIso, toJson } from "~db/portable";
import { validateAnswers, type SurveyDefinition } from "~/survey";
import type { ResolvedLink } from "./collection-links.server";
import { getPublishedDefinition } from "./surveys.server";
import { scheduleFold } from "./aggregates.server";

export type IngestStatus = "created" | "duplicate" | "conflict" | "rejected";
export interface IngestError {
  path: string;
  message: string;
}
export interface IngestResult {
  id: string | null;
  status: IngestStatus;
  errors?: IngestError[];
}

export const MAX_BATCH = 500;

export const SubmittedResponseSchema = z.object({
  id: z.uuid({ message: "The response id must be a UUID made on the device." }),
  surveyVersion: z.number({ message: "surveyVersion must be a number." }).int().positive(),
  collectedAt: z.iso.datetime({ offset: true, message: "collectedAt must be an ISO 8601 date and time." }),
  language: z.string({ message: "language must be a language code." }).min(1).max(20),
  sessionId: z.string().min(1).max(64).nullish(),
  answers: z.record(z.string(), z.unknown(), { message: "answers must be an object of question ids to values." }),
});
export type SubmittedResponse = z.infer<typeof SubmittedResponseSchema>;

/** The content that identifies a response: the same retry always hashes the same. */
export function contentHash(r: SubmittedResponse): string {
  const answers = Object.keys(r.answers)
    .sort()
    .map((k) => [k, r.answers[k]]);
  const canonical = JSON.stringify([r.surveyVersion, isoInstant(r.collectedAt), r.language, r.sessionId ?? null, answers]);
  return hash("sha256", canonical, "hex");
}



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
    const shape = SubmittedResponseSchema.safeParse(item);
    const id = typeof (item as { id?: unknown })?.id === "string" ? (item as { id: string }).id : null;
    if (!shape.success) {
      results[index] = {
        id,
        status: "rejected",
        errors: shape.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
      };
      return;
    }
    parsed.push({ index, response: shape.data });
  });

  const existing = new Map<string, string>();
  for (const [id, hash] of known ?? []) if (hash !== null) existing.set(id, hash);
  const ids = parsed.map((p) => p.response.id).filter((id) => !known?.has(id));
  for (let i = 0; i < ids.length; i += 400) {
    const rows = await db.selectFrom("responses").select(["id", "content_hash"]).where("id", "in", ids.slice(i, i + 400)).execute();
    for (const r of rows) existing.set(r.id, r.content_hash);
  }

  const accepted: CheckedResponse[] = [];
  for (const p of parsed) {
    const { response, index } = p;
    const stored = existing.get(response.id);
    if (stored !== undefined) {
      results[index] = classify(response.id, stored, contentHash(response));
      continue;
    }
    const errors: IngestError[] = [];
    const definition = await getPublishedDefinition(db, surveyId, response.surveyVersion);
    if (!definition) {
      errors.push({ path: "surveyVersion", message: `This survey has no published version ${response.surveyVersion}.` });
    } else {
      if (!definition.languages.some((l) => l.code === response.language))
        errors.push({ path: "language", message: `The survey has no language "${response.language}".` });
      const checked = validateAnswers(definition, response.answers);
      if (!checked.ok) errors.push(...checked.errors);
    }
    if (new Date(response.collectedAt).getTime() > Date.now() + 24 * 3600_000)
      errors.push({ path: "collectedAt", message: "collectedAt is in the future: check the device's clock." });
    if (errors.length || !definition) {
      results[index] = { id: response.id, status: "rejected", errors };
      continue;
    }
    accepted.push(checkedResponse(index, response, definition));
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

function classify(id: string, storedHash: string, hash: string): IngestResult {
  return storedHash === hash
    ? { id, status: "duplicate" }
    : {
        id,
        status: "conflict",
        errors: [{ path: "", message: "A different response with this id is already stored; nothing was overwritten." }],
      };
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
