// Focus-group sessions: created on the tablet, synced by id; notes added after the discussion.
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { nowIso } from "~db/portable";
import type { ResolvedLink } from "./collection-links.server";

export interface SessionInput {
  id: string;
  communityId?: string | null;
  roundId?: string | null;
  heldOn: string;
  groupDescription: string;
  participantCount?: number | null;
  notes: string;
  updatedAt: string;
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
  await db.transaction().execute(async (trx) => {
    for (const s of sessions) {
      const values = {
        community_id: link.communityId ?? (s.communityId && communities.has(s.communityId) ? s.communityId : null),
        round_id: link.roundId ?? (s.roundId && rounds.has(s.roundId) ? s.roundId : null),
        held_on: s.heldOn,
        group_description: s.groupDescription.trim(),
        participant_count: s.participantCount ?? null,
        notes: s.notes,
        updated_at: new Date(s.updatedAt).toISOString(),
      };
      const existing = await trx.selectFrom("fg_sessions").select(["link_id", "updated_at"]).where("id", "=", s.id).executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto("fg_sessions")
          .values({ id: s.id, link_id: link.id, survey_id: link.surveyId, created_at: nowIso(), ...values })
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
      } else if (existing.link_id === link.id && existing.updated_at <= values.updated_at) {
        await trx.updateTable("fg_sessions").set(values).where("id", "=", s.id).execute();
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
      eb.selectFrom("responses").select((e) => e.fn.countAll<number>().as("n")).whereRef("responses.session_id", "=", "s.id").where("responses.excluded_at", "is", null).as("responses"),
      eb.selectFrom("refusals").select((e) => e.fn.countAll<number>().as("n")).whereRef("refusals.session_id", "=", "s.id").as("refusals"),
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
    responses: Number(r.responses ?? 0),
    refusals: Number(r.refusals ?? 0),
  }));
}
