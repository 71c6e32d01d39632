// Managers see what arrived, on each database over real HTTP: a new survey's responses received
// from the first one (API, survey page, programme page), per round as the dashboards place them
// (a round from the link, a round from the dates, no round), per community, per day, the last
// time, excluded responses left out; other programmes' members get 404; and a headline with no
// figure says why in the words of what arrived (dashboard and feedback pages).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers, aLink } from "../support/fixtures";
import { createCommunity, setMembership } from "../../app/models/programmes.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { createSession } from "../../app/models/sessions.server";
import { createRound } from "../../app/models/rounds.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { exclude } from "../../app/models/exclusions.server";
import { countFromResponses, getArrivals, DAYS } from "../../app/models/arrivals.server";
import { listRounds } from "../../app/models/rounds.server";
import { loader as surveyPageLoader } from "../../app/routes/surveys.$surveyId._index";

/** The page's text as a person reads it: tags dropped, entities decoded, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

describeEachDatabase("managers see what arrived", (dialect) => {
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

  /** Stores responses through a collection link, as the sync API does, collected on the given days. */
  const submit = async (token: string, collectedOn: string[]) => {
    const link = (await resolveLink(t.db, token))!;
    const items = collectedOn.map((day) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: `${day}T10:00:00.000Z`, language: "en", answers: sdg16Answers() }));
    const results = await ingestResponses(t.db, link, items);
    expect(results.map((r) => r.status)).toEqual(items.map(() => "created"));
    return items.map((i) => i.id);
  };

  /** A published survey with a manager (session and API token) and a member of another programme. */
  const aSurveyWithManager = async () => {
    const fixture = await aPublishedSurvey(t.db);
    const manager = await aUser(t.db, "Programme Manager");
    await setMembership(t.db, { userId: manager.id, programmeId: fixture.programme.id, role: "manager" });
    const outsider = await aUser(t.db, "Other Manager");
    const elsewhere = await aPublishedSurvey(t.db);
    await setMembership(t.db, { userId: outsider.id, programmeId: elsewhere.programme.id, role: "manager" });
    const browser = new HttpClient(server.url);
    await browser.signIn(manager.email, manager.password);
    const token = (await createApiToken(t.db, manager.id, "m&e")).token;
    const outsiderToken = (await createApiToken(t.db, outsider.id, "m&e")).token;
    // A link with no round and no community: its responses are placed by their dates.
    const looseLink = await aLink(t.db, { surveyId: fixture.surveyId, mode: "self", label: "Phones", createdBy: fixture.facilitator.id });
    return { ...fixture, manager, outsider, browser, token, outsiderToken, looseLink };
  };

  const api = async (surveyId: string, token: string) => {
    const reply = await new HttpClient(server.url).get(`/api/v1/surveys/${surveyId}/arrivals`, { Authorization: `Bearer ${token}` });
    return { status: reply.status, body: reply.json() };
  };

  it("a manager sees a new survey's count from its first response: API, survey page and programme page", async () => {
    const s = await aSurveyWithManager();
    const empty = await api(s.surveyId, s.token);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ surveyId: s.surveyId, total: 0, excluded: 0, lastReceivedAt: null });
    expect(empty.body.rounds).toEqual([{ id: s.roundId, name: expect.stringMatching(/^Baseline/), n: 0 }]);
    expect(empty.body.days).toHaveLength(DAYS);
    expect(empty.body.days.every((d: { n: number }) => d.n === 0)).toBe(true);
    expect(textOf((await s.browser.get(`/surveys/${s.surveyId}`)).text)).toContain("Responses received No responses yet.");

    const [first] = await submit(s.link.token, ["2026-03-10"]);
    const stored = await t.db.selectFrom("responses").select("submitted_at").where("id", "=", first).executeTakeFirstOrThrow();
    const today = new Date().toISOString().slice(0, 10);
    const one = await api(s.surveyId, s.token);
    expect(one.body).toMatchObject({ total: 1, excluded: 0, lastReceivedAt: stored.submitted_at });
    expect(one.body.rounds).toEqual([{ id: s.roundId, name: expect.any(String), n: 1 }]);
    expect(one.body.communities).toEqual([{ id: s.programme.communityId, name: "Survey Programme village", n: 1 }]);
    expect(one.body.days.at(-1)).toEqual({ day: today, n: 1 });

    // Over real HTTP, as the manager's browser gets it.
    const page = await s.browser.get(`/surveys/${s.surveyId}`);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toMatch(/Responses received 1 response · the last received on \d+ \w+ \d{4}, \d\d:\d\d UTC/);
    expect(text).toContain("By round");
    expect(text).toMatch(/Baseline \S+ 1/);
    expect(text).toContain("Survey Programme village 1");
    const programmePage = textOf((await s.browser.get(`/programmes/${s.programme.id}`)).text);
    expect(programmePage).toContain("Responses received");
    expect(programmePage).toMatch(/open 1, the last on \d+ \w+ \d{4}, \d\d:\d\d UTC/);

    // The loader's data: what the page is rendered from.
    const cookie = await createSession(t.db, s.manager.id);
    const data = (await surveyPageLoader({
      request: new Request(`http://localhost/surveys/${s.surveyId}`, { headers: { Cookie: `sps_session=${cookie}` } }),
      context: { db: t.db, dialect, cspNonce: "", clientAddress: "127.0.0.1" } as unknown as AppLoadContext,
      params: { surveyId: s.surveyId },
    } as never)) as Exclude<Awaited<ReturnType<typeof surveyPageLoader>>, Response>;
    expect(data.arrivals).toMatchObject({ total: 1, excluded: 0, lastReceivedAt: stored.submitted_at });
  });

  it("per round as the dashboards place them, per community, per day and the last time; excluded responses not counted; outsiders get 404", async () => {
    const s = await aSurveyWithManager();
    const midline = await createRound(t.db, { programmeId: s.programme.id, name: "Midline 2025", kind: "midline", startsOn: "2025-06-01", endsOn: "2025-06-30" });
    const market = await createCommunity(t.db, { programmeId: s.programme.id, name: "Market ward", region: "South" });
    const marketLink = await aLink(t.db, { surveyId: s.surveyId, mode: "self", label: "Market", communityId: market, createdBy: s.facilitator.id });

    const onBaselineLink = await submit(s.link.token, ["2026-03-10", "2026-03-11", "2026-03-11"]); // round from the link
    await submit(s.looseLink.token, ["2025-06-10", "2025-06-30"]); // Midline by its dates, no community
    await submit(s.looseLink.token, ["2024-01-15"]); // in no round's dates
    await submit(marketLink.token, ["2026-04-02", "2025-06-01"]); // Baseline and Midline by dates
    const viewer = s.manager.viewer;
    await exclude(t.db, viewer, { id: s.surveyId, programmeId: s.programme.id }, { responseId: onBaselineLink[0] }, "test_run", "");
    const last = await t.db
      .selectFrom("responses")
      .select((eb) => eb.fn.max("submitted_at").as("at"))
      .where("survey_id", "=", s.surveyId)
      .where("excluded_at", "is", null)
      .executeTakeFirstOrThrow();

    const { status, body } = await api(s.surveyId, s.token);
    expect(status).toBe(200);
    expect(body).toMatchObject({ surveyId: s.surveyId, total: 7, excluded: 1, lastReceivedAt: last.at });
    expect(body.rounds).toEqual([
      { id: midline, name: "Midline 2025", n: 3 },
      { id: s.roundId, name: expect.stringMatching(/^Baseline/), n: 3 },
      { id: null, name: "No round", n: 1 },
    ]);
    expect(body.communities).toEqual([
      { id: market, name: "Market ward", n: 2 },
      { id: s.programme.communityId, name: "Survey Programme village", n: 2 },
      { id: null, name: "Not answered", n: 3 },
    ]);
    // Received per day (all today), excluded left out; the four weeks end today.
    expect(body.days).toHaveLength(DAYS);
    expect(body.days.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), n: 7 });
    expect(body.days.slice(0, -1).every((d: { n: number }) => d.n === 0)).toBe(true);

    // The margins give exactly what one pass over the responses with roundFor gives.
    const rounds = await listRounds(t.db, s.programme.id);
    const reference = await countFromResponses(t.db, s.surveyId, rounds);
    expect(reference.excluded).toBe(1);
    const byRound = new Map<string, number>();
    for (const p of reference.placed) byRound.set(p.round, (byRound.get(p.round) ?? 0) + p.n);
    expect(Object.fromEntries(byRound)).toEqual({ [midline]: 3, [s.roundId]: 3, "": 1 });

    // The survey page shows the same, with the excluded one mentioned.
    const text = textOf((await s.browser.get(`/surveys/${s.surveyId}`)).text);
    expect(text).toContain("Responses received 7 responses");
    expect(text).toContain("1 response excluded, not counted here or in any figure");
    expect(text).toContain("Midline 2025 3");
    expect(text).toContain("No round 1");
    expect(text).toContain("Not answered 3");
    expect(text).toContain("1 response falls in no round"); // the hint to check the rounds' dates
    expect(text).toContain("Check the rounds' dates on the programme page.");

    // A member of another programme learns nothing, not even that the survey exists.
    const outside = await api(s.surveyId, s.outsiderToken);
    expect(outside.status).toBe(404);
    expect(JSON.stringify(outside.body)).not.toContain("Baseline");
    expect(await getArrivals(t.db, s.outsider.viewer, s.surveyId)).toBeNull();
    const asOutsider = new HttpClient(server.url);
    await asOutsider.signIn(s.outsider.email, s.outsider.password);
    expect((await asOutsider.get(`/surveys/${s.surveyId}`)).status).toBe(404);
    expect((await asOutsider.get(`/api/v1/surveys/${s.surveyId}/arrivals`)).status).toBe(404);
    expect((await new HttpClient(server.url).get(`/api/v1/surveys/${s.surveyId}/arrivals`)).status).toBe(401);
  });

  it("a survey without indicators has no dashboard margins: its responses are counted from the responses", async () => {
    const fixture = await aPublishedSurvey(t.db, { edit: (d) => (d.indicators = []) });
    const loose = await aLink(t.db, { surveyId: fixture.surveyId, mode: "self", label: "Phones", createdBy: fixture.facilitator.id });
    const ids = await submit(fixture.link.token, ["2026-02-01", "2026-02-02"]);
    await submit(loose.token, ["2026-05-05", "2023-05-05"]); // the round by its dates; no round
    await exclude(t.db, fixture.facilitator.viewer, { id: fixture.surveyId, programmeId: fixture.programme.id }, { responseId: ids[1] }, "duplicate", "");
    const a = (await getArrivals(t.db, fixture.facilitator.viewer, fixture.surveyId))!;
    expect(a).toMatchObject({ total: 3, excluded: 1 });
    expect(a.rounds).toEqual([
      { id: fixture.roundId, name: expect.any(String), n: 2 },
      { id: null, name: "No round", n: 1 },
    ]);
    expect(a.communities).toEqual([
      { id: fixture.programme.communityId, name: "Survey Programme village", n: 1 },
      { id: null, name: "Not answered", n: 2 },
    ]);
    expect(a.days.at(-1)!.n).toBe(3);
  });

  it("a headline with no figure says what arrived: none yet, 3 then 5 all in no round (dashboard page)", async () => {
    const s = await aSurveyWithManager();
    const dashboard = async () => {
      const reply = await s.browser.get(`/programmes/${s.programme.id}/dashboard?survey=${s.surveyId}`);
      expect(reply.status).toBe(200);
      return textOf(reply.text);
    };
    const none = await dashboard();
    expect(none).toContain("No figure to show yet. No responses yet.");
    expect(none).not.toContain("Groups with fewer than");

    // Collected before the programme's only round (2026): they count in no round.
    await submit(s.looseLink.token, ["2025-03-10", "2025-03-11", "2025-03-12"]);
    const three = await dashboard();
    expect(three).toContain("No figure to show yet. 3 responses received so far, all in no round — check the rounds' dates; figures appear from 5 respondents in a round.");
    expect(three).toMatch(/Responses received 3 responses · the last received on/);
    expect(three).toContain("No round: 3");

    await submit(s.looseLink.token, ["2025-03-13", "2025-03-14"]);
    const five = await dashboard();
    expect(five).toContain("No figure to show yet. 5 responses received, all in no round — check the rounds' dates.");
    // By month the same responses make a figure: the message is about rounds only.
    const byMonth = textOf((await s.browser.get(`/programmes/${s.programme.id}/dashboard?survey=${s.surveyId}&period=month`)).text);
    expect(byMonth).toContain("100% Mar 2025 95% interval 57%–100% · n = 5");
    expect(byMonth).not.toContain(", all in no round —");

    // 3 in the round: too few for a figure, said as such.
    const other = await aSurveyWithManager();
    await submit(other.link.token, ["2026-03-10", "2026-03-10", "2026-03-11"]);
    const small = textOf((await other.browser.get(`/programmes/${other.programme.id}/dashboard?survey=${other.surveyId}`)).text);
    expect(small).toContain("No figure to show yet. 3 responses received so far; figures appear from 5 respondents in a round.");
  });

  it("the feedback page says a community has answered but has no result yet, in its language", async () => {
    const s = await aSurveyWithManager();
    const url = (lang: string) => `/programmes/${s.programme.id}/feedback?survey=${s.surveyId}&community=${s.programme.communityId}&lang=${lang}`;
    expect(textOf((await s.browser.get(url("en"))).text)).toContain("No one in Survey Programme village has answered yet.");
    await submit(s.link.token, ["2026-03-10", "2026-03-11", "2026-03-12"]);
    expect(textOf((await s.browser.get(url("en"))).text)).toContain(
      "People who have answered in Survey Programme village so far: 3. Results appear once at least 5 people have answered in the same round.",
    );
    expect(textOf((await s.browser.get(url("fr"))).text)).toContain("Personnes ayant répondu à Survey Programme village jusqu'ici : 3.");
    expect(textOf((await s.browser.get(url("ar"))).text)).toContain("عدد من أجابوا في Survey Programme village حتى الآن: 3.");
    // The printable report says it too.
    const report = textOf((await s.browser.get(`/programmes/${s.programme.id}/report?survey=${s.surveyId}`)).text);
    expect(report).toMatch(/3 responses received, the last on .* UTC\. By round: Baseline \S+ 3\./);
    expect(report).toContain("No figure to show yet. 3 responses received so far; figures appear from 5 respondents in a round.");
  });
});
