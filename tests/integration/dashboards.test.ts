// Indicator dashboards on each database: a manager's figures match a hand computation, small groups
// are hidden (directly and where they could be derived) in page data, CSV and API, other
// programmes' surveys are refused, new responses show at once, and the pre-aggregated cells always
// equal a from-scratch recomputation — after inserts and after an exclusion (−1).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { setMembership } from "../../app/models/programmes.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { createSession } from "../../app/models/sessions.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { AGGREGATE_TABLES, applyResponsesToAggregates, foldPendingAggregates, recomputeAggregates, rebuildAggregates, roundFor } from "../../app/models/aggregates.server";
import { getVersion } from "../../app/models/surveys.server";
import { wilson } from "../../app/stats/statistics";
import { loader as seriesLoader } from "../../app/routes/api.v1.surveys.$surveyId.indicators.$indicatorId.series";
import { loader as surveysLoader } from "../../app/routes/api.v1.surveys._index";
import { loader as dashboardLoader } from "../../app/routes/programmes.$programmeId.dashboard";
import { loader as csvLoader } from "../../app/routes/programmes.$programmeId.dashboard[.csv]";
import type { Answers } from "../../app/survey";
import Papa from "papaparse";
import { tableToCsv } from "../../app/dashboard/csv.server";

// safe_after_dark answers by gender. Women 12 (6 safe, 1 "never alone", 1 don't know), men 10
// (7 safe), other 2: a group below the programme's minimum cell size of 5.
const WOMEN = ["1", "1", "2", "2", "2", "2", "3", "3", "3", "4", "5", "99"];
const MEN = ["1", "1", "1", "2", "2", "2", "2", "3", "3", "4"];
const OTHER = ["2", "3"];

describeEachDatabase("indicator dashboards", (dialect) => {
  let t: TestDb;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let manager: Awaited<ReturnType<typeof aUser>>;
  let outsider: Awaited<ReturnType<typeof aUser>>;
  let managerToken: string;
  let outsiderToken: string;
  let managerCookie: string;
  const context = () => ({ db: t.db, dialect, cspNonce: "", clientAddress: "127.0.0.1" }) as unknown as AppLoadContext;
  const submit = async (answers: Record<string, unknown>[]) => {
    const link = (await resolveLink(t.db, fixture.link.token))!;
    const items = answers.map((a) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-03-10T09:00:00.000Z", language: "en", answers: a }));
    const results = await ingestResponses(t.db, link, items);
    expect(results.every((r) => r.status === "created")).toBe(true);
    return items;
  };
  const api = async (path: string, token: string) => {
    const url = new URL(`http://localhost/api/v1/surveys/${path}`);
    const [surveyId, , indicatorId] = url.pathname.split("/").slice(4);
    try {
      const res = await seriesLoader({ request: new Request(url, { headers: { Authorization: `Bearer ${token}` } }), context: context(), params: { surveyId, indicatorId } } as never);
      return { status: res.status, body: await res.json() };
    } catch (e) {
      if (e instanceof Response) return { status: e.status, body: await e.json() };
      throw e;
    }
  };
  const page = async (query: string) =>
    (await dashboardLoader({
      request: new Request(`http://localhost/programmes/${fixture.programme.id}/dashboard?${query}`, { headers: { Cookie: `sps_session=${managerCookie}` } }),
      context: context(),
      params: { programmeId: fixture.programme.id },
    } as never)) as Exclude<Awaited<ReturnType<typeof dashboardLoader>>, Response>;

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    fixture = await aPublishedSurvey(t.db);
    manager = await aUser(t.db, "Programme Manager");
    outsider = await aUser(t.db, "Other Programme Manager");
    await setMembership(t.db, { userId: manager.id, programmeId: fixture.programme.id, role: "manager" });
    managerToken = (await createApiToken(t.db, manager.id, "m&e")).token;
    outsiderToken = (await createApiToken(t.db, outsider.id, "m&e")).token;
    managerCookie = await createSession(t.db, manager.id);
    await submit([
      ...WOMEN.map((c) => sdg16Answers({ safe_after_dark: c, gender: "woman" })),
      ...MEN.map((c) => sdg16Answers({ safe_after_dark: c, gender: "man" })),
      ...OTHER.map((c) => sdg16Answers({ safe_after_dark: c, gender: "other" })),
    ]);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("a manager's series matches a hand computation, with Wilson intervals", async () => {
    const { status, body } = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series?period=round`, managerToken);
    expect(status).toBe(200);
    expect(body.indicator).toMatchObject({ id: "safe_after_dark_official", kind: "share" });
    expect(body.points).toHaveLength(1);
    const [p] = body.points;
    const w = wilson(14, 24);
    expect(p).toMatchObject({ period: fixture.roundId, group: {}, n: 24, suppressed: false });
    expect(p.value).toBeCloseTo(14 / 24, 12);
    expect(p.low).toBeCloseTo(w.low!, 12);
    expect(p.high).toBeCloseTo(w.high!, 12);

    // The other denominator rule: codes 5 and 99 leave the denominator (13 safe of 21).
    const excl = await api(`${fixture.surveyId}/indicators/safe_after_dark_excluding_na/series`, managerToken);
    expect(excl.body.points[0].n).toBe(22);
    expect(excl.body.points[0].value).toBeCloseTo(14 / 22, 12);
  });

  it("small groups are hidden, and so is the group that would let them be derived from the total (API)", async () => {
    const { body } = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series?by=gender`, managerToken);
    const of = (g: string) => body.points.find((p: { group: { gender: string } }) => p.group.gender === g);
    expect(of("woman")).toMatchObject({ n: 12, value: 0.5, suppressed: false });
    // "other" has 2 respondents (primary); men would give it away as 24 − 12 − men (complementary).
    expect(of("other")).toMatchObject({ n: null, value: null, low: null, high: null, suppressed: true });
    expect(of("man")).toMatchObject({ n: null, value: null, suppressed: true });
    expect(JSON.stringify(body)).not.toContain('"n":10');
    expect(JSON.stringify(body)).not.toContain('"n":2,');
  });

  it("two group dimensions at once are not published: the API names the field", async () => {
    const refused = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series?by=gender,disability`, managerToken);
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe("by");
    const filtered = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series?by=gender&g.disability=1`, managerToken);
    expect(filtered.status).toBe(400);
    const twoCommunities = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series?community=${fixture.programme.communityId}&community=someother`, managerToken);
    expect(twoCommunities.status).toBe(400);
    expect(twoCommunities.body.error.field).toBe("community");
  });

  it("page data and the CSV download carry the same suppressed numbers", async () => {
    const data = await page("by=gender");
    const block = data.dashboard!.blocks.find((b) => b.headline.indicatorId === "safe_after_dark_official")!;
    const rows = block.table.rows;
    expect(rows.find((r) => r[1] === "Woman")?.slice(2, 4)).toEqual(["12", "50.0"]);
    expect(rows.find((r) => r[1] === "Man")?.slice(2, 4)).toEqual(["suppressed", "suppressed"]);
    expect(rows.find((r) => r[1].startsWith("Other"))?.slice(2, 4)).toEqual(["suppressed", "suppressed"]);
    expect(block.headline.value).toBe("58%");
    expect(block.headline.n).toBe("n = 24");
    expect(data.dashboard!.suppressionNote).toContain("fewer than 5");

    const res = (await csvLoader({
      request: new Request(`http://localhost/programmes/${fixture.programme.id}/dashboard.csv?by=gender&table=${block.table.id}`, { headers: { Cookie: `sps_session=${managerCookie}` } }),
      context: context(),
      params: { programmeId: fixture.programme.id },
    } as never)) as Response;
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so spreadsheets read UTF-8
    const csv = new TextDecoder().decode(bytes);
    const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(["Period", "Group", "n", "Value (%)", "95% low", "95% high", "Design effect", "Effective n", "Note"]);
    expect(parsed.slice(1, 1 + rows.length)).toEqual(rows);
    expect(csv).not.toMatch(/,Man,10,/);
    // Formula injection: a community or label starting with = + - @ is neutralised; numbers stay numbers.
    const evil = tableToCsv({ id: "x", caption: "", columns: ["Community", "Change"], rows: [["=HYPERLINK(\"http://x\")", "-3.5"], ["@SUM(A1)", "+1"]] }, "note");
    const evilRows = Papa.parse<string[]>(evil.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(evilRows[1]).toEqual(["'=HYPERLINK(\"http://x\")", "-3.5"]);
    expect(evilRows[2]).toEqual(["'@SUM(A1)", "'+1"]);
  });

  it("the headline reports the count of codes 5 and 99 beside the share", async () => {
    const data = await page("");
    const block = data.dashboard!.blocks.find((b) => b.headline.indicatorId === "safe_after_dark_excluding_na")!;
    // One "never alone" and one "don't know" inside a group of 24 that is shown: reported as they
    // are, since the two headline n's (all answers, and without 5 and 99) give them anyway.
    expect(block.headline.special).toMatch(/\(5\): 1\b/);
    expect(block.headline.special).toMatch(/\(99\): 1\b/);
    const official = data.dashboard!.blocks.find((b) => b.headline.indicatorId === "safe_after_dark_official")!;
    expect(Number(official.headline.n.replace("n = ", "")) - Number(block.headline.n.replace("n = ", ""))).toBe(2);
  });

  it("the API lists the caller's surveys and refuses programmes the caller is not a member of", async () => {
    const mine = await surveysLoader({ request: new Request("http://localhost/api/v1/surveys", { headers: { Authorization: `Bearer ${managerToken}` } }), context: context(), params: {} } as never);
    const listed = await mine.json();
    expect(listed.surveys.map((s: { id: string }) => s.id)).toEqual([fixture.surveyId]);
    expect(listed.surveys[0].indicators.map((i: { id: string }) => i.id)).toContain("safe_after_dark_official");
    const theirs = await surveysLoader({ request: new Request("http://localhost/api/v1/surveys", { headers: { Authorization: `Bearer ${outsiderToken}` } }), context: context(), params: {} } as never);
    expect((await theirs.json()).surveys).toEqual([]);
    const refused = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series`, outsiderToken);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).not.toContain("value");
    const bad = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series?by=shoe_size`, managerToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("by");
  });

  it("a newly submitted response shows at once", async () => {
    await submit([sdg16Answers({ safe_after_dark: "1", gender: "woman" })]);
    const { body } = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series`, managerToken);
    expect(body.points[0].n).toBe(25);
    expect(body.points[0].value).toBeCloseTo(15 / 25, 12);
  });

  it("aggregates equal a from-scratch recomputation after inserts and after an exclusion (−1)", async () => {
    // Every aggregate table, rows as sorted canonical JSON (numbers as numbers on both databases).
    const canon = (r: object) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === "string" && !/^(n|excluded|missing|score_sum|score_sq|rank_points|survey_version|from_session)$/.test(k) ? v : Number(v)]).sort());
    const sorted = async () =>
      Object.fromEntries(
        await Promise.all(AGGREGATE_TABLES.map(async (tb) => [tb.table, ((await (t.db as any).selectFrom(tb.table).selectAll().where("survey_id", "=", fixture.surveyId).execute()) as object[]).map(canon).sort()])),
      );
    const fromScratch = async () => {
      const acc = await recomputeAggregates(t.db, fixture.surveyId);
      return Object.fromEntries(AGGREGATE_TABLES.map((tb) => [tb.table, (tb.rows(acc) as object[]).map(canon).sort()]));
    };
    const same = async () => {
      await foldPendingAggregates(t.db); // what every dashboard read does first
      const stored = await sorted();
      expect(stored.agg_indicator_margins.length).toBeGreaterThan(0);
      expect(stored).toEqual(await fromScratch());
    };
    await same();

    // The exclusions feature: mark three responses excluded and take them out with sign −1.
    const rows = await t.db.selectFrom("responses").selectAll().where("survey_id", "=", fixture.surveyId).orderBy("id").limit(3).execute();
    const definition = (await getVersion(t.db, fixture.surveyId, 1))!;
    await t.db.transaction().execute(async (trx) => {
      await trx.updateTable("responses").set({ excluded_at: new Date().toISOString(), excluded_reason: "test", excluded_by: manager.id }).where("id", "in", rows.map((r) => r.id)).execute();
      await applyResponsesToAggregates(
        trx,
        rows.map((r) => ({ id: r.id, surveyId: r.survey_id, surveyVersion: Number(r.survey_version), definition, answers: JSON.parse(r.answers) as Answers, communityId: r.community_id, roundId: r.round_id, sessionId: r.session_id, collectedAt: r.collected_at })),
        -1,
      );
    });
    await same();
    const { body } = await api(`${fixture.surveyId}/indicators/safe_after_dark_official/series`, managerToken);
    expect(body.points[0].n).toBe(22);

    // A rebuild from scratch changes nothing.
    const before = await sorted();
    await rebuildAggregates(t.db, fixture.surveyId);
    expect(await sorted()).toEqual(before);
  });

  it("responses without a round on their link count in the round whose dates contain them", () => {
    const rounds = [
      { id: "a", startsOn: "2026-01-01", endsOn: "2026-02-28" },
      { id: "b", startsOn: "2026-05-01", endsOn: "2026-06-30" },
    ];
    expect(roundFor(null, "2026-05-03T10:00:00.000Z", rounds)).toBe("b");
    expect(roundFor(null, "2026-04-03T10:00:00.000Z", rounds)).toBe("");
    expect(roundFor("x", "2026-05-03T10:00:00.000Z", rounds)).toBe("x");
  });
});
