// Rounds: the periods a programme reports on (baseline, midline, endline or custom), with dates.
import type { Kysely } from "kysely";
import type { Database, RoundKind } from "~db/schema";
import { newId, nowIso } from "~db/portable";
import { rebuildAggregates } from "./aggregates.server";

export interface RoundSummary {
  id: string;
  programmeId: string;
  name: string;
  kind: RoundKind;
  startsOn: string;
  endsOn: string;
}

export class RoundNameTakenError extends Error {
  constructor(name: string) {
    super(`This programme already has a round called "${name}".`);
  }
}

/** Rounds of a programme, oldest first. The caller has checked the viewer may see the programme. */
export async function listRounds(db: Kysely<Database>, programmeId: string): Promise<RoundSummary[]> {
  const rows = await db
    .selectFrom("rounds")
    .selectAll()
    .where("programme_id", "=", programmeId)
    .orderBy("starts_on")
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ id: r.id, programmeId: r.programme_id, name: r.name, kind: r.kind, startsOn: r.starts_on, endsOn: r.ends_on }));
}

export async function createRound(
  db: Kysely<Database>,
  input: { programmeId: string; name: string; kind: RoundKind; startsOn: string; endsOn: string },
): Promise<string> {
  const name = input.name.trim();
  const clash = await db
    .selectFrom("rounds")
    .select("id")
    .where("programme_id", "=", input.programmeId)
    .where("name", "=", name)
    .executeTakeFirst();
  if (clash) throw new RoundNameTakenError(name);
  const id = newId();
  await db
    .insertInto("rounds")
    .values({ id, programme_id: input.programmeId, name, kind: input.kind, starts_on: input.startsOn, ends_on: input.endsOn, created_at: nowIso() })
    .execute();
  await refigureDatedResponses(db, input.programmeId);
  return id;
}

export async function deleteRound(db: Kysely<Database>, programmeId: string, roundId: string): Promise<void> {
  await db.deleteFrom("rounds").where("id", "=", roundId).where("programme_id", "=", programmeId).execute();
  await refigureDatedResponses(db, programmeId);
}

/**
 * Responses without a round of their own count in the round whose dates contain them (roundFor):
 * when the programme's rounds change, the dashboards' figures of its surveys that hold such
 * responses are rebuilt at once, so they keep agreeing with the raw export, which applies the rule as it goes.
 */
async function refigureDatedResponses(db: Kysely<Database>, programmeId: string) {
  const surveys = await db
    .selectFrom("surveys")
    .select("id")
    .where("programme_id", "=", programmeId)
    .where((eb) => eb.exists(eb.selectFrom("responses").select("responses.id").whereRef("responses.survey_id", "=", "surveys.id").where("responses.round_id", "is", null)))
    .execute();
  for (const s of surveys) await rebuildAggregates(db, s.id);
}
