// A facilitator browses a survey's responses page by page and filtered, opens one, and reviews it
// over real HTTP on each database: "not approved" takes it out of the figures a manager reads (and
// approving puts it back), a response excluded for another reason stays out, every review is
// audited, bad input names its field, and managers and outsiders cannot see the table.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aLink, aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { createCommunity, setMembership } from "../../app/models/programmes.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { exclude } from "../../app/models/exclusions.server";

describeEachDatabase("reviewing single responses", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let facilitator: HttpClient;
  let manager: HttpClient;
  let outsider: HttpClient;
  let managerToken: string;
  let otherCommunity: string;
  const inMain: string[] = [];
  const inOther: string[] = [];

  const submit = async (link: { token: string }, n: number, at: (i: number) => string, safe: (i: number) => boolean) => {
    const items = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: at(i), language: "en", answers: sdg16Answers({ safe_after_dark: safe(i) ? "1" : "4" }) }));
    const results = await ingestResponses(t.db, (await resolveLink(t.db, link.token))!, items);
    expect(results.every((r) => r.status === "created")).toBe(true);
    return items.map((i) => i.id);
  };
  const figure = async () => {
    const res = await fetch(`${server.url}/api/v1/surveys/${fixture.surveyId}/indicators/safe_after_dark_official/series?period=round&community=${fixture.programme.communityId}`, { headers: { Authorization: `Bearer ${managerToken}` } });
    const body = await res.json();
    return body.points[0] as { n: number; value: number };
  };
  const table = (query = "") => `/surveys/${fixture.surveyId}/responses${query}`;
  const review = async (id: string, fields: Record<string, string>) => {
    const page = table(`/${id}`);
    return facilitator.submit(page, { intent: "review", ...fields }, { csrf: await facilitator.csrfFrom(page) });
  };

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    fixture = await aPublishedSurvey(t.db);
    server = await startServer(t);
    const m = await aUser(t.db, "Programme Manager");
    const o = await aUser(t.db, "Someone Else");
    await setMembership(t.db, { userId: m.id, programmeId: fixture.programme.id, role: "manager" });
    managerToken = (await createApiToken(t.db, m.id, "m&e")).token;
    // 60 responses in the programme's village (40 feel safe), one a minute apart; 10 in a second community.
    inMain.push(...(await submit(fixture.link, 60, (i) => new Date(Date.parse("2026-03-10T08:00:00.000Z") + i * 60_000).toISOString(), (i) => i % 3 !== 0)));
    otherCommunity = await createCommunity(t.db, { programmeId: fixture.programme.id, name: "Riverside", region: "South" });
    const link = await aLink(t.db, { surveyId: fixture.surveyId, mode: "kiosk", label: "Riverside tablet", communityId: otherCommunity, roundId: fixture.roundId, maxResponses: null, pin: null, createdBy: fixture.facilitator.id });
    inOther.push(...(await submit(link, 10, () => "2026-03-11T09:00:00.000Z", () => true)));
    facilitator = new HttpClient(server.url);
    manager = new HttpClient(server.url);
    outsider = new HttpClient(server.url);
    await facilitator.signIn(fixture.facilitator.email, fixture.facilitator.password);
    await manager.signIn(m.email, m.password);
    await outsider.signIn(o.email, o.password);
  });

  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a facilitator pages through every response once, newest first, and filters by community and device", async () => {
    const first = await facilitator.request(table());
    expect(first.status).toBe(200);
    const opened = (html: string) => [...html.matchAll(/href="\/surveys\/[^/]+\/responses\/([0-9a-f-]{36})/g)].map((x) => x[1]);
    const page1 = opened(first.text);
    expect(page1).toHaveLength(50);
    const next = first.text.match(/href="[^"?]*(\?[^"]*after=[^"]+)"/)![1].replace(/&amp;/g, "&");
    const second = await facilitator.request(table(next));
    const page2 = opened(second.text);
    expect(page2).toHaveLength(20);
    expect(second.text).toContain("Last page");
    expect(new Set([...page1, ...page2])).toEqual(new Set([...inMain, ...inOther]));

    const riverside = opened((await facilitator.request(table(`?community=${otherCommunity}`))).text);
    expect(new Set(riverside)).toEqual(new Set(inOther));
    const linkId = (await t.db.selectFrom("collection_links").select("id").where("label", "=", "Riverside tablet").executeTakeFirstOrThrow()).id;
    expect(new Set(opened((await facilitator.request(table(`?device=${linkId}&language=en&source=api`))).text))).toEqual(new Set(inOther));
    // Dates are when responses were received (all of them today).
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(opened((await facilitator.request(table(`?from=${today}&to=${today}`))).text)).toHaveLength(50);
    expect(opened((await facilitator.request(table(`?from=${tomorrow}`))).text)).toHaveLength(0);
  });

  it("a filter that is not a date is named, and nothing else changes", async () => {
    const res = await facilitator.request(table("?from=last-week"));
    expect(res.status).toBe(400);
    expect(res.text).toContain("from: Use a date like 2026-03-31.");
  });

  it("one response shows its answers with their labels", async () => {
    const res = await facilitator.request(table(`/${inMain[0]}`));
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Very unsafe \(4\)/);
  });

  it("marking a response not approved takes it out of the manager's figures; approving puts it back; both audited", async () => {
    const before = await figure();
    expect(before.n).toBe(60);
    const refused = await review(inMain[0], { status: "not_approved", note: "" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Say why it is not approved");
    expect((await figure()).n).toBe(60);

    expect((await review(inMain[0], { status: "not_approved", note: "Facilitator answered for the respondent" })).status).toBe(200);
    const after = await figure();
    expect(after.n).toBe(59);
    expect(after.value).toBeCloseTo(40 / 59, 12); // inMain[0] (i = 0) was "very unsafe"
    const listed = await facilitator.request(table("?review=not_approved"));
    expect(listed.text).toContain(inMain[0]);
    expect(listed.text).toContain("Not approved");

    expect((await review(inMain[0], { status: "on_hold", note: "Asking the facilitator" })).status).toBe(200);
    expect((await figure()).n).toBe(60);
    const audit = await t.db.selectFrom("audit_log").select(["details"]).where("action", "=", "review.response").orderBy("id").execute();
    expect(audit.map((a) => JSON.parse(a.details))).toMatchObject([
      { from: null, to: "not_approved", figures: "left" },
      { from: "not_approved", to: "on_hold", figures: "back" },
    ]);
  });

  it("approving a response excluded for another reason leaves it excluded", async () => {
    const survey = { id: fixture.surveyId, programmeId: fixture.programme.id };
    await exclude(t.db, fixture.facilitator.viewer, survey, { responseId: inMain[1] }, "duplicate", "");
    expect((await figure()).n).toBe(59);
    expect((await review(inMain[1], { status: "approved", note: "" })).status).toBe(200);
    expect((await figure()).n).toBe(59);
  });

  it("excluding and restoring from the response's page moves the figures and is audited", async () => {
    const page = table(`/${inMain[2]}`);
    expect((await facilitator.submit(page, { intent: "exclude", reason: "test_run", note: "" }, { csrf: await facilitator.csrfFrom(page) })).status).toBe(200);
    expect((await figure()).n).toBe(58);
    expect((await facilitator.submit(page, { intent: "restore" }, { csrf: await facilitator.csrfFrom(page) })).status).toBe(200);
    expect((await figure()).n).toBe(59);
    const actions = (await t.db.selectFrom("audit_log").select("action").where("target", "=", `response ${inMain[2]}`).execute()).map((a) => a.action);
    expect(actions).toEqual(["exclude.response", "restore.response"]);
  });

  it("managers cannot open the table or a response (403), people outside the programme find nothing (404)", async () => {
    expect((await manager.request(table())).status).toBe(403);
    expect((await manager.request(table(`/${inMain[0]}`))).status).toBe(403);
    expect((await outsider.request(table())).status).toBe(404);
    const csrf = await manager.csrfFrom("/");
    expect((await manager.submit(table(`/${inMain[3]}`), { intent: "review", status: "not_approved", note: "x" }, { csrf })).status).toBe(403);
    expect((await figure()).n).toBe(59);
  });
});
