// A programme collecting in several communities gets cluster-robust intervals on each database: the
// API's figure matches the linearisation computed by hand from each community's sums, one community
// alone has no interval, a facilitator can describe the sample as simple random (audited), and a
// hidden community's sums never reach the interval except through what the published figures give.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { aLink, aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { createCommunity, setMembership, setSampling } from "../../app/models/programmes.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { clusteredGap, clusteredShare, planSampleSize } from "../../app/stats/clustered";
import { createSession } from "../../app/models/sessions.server";
import { loader as dashboardLoader } from "../../app/routes/programmes.$programmeId.dashboard";
import { newcombe, wilson } from "../../app/stats/statistics";
import { loader as seriesLoader } from "../../app/routes/api.v1.surveys.$surveyId.indicators.$indicatorId.series";

// Respondents and how many feel safe (codes 1–2) per community: 30/12, 50/35, 20/5, 40/22 (the unit
// test's example), and a hamlet of 2 whose figures the minimum cell size of 5 hides.
const COMMUNITIES = [
  { name: "Amani", n: 30, safe: 12 },
  { name: "Baraka", n: 50, safe: 35 },
  { name: "Chemchem", n: 20, safe: 5 },
  { name: "Duma", n: 40, safe: 22 },
];

describeEachDatabase("clustered intervals", (dialect) => {
  let t: TestDb;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let token: string;
  let managerCookie: string;
  const ids: string[] = [];
  const context = () => ({ db: t.db, dialect, cspNonce: "", clientAddress: "127.0.0.1" }) as unknown as AppLoadContext;
  const series = async (query: string) => {
    const url = new URL(`http://localhost/api/v1/surveys/${fixture.surveyId}/indicators/safe_after_dark_official/series?${query}`);
    const res = await seriesLoader({ request: new Request(url, { headers: { Authorization: `Bearer ${token}` } }), context: context(), params: { surveyId: fixture.surveyId, indicatorId: "safe_after_dark_official" } } as never);
    return (await res.json()) as { points: { n: number | null; value: number | null; low: number | null; high: number | null; suppressed: boolean; group: Record<string, string>; deff?: number; effectiveN?: number; clusters?: number; noInterval?: string | null }[] };
  };
  const collect = async (communityId: string, n: number, safe: number) => {
    const link = await aLink(t.db, { surveyId: fixture.surveyId, mode: "kiosk", label: `Tablet ${communityId.slice(0, 4)}`, communityId, roundId: fixture.roundId, maxResponses: null, pin: null, createdBy: fixture.facilitator.id });
    const items = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-03-10T09:00:00.000Z", language: "en", answers: sdg16Answers({ safe_after_dark: i < safe ? "2" : "3", gender: i % 2 ? "man" : "woman" }) }));
    const results = await ingestResponses(t.db, (await resolveLink(t.db, link.token))!, items);
    expect(results.every((r) => r.status === "created")).toBe(true);
  };

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    fixture = await aPublishedSurvey(t.db);
    // The official SDG 16.1.4 share has a target of 65% for the round.
    await t.db.insertInto("indicator_targets").values({ survey_id: fixture.surveyId, indicator_id: "safe_after_dark_official", round_id: fixture.roundId, value: 0.65, set_by: null, set_at: "2026-01-01T00:00:00.000Z" }).execute();
    const manager = await aUser(t.db, "Programme Manager");
    await setMembership(t.db, { userId: manager.id, programmeId: fixture.programme.id, role: "manager" });
    token = (await createApiToken(t.db, manager.id, "m&e")).token;
    managerCookie = await createSession(t.db, manager.id);
    for (const c of COMMUNITIES) {
      const id = await createCommunity(t.db, { programmeId: fixture.programme.id, name: c.name, region: "North" });
      ids.push(id);
      await collect(id, c.n, c.safe);
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("by default, four communities give the hand-computed linearisation interval, design effect 4.6", async () => {
    const [p] = (await series("period=round")).points;
    const expected = clusteredShare(COMMUNITIES.map((c) => ({ n: c.n, sum: c.safe })));
    expect(p.n).toBe(140);
    expect(p.value).toBeCloseTo(74 / 140, 12);
    expect(p.low).toBeCloseTo(expected.low!, 12);
    expect(p.high).toBeCloseTo(expected.high!, 12);
    expect(p.deff).toBeCloseTo(4.5583, 3);
    expect(p.effectiveN).toBeCloseTo(140 / 4.5583, 1);
    expect(p.clusters).toBe(4);
    const srs = wilson(74, 140);
    expect(p.high! - p.low!).toBeGreaterThan(3 * (srs.high! - srs.low!));
  });

  it("the dashboard shows the design effect and plans the sample for the target with it", async () => {
    const page = (await dashboardLoader({
      request: new Request(`http://localhost/programmes/${fixture.programme.id}/dashboard`, { headers: { Cookie: `sps_session=${managerCookie}` } }),
      context: context(),
      params: { programmeId: fixture.programme.id },
    } as never)) as Exclude<Awaited<ReturnType<typeof dashboardLoader>>, Response>;
    const h = page.dashboard!.blocks.find((b) => b.headline.indicatorId === "safe_after_dark_official")!.headline;
    expect(page.dashboard!.design).toBe("community");
    expect(h.design).toBe("design effect 4.6 · effective n 31 · 4 clusters");
    const deff = clusteredShare(COMMUNITIES.map((c) => ({ n: c.n, sum: c.safe }))).deff!;
    const plan = planSampleSize({ kind: "share", baseline: 74 / 140, change: 0.65 - 74 / 140, deff, communities: 4 });
    expect(plan.perRound).toBeGreaterThan(1000);
    expect(h.plan).toBe(`To show 53% → 65% (80% power, 5% significance, design effect 4.6 (measured)): ${plan.perRound} respondents per round, ${plan.perCommunity} in each of 4 communities. The latest period had 140: not enough.`);
    expect(h.planReached).toBe(false);
  });

  it("one community alone is one cluster: its value, and no interval", async () => {
    const [p] = (await series(`period=round&community=${ids[1]}`)).points;
    expect(p).toMatchObject({ n: 50, value: 0.7, low: null, high: null, noInterval: "one cluster" });
  });

  it("the gap between women and men takes both groups' sums in each community, as the round's interval does", async () => {
    const page = (await dashboardLoader({
      request: new Request(`http://localhost/programmes/${fixture.programme.id}/dashboard?view=gap&gapBy=gender&a=woman&b=man`, { headers: { Cookie: `sps_session=${managerCookie}` } }),
      context: context(),
      params: { programmeId: fixture.programme.id },
    } as never)) as Exclude<Awaited<ReturnType<typeof dashboardLoader>>, Response>;
    const [row] = page.dashboard!.focus!.gap!.table.rows;
    // Even-numbered respondents are women, so of a community's first `safe` respondents ⌈safe/2⌉ are women.
    const pairs = COMMUNITIES.map((c) => ({ a: { n: Math.ceil(c.n / 2), sum: Math.ceil(c.safe / 2) }, b: { n: Math.floor(c.n / 2), sum: Math.floor(c.safe / 2) } }));
    const share = (x: { n: number; sum: number }[]) => {
      const n = x.reduce((t, c) => t + c.n, 0);
      const p = x.reduce((t, c) => t + c.sum, 0) / n;
      return (p * (1 - p)) / (n - 1);
    };
    const expected = clusteredGap(pairs, share(pairs.map((p) => p.a)) + share(pairs.map((p) => p.b)));
    expect(expected.df).toBe(3);
    const pts = (v: number) => (v * 100).toFixed(1);
    expect(row.slice(1, 4)).toEqual([pts(expected.diff!), pts(expected.low!), pts(expected.high!)]);
    // Wider than the independent-samples interval the panel used to print (women 38/70, men 36/70), which ignored the communities.
    const independent = newcombe(36, 70, 38, 70);
    expect(expected.high! - expected.low!).toBeGreaterThan(independent.high! - independent.low!);
  });

  it("a hidden community's sums reach the interval only merged with the others hidden, as the published figures allow", async () => {
    const hamlet = await createCommunity(t.db, { programmeId: fixture.programme.id, name: "Ewaso", region: "North" });
    await collect(hamlet, 2, 1);
    const byCommunity = (await series("period=round&by=community")).points;
    const shown = byCommunity.filter((p) => !p.suppressed && p.n);
    expect(byCommunity.find((p) => p.group.community === hamlet)?.suppressed).toBe(true);
    // At least one partner is hidden with it, so the hamlet cannot be the total minus the rest.
    expect(shown.length).toBeLessThan(COMMUNITIES.length);
    const [total] = (await series("period=round")).points;
    expect(total.n).toBe(142);
    // What a reader can compute from the page: each shown community, and the rest as one cluster.
    const clusters = shown.map((p) => ({ n: p.n!, sum: Math.round(p.value! * p.n!) }));
    const rest = { n: total.n! - clusters.reduce((s, c) => s + c.n, 0), sum: Math.round(total.value! * total.n!) - clusters.reduce((s, c) => s + c.sum, 0) };
    const fromPublished = clusteredShare([...clusters, rest]);
    expect(total.low).toBeCloseTo(fromPublished.low!, 12);
    expect(total.high).toBeCloseTo(fromPublished.high!, 12);
    expect(total.clusters).toBe(clusters.length + 1);
  });

  it("a facilitator describes the sample as simple random: Wilson intervals again, and the change is audited", async () => {
    await setSampling(t.db, fixture.facilitator.viewer, fixture.programme.id, "simple");
    const [p] = (await series("period=round")).points;
    const w = wilson(75, 142);
    expect(p.low).toBeCloseTo(w.low!, 12);
    expect(p.deff).toBeUndefined();
    const audit = await t.db.selectFrom("audit_log").select(["action", "details"]).where("action", "=", "programme.sampling").execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toEqual({ from: "auto", to: "simple" });
    await setSampling(t.db, fixture.facilitator.viewer, fixture.programme.id, "auto");
  });

  it("a manager cannot change the sampling description", async () => {
    const manager = await aUser(t.db, "Another Manager");
    await setMembership(t.db, { userId: manager.id, programmeId: fixture.programme.id, role: "manager" });
    await expect(setSampling(t.db, manager.viewer, fixture.programme.id, "simple")).rejects.toThrow(/facilitators and administrators/);
  });
});
