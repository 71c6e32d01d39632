// Focus-group sessions: created on the tablet, synced by id; notes added after the discussion.
// A session's responses are placed where it was held: when its community or round changes, they
// move with it, and the dashboards' figures with them, in the same transaction.
import { PostgresAdapter, type Kysely, type Transaction } from "kysely";
import type { Database } from "~db/schema";
import { nowIso, toBool } from "~db/portable";
import type { ResolvedLink } from "./collection-links.server";
import { applyResponsesToAggregates, storedAggregateInputs } from "./aggregates.server";
import { placeInSession, type Place } from "./response-places";

export interface SessionInput {
  id: string;
  communityId?: string | null;
  roundId?: string | null;
  heldOn: string;
  groupDescription: string;
  groupPublic?: boolean;
  participantCount?: number | null;
  notes: string;
  updatedAt: string;
  deviceName?: string | null;
  facilitatorId?: string | null;
}

export interface SessionSummary {
  id: string;
  linkLabel: string;
  communityName: string | null;
  roundName: string | null;
  heldOn: string;
  groupDescription: string;
  participantCount: number | null;
  notes: string;
  /** The tablet's name from arming, and who ran the session (null when the tablet did not say). */
  deviceName: string | null;
  facilitatorName: string | null;
  responses: number;
  refusals: number;
}

export async function upsertSessions(
  db: Kysely<Database>,
  link: ResolvedLink,
  sessions: SessionInput[],
  refusals: { id: string; sessionId?: string | null; recordedOn: string }[],
): Promise<{ sessions: number; refusals: number }> {
  // Community and round come from the link when it is bound; otherwise from the tablet, and then
  // only ones that belong to the link's programme.
  const communities = new Set(
    (await db.selectFrom("communities").select("id").where("programme_id", "=", link.programmeId).execute()).map((c) => c.id),
  );
  const rounds = new Set((await db.selectFrom("rounds").select("id").where("programme_id", "=", link.programmeId).execute()).map((r) => r.id));
  // A session's facilitator must be a member of the link's programme; anyone else is not recorded.
  const members = new Map(
    (
      await db
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["u.id", "u.display_name"])
        .where("m.programme_id", "=", link.programmeId)
        .execute()
    ).map((u) => [u.id, u.display_name]),
  );
  await db.transaction().execute(async (trx) => {
    for (const s of sessions) {
      const values = {
        community_id: link.communityId ?? (s.communityId && communities.has(s.communityId) ? s.communityId : null),
        round_id: link.roundId ?? (s.roundId && rounds.has(s.roundId) ? s.roundId : null),
        held_on: s.heldOn,
        group_description: s.groupDescription.trim(),
        group_public: toBool(s.groupPublic ?? false),
        participant_count: s.participantCount ?? null,
        notes: s.notes,
        updated_at: new Date(s.updatedAt).toISOString(),
        device_name: s.deviceName?.trim() || null,
        facilitator_id: s.facilitatorId && members.has(s.facilitatorId) ? s.facilitatorId : null,
        facilitator_name: (s.facilitatorId && members.get(s.facilitatorId)) || null,
      };
      const existing = await trx.selectFrom("fg_sessions").select(["link_id", "updated_at"]).where("id", "=", s.id).executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto("fg_sessions")
          .values({ id: s.id, link_id: link.id, survey_id: link.surveyId, created_at: nowIso(), ...values })
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
      } else if (existing.link_id === link.id && existing.updated_at <= values.updated_at) {
        // The update takes the session's row lock first: responses arriving meanwhile wait for it (see placeInSessions).
        await trx.updateTable("fg_sessions").set(values).where("id", "=", s.id).execute();
        await moveSessionResponses(trx, { id: s.id, linkId: link.id, surveyId: link.surveyId }, placeInSession(link, { communityId: values.community_id, roundId: values.round_id }));
      }
    }
    for (const r of refusals) {
      await trx
        .insertInto("refusals")
        .values({ id: r.id, link_id: link.id, session_id: r.sessionId ?? null, survey_id: link.surveyId, recorded_on: r.recordedOn })
        .onConflict((oc) => oc.column("id").doNothing())
        .execute();
    }
  });
  return { sessions: sessions.length, refusals: refusals.length };
}

export async function listSessions(db: Kysely<Database>, surveyIds: string[]): Promise<SessionSummary[]> {
  if (surveyIds.length === 0) return [];
  const rows = await db
    .selectFrom("fg_sessions as s")
    .innerJoin("collection_links as l", "l.id", "s.link_id")
    .leftJoin("communities as c", "c.id", "s.community_id")
    .leftJoin("rounds as r", "r.id", "s.round_id")
    .select((eb) => [
      "s.id",
      "l.label as link_label",
      "c.name as community_name",
      "r.name as round_name",
      "s.held_on",
      "s.group_description",
      "s.participant_count",
      "s.notes",
      "s.device_name",
      "s.facilitator_name",
      // Only the session's own survey counts: nothing sent through another survey's link can raise them.
      eb
        .selectFrom("responses")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("responses.session_id", "=", "s.id")
        .whereRef("responses.survey_id", "=", "s.survey_id")
        .where("responses.excluded_at", "is", null)
        .as("responses"),
      eb
        .selectFrom("refusals")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("refusals.session_id", "=", "s.id")
        .whereRef("refusals.survey_id", "=", "s.survey_id")
        .as("refusals"),
    ])
    .where("s.survey_id", "in", surveyIds)
    .orderBy("s.held_on", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    linkLabel: r.link_label,
    communityName: r.community_name ?? null,
    roundName: r.round_name ?? null,
    heldOn: r.held_on,
    groupDescription: r.group_description,
    participantCount: r.participant_count === null ? null : Number(r.participant_count),
    notes: r.notes,
    deviceName: r.device_name,
    facilitatorName: r.facilitator_name,
    responses: Number(r.responses ?? 0),
    refusals: Number(r.refusals ?? 0),
  }));
}

/**
 * Moves a session's stored responses (those sent through its link) to its place, with their
 * figures, inside the caller's transaction. Counted responses leave their old cells (−1) and
 * join the new ones (+1); responses still waiting for the fold are folded here, at their new
 * place, so a fold that read them before the move finds them taken and starts over — nothing is
 * counted twice or lost. Excluded responses just move (restoring them counts them where they are).
 */
export async function moveSessionResponses(trx: Transaction<Database>, session: { id: string; linkId: string; surveyId: string }, place: Place): Promise<number> {
  let q = trx
    .selectFrom("responses")
    .select(["id", "survey_version", "answers", "community_id", "round_id", "session_id", "collected_at", "aggregated", "excluded_at"])
    .where("session_id", "=", session.id)
    .where("survey_id", "=", session.surveyId)
    .where("link_id", "=", session.linkId)
    .orderBy("id");
  // PostgreSQL: lock them, so a fold or a submission running beside this sees them before or after, never half.
  if (trx.getExecutor().adapter instanceof PostgresAdapter) q = q.forUpdate();
  const moving = (await q.execute()).filter((r) => r.community_id !== place.communityId || r.round_id !== place.roundId);
  if (moving.length === 0) return 0;
  const counting = moving.filter((r) => r.excluded_at === null);
  const counted = counting.filter((r) => Number(r.aggregated) === 1);
  for (let i = 0; i < moving.length; i += 400) {
    await trx
      .updateTable("responses")
      .set({ community_id: place.communityId, round_id: place.roundId })
      .where("id", "in", moving.slice(i, i + 400).map((r) => r.id))
      .execute();
  }
  const pending = counting.filter((r) => Number(r.aggregated) !== 1).map((r) => r.id);
  for (let i = 0; i < pending.length; i += 400) await trx.updateTable("responses").set({ aggregated: 1 }).where("id", "in", pending.slice(i, i + 400)).execute();
  const moved = counting.map((r) => ({ ...r, community_id: place.communityId, round_id: place.roundId }));
  await applyResponsesToAggregates(trx, await storedAggregateInputs(trx, session.surveyId, moved), 1);
  await applyResponsesToAggregates(trx, await storedAggregateInputs(trx, session.surveyId, counted), -1);
  return moving.length;
}
