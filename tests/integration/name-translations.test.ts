// Community and round names in other languages, entered on the programme page and read by the
// community on its feedback page, on each database over real HTTP: a bad line is refused naming the
// line and changes nothing; facilitators name rounds, only administrators name communities.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { visibleText } from "../support/page-text";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";

describeEachDatabase("names in the community's language", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("the feedback page names the community and its rounds as the programme page gives them", async () => {
    const s = await aPublishedSurvey(t.db);
    const admin = await aUser(t.db, "Admin", { admin: true });
    const adminBrowser = new HttpClient(server.url);
    await adminBrowser.signIn(admin.email, admin.password);
    const facilitator = new HttpClient(server.url);
    await facilitator.signIn(s.facilitator.email, s.facilitator.password);
    const page = `/programmes/${s.programme.id}`;
    const stored = async (table: "communities" | "rounds", id: string) =>
      (await t.db.selectFrom(table).select("name_translations").where("id", "=", id).executeTakeFirstOrThrow()).name_translations;

    const bad = await adminBrowser.submit(page, { intent: "set-names", kind: "communities", id: s.programme.communityId, translations: "fr: Village du programme\nar قرية البرنامج" });
    expect(bad.status).toBe(400);
    expect(visibleText(bad.text)).toContain("Line 2: write the language code, a colon, then the name.");
    expect(await stored("communities", s.programme.communityId)).toBe("{}");

    const denied = await facilitator.submit(page, { intent: "set-names", kind: "communities", id: s.programme.communityId, translations: "ar: x" });
    expect(denied.status).toBe(403);

    expect((await adminBrowser.submit(page, { intent: "set-names", kind: "communities", id: s.programme.communityId, translations: "fr: Village du programme\nar: قرية البرنامج" })).status).toBe(200);
    expect((await facilitator.submit(page, { intent: "set-names", kind: "rounds", id: s.roundId, translations: "ar: خط الأساس\nfr: Situation de référence" })).status).toBe(200);
    expect(JSON.parse(await stored("rounds", s.roundId))).toEqual({ ar: "خط الأساس", fr: "Situation de référence" });
    // The programme page shows what was saved, for the next person to check.
    expect(visibleText((await adminBrowser.get(page)).text)).toContain("قرية البرنامج (ar)");

    // Five people answer in the round: enough for the community's figures to show.
    const link = (await resolveLink(t.db, s.link.token))!;
    const items = Array.from({ length: 5 }, () => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-03-10T10:00:00.000Z", language: "ar", answers: sdg16Answers() }));
    expect((await ingestResponses(t.db, link, items)).map((r) => r.status)).toEqual(items.map(() => "created"));

    const feedback = (lang: string) => facilitator.get(`/programmes/${s.programme.id}/feedback?survey=${s.surveyId}&community=${s.programme.communityId}&lang=${lang}`);
    const ar = visibleText((await feedback("ar")).text);
    expect(ar).toContain("ما قاله لنا سكان قرية البرنامج");
    expect(ar).toContain("خط الأساس");
    expect(ar).toContain("أجاب 5 أشخاص"); // Arabic's "few" form
    // Only the staff's community chooser above the page keeps the name as entered.
    expect(ar.slice(ar.indexOf("ما قاله"))).not.toContain("Survey Programme village");
    const fr = visibleText((await feedback("fr")).text);
    expect(fr).toContain("Ce que les habitants de Village du programme nous ont dit");
    expect(fr).toContain("Situation de référence");
    expect(fr).toContain("5 personnes ont répondu");
    // A language with no name given keeps the name as entered.
    expect(visibleText((await feedback("en")).text)).toContain("What people in Survey Programme village told us");
  });
});
