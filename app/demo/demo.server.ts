// The demo programme: idempotent, so `npm run demo` can run any number of times.
import type { Kysely } from "kysely";
import type { Database, Role } from "~db/schema";
import { createUser, findUserByEmail, setPassword, setUserActive, setUserAdmin } from "~/models/users.server";
import { createCommunity, createProgramme, setMembership } from "~/models/programmes.server";
import { createApiToken } from "~/models/api-tokens.server";
import { nowIso } from "~db/portable";
import { createSurvey, publishDraft } from "~/models/surveys.server";
import { createRound } from "~/models/rounds.server";
import { createLink, setKioskPin } from "~/models/collection-links.server";
import { getTemplate } from "~/survey-templates.server";
import { loadDemoResponses } from "./demo-responses.server";

export const DEMO_PROGRAMME = "Safer Communities (demo)";
export const DEMO_COMMUNITIES = [
  { name: "Hodan", region: "Banadir" },
  { name: "Kismayo Town", region: "Lower Juba" },
  { name: "Dadaab Camp", region: "Garissa" },
];
export const DEMO_ACCOUNTS: { key: "admin" | "facilitator" | "manager"; email: string; name: string; password: string; role?: Role }[] = [
  { key: "admin", email: "admin@demo.example", name: "Demo Administrator", password: "demo-admin-2026" },
  { key: "facilitator", email: "facilitator@demo.example", name: "Halima Facilitator", password: "demo-facilitator-2026", role: "facilitator" },
  { key: "manager", email: "manager@demo.example", name: "Daniel Manager", password: "demo-manager-2026", role: "manager" },
];
const DEMO_TOKEN_NAME = "demo token";
export const DEMO_SURVEY_TITLE = "Safety and trust in our community (demo)";
export const DEMO_KIOSK_PIN = "246813";
export const DEMO_ROUNDS = [
  { name: "Baseline", kind: "baseline" as const, startsOn: "2026-01-05", endsOn: "2026-02-28" },
  { name: "Midline", kind: "midline" as const, startsOn: "2026-05-04", endsOn: "2026-06-30" },
  { name: "Endline", kind: "endline" as const, startsOn: "2026-09-07", endsOn: "2026-10-31" },
  { name: "Follow-up", kind: "custom" as const, startsOn: "2026-11-02", endsOn: "2026-11-20" },
];

export interface DemoResult {
  programmeId: string;
  surveyId: string;
  roundIds: string[];
  tabletToken: string;
  communityToken: string;
  accounts: { key: string; email: string; password: string; userId: string }[];
  apiToken: string;
}

export async function loadDemo(db: Kysely<Database>): Promise<DemoResult> {
  const accounts: DemoResult["accounts"] = [];
  for (const a of DEMO_ACCOUNTS) {
    let user = await findUserByEmail(db, a.email);
    let userId = user?.id;
    if (!userId) {
      userId = (await createUser(db, { email: a.email, displayName: a.name, password: a.password, isAdmin: a.key === "admin" })).id;
    } else {
      // Whatever happened to the demo accounts since, they work again with the printed passwords.
      await setPassword(db, userId, a.password);
      await setUserActive(db, userId, true);
      if (a.key === "admin") await setUserAdmin(db, userId, true);
    }
    accounts.push({ key: a.key, email: a.email, password: a.password, userId });
    user = undefined;
  }

  const existing = await db.selectFrom("programmes").select("id").where("name", "=", DEMO_PROGRAMME).executeTakeFirst();
  const programmeId =
    existing?.id ??
    (await createProgramme(db, {
      name: DEMO_PROGRAMME,
      country: "Somalia and Kenya",
      description: "A demonstration programme: community safety perception surveys in three communities.",
      minCellSize: 5,
    }));
  const have = new Set(
    (await db.selectFrom("communities").select("name").where("programme_id", "=", programmeId).execute()).map((c) => c.name),
  );
  for (const c of DEMO_COMMUNITIES) if (!have.has(c.name)) await createCommunity(db, { programmeId, ...c });
  for (const a of DEMO_ACCOUNTS) {
    const account = accounts.find((x) => x.key === a.key)!;
    if (a.role) await setMembership(db, { userId: account.userId, programmeId, role: a.role });
  }

  // The SDG 16 template, published, with baseline, midline and endline rounds.
  const facilitatorId = accounts.find((a) => a.key === "facilitator")!.userId;
  let survey = await db.selectFrom("surveys").select("id").where("programme_id", "=", programmeId).where("title", "=", DEMO_SURVEY_TITLE).executeTakeFirst();
  if (!survey) {
    const definition = structuredClone(getTemplate("sdg16_core")!.definition);
    delete definition.template;
    definition.title = { ...definition.title, en: DEMO_SURVEY_TITLE };
    const id = await createSurvey(db, { programmeId, definition, createdBy: facilitatorId });
    const published = await publishDraft(db, id, facilitatorId);
    if (!published.ok) throw new Error("the demo survey did not publish");
    survey = { id };
  }
  const roundIds: string[] = [];
  for (const r of DEMO_ROUNDS) {
    const found = await db.selectFrom("rounds").select("id").where("programme_id", "=", programmeId).where("name", "=", r.name).executeTakeFirst();
    roundIds.push(found?.id ?? (await createRound(db, { programmeId, ...r })));
  }
  // Targets per round the programme reports against (midline, endline, follow-up), so the dashboard
  // shows progress and a target line and the tracking table has something to track.
  const demoTargets: [string, number[]][] = [["safe_after_dark_official", [0.4, 0.45, 0.5]], ["trust_police", [0.45, 0.5, 0.55]]];
  for (const [indicatorId, values] of demoTargets) {
    const set = await db.selectFrom("indicator_targets").select("round_id").where("survey_id", "=", survey.id).where("indicator_id", "=", indicatorId).executeTakeFirst();
    if (!set)
      await db
      .insertInto("indicator_targets")
      .values(values.map((value, i) => ({ survey_id: survey!.id, indicator_id: indicatorId, round_id: roundIds[i + 1], value, set_by: null, set_at: nowIso() })))
      .execute();
  }

  // One tablet link for focus groups (kiosk, with a PIN) and one community link for phones.
  const linkFor = async (mode: "kiosk" | "self", label: string) => {
    const found = await db
      .selectFrom("collection_links")
      .select(["id", "token"])
      .where("survey_id", "=", survey!.id)
      .where("label", "=", label)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (found) {
      // A demo loaded before PINs had six digits gets the PIN printed below.
      if (mode === "kiosk") await setKioskPin(db, found.id, DEMO_KIOSK_PIN);
      return found.token;
    }
    const created = await createLink(db, {
      surveyId: survey!.id,
      mode,
      label,
      pin: mode === "kiosk" ? DEMO_KIOSK_PIN : null,
      createdBy: facilitatorId,
    });
    return created.token;
  };
  const tabletToken = await linkFor("kiosk", "Demo tablet (focus groups)");
  const communityToken = await linkFor("self", "Demo community link (posters)");
  // Four rounds of synthetic responses in every community, so the dashboard has something to show.
  await loadDemoResponses(db, { programmeId, surveyId: survey.id, createdBy: facilitatorId });

  // A fresh API token each run (only hashes are stored, so an old one cannot be shown again).
  const adminId = accounts.find((a) => a.key === "admin")!.userId;
  await db
    .updateTable("api_tokens")
    .set({ revoked_at: nowIso() })
    .where("user_id", "=", adminId)
    .where("name", "=", DEMO_TOKEN_NAME)
    .where("revoked_at", "is", null)
    .execute();
  // The README has it read figures and download raw responses.
  const { token } = await createApiToken(db, adminId, DEMO_TOKEN_NAME, { scopes: ["aggregates", "raw"] });
  return { programmeId, surveyId: survey.id, roundIds, tabletToken, communityToken, accounts, apiToken: token };
}
