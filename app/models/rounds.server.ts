// Rounds: the periods a programme reports on (baseline, midline, endline or custom), with dates.
import type { Kysely } from "kysely";
import type { Database, RoundKind } from "~db/schema";
import { newId, nowIso } from "~db/portable";

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
  return id;
}

export async function deleteRound(db: Kysely<Database>, programmeId: string, roundId: string): Promise<void> {
  await db.deleteFrom("rounds").where("id", "=", roundId).where("programme_id", "=", programmeId).execute();
}
