// The demo's synthetic responses: four rounds in every demo community, stored through the same
// ingest path as tablets use (so the dashboard aggregates are maintained the same way).
import type { Kysely } from "kysely";
import type { Database } from "~db/schema";
import { createLink, resolveLink } from "~/models/collection-links.server";
import { ingestResponses } from "~/models/responses.server";
import { communitySecurityAnswers, profile, sdg16Answers, seeded, seededUuid, timeWithin } from "./synthetic";

// Per community: how much safer (or less safe) it is than the programme average, and responses per round.
const COMMUNITY_EFFECT: Record<string, number> = { Hodan: 0, "Kismayo Town": 0.05, "Dadaab Camp": -0.07 };
const PER_ROUND = [130, 120, 140, 115];

export async function loadDemoResponses(
  db: Kysely<Database>,
  args: { programmeId: string; surveyId: string; createdBy: string; template?: "sdg16" | "community_security" },
): Promise<number> {
  const communities = await db.selectFrom("communities").select(["id", "name"]).where("programme_id", "=", args.programmeId).orderBy("name").execute();
  const rounds = await db.selectFrom("rounds").select(["id", "name", "starts_on", "ends_on"]).where("programme_id", "=", args.programmeId).orderBy("starts_on").execute();
  let stored = 0;
  for (const [ci, community] of communities.entries()) {
    const label = `Demo data: ${community.name}`;
    let link = await db.selectFrom("collection_links").select(["id", "token"]).where("survey_id", "=", args.surveyId).where("label", "=", label).executeTakeFirst();
    if (!link) {
      // The camp's focus group is collected on a tablet: only a tablet (kiosk) link's responses may name a session.
      const mode = community.name === "Dadaab Camp" ? "kiosk" : "self";
      const created = await createLink(db, { surveyId: args.surveyId, mode, label, communityId: community.id, pin: null, createdBy: args.createdBy });
      link = { id: created.id, token: created.token };
    }
    // Idempotent: a community whose demo link already holds responses is left as it is.
    const have = await db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("link_id", "=", link.id).executeTakeFirstOrThrow();
    if (Number(have.n) > 0) continue;
    const resolved = (await resolveLink(db, link.token))!;
    const rng = seeded(3000 + ci);
    for (const [ri, round] of rounds.entries()) {
      const count = PER_ROUND[ri % PER_ROUND.length] - ci * 7;
      // The latest round in the camp was collected in a focus group on the tablet: indicative only.
      const sessionId = ri === rounds.length - 1 && community.name === "Dadaab Camp" ? seededUuid(seeded(77)) : null;
      const items = Array.from({ length: count }, () => {
        const p = profile(rng, ri, COMMUNITY_EFFECT[community.name] ?? 0);
        return {
          id: seededUuid(rng),
          surveyVersion: 1,
          collectedAt: timeWithin(rng, round.starts_on, round.ends_on),
          language: "en",
          sessionId,
          answers: args.template === "community_security" ? communitySecurityAnswers(rng, p) : sdg16Answers(rng, p),
        };
      });
      for (let i = 0; i < items.length; i += 500) {
        const results = await ingestResponses(db, resolved, items.slice(i, i + 500), { source: "demo" });
        stored += results.filter((r) => r.status === "created").length;
        const rejected = results.find((r) => r.status === "rejected");
        if (rejected) throw new Error(`demo response rejected: ${JSON.stringify(rejected.errors)}`);
      }
      if (sessionId) {
        await db
          .updateTable("fg_sessions")
          .set({ group_description: "Open community meeting, camp block C", participant_count: count + 3, notes: "Three participants left before the end. Women raised lighting on the path to the water point after dark." })
          .where("id", "=", sessionId)
          .execute();
      }
    }
  }
  return stored;
}
