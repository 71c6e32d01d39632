// Stores and reads the translated names of a programme's communities and rounds (scoped to it).
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { readTranslations, type NameTranslations } from "./name-translations";

export type NamedThing = "communities" | "rounds";

/** Sets one community's or round's translations; false when it is not in this programme. */
export async function setNameTranslations(
  db: Kysely<Database>,
  programmeId: string,
  table: NamedThing,
  id: string,
  translations: NameTranslations,
): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ name_translations: JSON.stringify(translations) })
    .where("id", "=", id)
    .where("programme_id", "=", programmeId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every translated name in a programme: {communities: {id: {code: name}}, rounds: {…}}. */
export async function programmeNameTranslations(db: Kysely<Database>, programmeId: string) {
  const [communities, rounds] = await Promise.all(
    (["communities", "rounds"] as const).map((table) =>
      db.selectFrom(table).select(["id", "name_translations"]).where("programme_id", "=", programmeId).execute(),
    ),
  );
  const byId = (rows: { id: string; name_translations: string }[]) =>
    Object.fromEntries(rows.map((r) => [r.id, readTranslations(r.name_translations)])) as Record<string, NameTranslations>;
  return { communities: byId(communities), rounds: byId(rounds) };
}
