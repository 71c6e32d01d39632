// The indicator tracking table on each database: a manager sets targets per round over HTTP (a
// facilitator may not, bad values change nothing), the table's values match a hand computation,
// each status follows its rule, small groups are hidden in the page data, the CSV and the
// workbook alike, and a target stored in a definition before targets per round moves to a round.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppLoadContext } from "@remix-run/node";
import Papa from "papaparse";
import ExcelJS from "exceljs";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aLink, aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { setMembership } from "../../app/models/programmes.server";
import { createRound } from "../../app/models/rounds.server";
import { createSession } from "../../app/models/sessions.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { getPlans } from "../../app/models/indicator-targets.server";
import { newcombe, wilson } from "../../app/stats/statistics";
import { loader as trackingLoader } from "../../app/routes/programmes.$programmeId.tracking";
import { m0017_indicator_targets } from "../../db/migrations/0017_indicator_targets";

// Baseline: 24 respondents; 8 feel safe after dark (1 or 2), 12 trust the police, 12 of 24 feel safe by day.
const BASE_DARK = { woman: ["1", "2", "2", "3", "3", "3", "3", "4", "4", "5", "99", "3"], man: ["1", "1", "2", "2", "3", "3", "3", "4", "4", "3"], other: ["2", "3"] };
// Midline: 40 respondents, 20 women and 20 men; 30 feel safe after dark, 22 trust the police, 10 feel safe by day.
const MID_DARK = [...Array(30).fill("2"), ...Array(10).fill("3")];

describeEachDatabase("indicator tracking table", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let midlineId: string;
  let endlineId: string;
  let manager: HttpClient;
  let facilitator: HttpClient;
  let managerCookie: string;
  const context = () => ({ db: t.db, dialect, cspNonce: "", clientAddress: "127.0.0.1" }) as unknown as AppLoadContext;
  const page = async (query = "") =>
    (await trackingLoader({
      request: new Request(`http://localhost/programmes/${fixture.programme.id}/tracking?survey=${fixture.surveyId}${query}`, { headers: { Cookie: `sps_session=${managerCookie}` } }),
      context: context(),
      params: { programmeId: fixture.programme.id },
    } as never)) as Exclude<Awaited<ReturnType<typeof trackingLoader>>, Response>;
  const trackingPath = () => `/programmes/${fixture.programme.id}/tracking?survey=${fixture.surveyId}`;
  const setTargets = (client: HttpClient, indicator: string, fields: Record<string, string>) =>
    client.submit(trackingPath(), { survey: fixture.surveyId, indicator, baseline: "", ...fields });

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
    midlineId = await createRound(t.db, { programmeId: fixture.programme.id, name: "Midline", kind: "midline", startsOn: "2026-04-01", endsOn: "2026-06-30" });
    endlineId = await createRound(t.db, { programmeId: fixture.programme.id, name: "Endline", kind: "endline", startsOn: "2026-07-01", endsOn: "2026-09-30" });
    const m = await aUser(t.db, "Programme Manager");
    await setMembership(t.db, { programmeId: fixture.programme.id, userId: m.id, role: "manager" });
    managerCookie = await createSession(t.db, m.id);
    manager = new HttpClient(server.url);
    facilitator = new HttpClient(server.url);
    await manager.signIn(m.email, m.password);
    await facilitator.signIn(fixture.facilitator.email, fixture.facilitator.password);

    const submit = async (token: string, at: string, answers: Record<string, unknown>[]) => {
      const link = (await resolveLink(t.db, token))!;
      const items = answers.map((a) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: at, language: "en", answers: a }));
      expect((await ingestResponses(t.db, link, items)).every((r) => r.status === "created")).toBe(true);
    };
    let i = 0;
    const baseline = (Object.entries(BASE_DARK) as [string, string[]][]).flatMap(([gender, codes]) =>
      codes.map((c) => {
        const k = i++;
        return sdg16Answers({ gender, safe_after_dark: c, trust_police: k < 12 ? "1" : "3", safe_daytime: k < 12 ? "1" : "3", would_report_crime: "1" });
      }),
    );
    await submit(fixture.link.token, "2026-03-10T09:00:00.000Z", baseline);
    const midLink = await aLink(t.db, { surveyId: fixture.surveyId, mode: "kiosk", label: "Midline tablet", communityId: fixture.programme.communityId, roundId: midlineId, maxResponses: null, pin: null, createdBy: fixture.facilitator.id });
    await submit(
      midLink.token,
      "2026-05-10T09:00:00.000Z",
      MID_DARK.map((c, k) => sdg16Answers({ gender: k % 2 ? "man" : "woman", safe_after_dark: c, trust_police: k < 22 ? "3" : "1", safe_daytime: k < 10 ? "1" : "3" })),
    );
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a manager sets targets per round; a facilitator may not; a bad value names its field and changes nothing", async () => {
    expect((await setTargets(manager, "safe_after_dark_official", { [`target.${midlineId}`]: "50", [`target.${endlineId}`]: "55" })).status).toBe(200);
    expect((await setTargets(manager, "trust_police", { [`target.${endlineId}`]: "80" })).status).toBe(200);
    expect((await setTargets(manager, "safe_daytime", { [`target.${endlineId}`]: "90 %" })).status).toBe(200);

    const refused = await setTargets(facilitator, "trust_police", { [`target.${endlineId}`]: "10" });
    expect(refused.status).toBe(403);
    const bad = await setTargets(manager, "trust_police", { [`target.${midlineId}`]: "60", [`target.${endlineId}`]: "180" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("between 0 % and 100 %");
    const onBaseline = await setTargets(manager, "trust_police", { baseline: fixture.roundId, [`target.${fixture.roundId}`]: "60", [`target.${endlineId}`]: "80" });
    expect(onBaseline.status).toBe(400);

    const plans = await getPlans(t.db, fixture.surveyId);
    expect(Object.fromEntries(plans.get("safe_after_dark_official")!.targets)).toEqual({ [midlineId]: 0.5, [endlineId]: 0.55 });
    expect(Object.fromEntries(plans.get("trust_police")!.targets)).toEqual({ [endlineId]: 0.8 });
    expect(Object.fromEntries(plans.get("safe_daytime")!.targets)).toEqual({ [endlineId]: 0.9 });
    const audit = await t.db.selectFrom("audit_log").select(["action", "target"]).where("action", "=", "indicator.targets").execute();
    expect(audit.map((a) => a.target).sort()).toEqual(["indicator safe_after_dark_official", "indicator safe_daytime", "indicator trust_police"]);
  });

  it("the table's values match a hand computation and each status follows its rule", async () => {
    const { table } = await page();
    const row = (id: string) => table!.rows.find((r) => r.indicatorId === id && !r.group)!;
    expect(table!.rounds.map((r) => r.label)).toEqual([expect.stringMatching(/^Baseline/), "Midline", "Endline"]);

    // Safe after dark: 8/24 → 30/40; the whole midline interval (from 59.8%) is beyond the last target of 55%.
    const dark = row("safe_after_dark_official");
    const mid = wilson(30, 40);
    expect(dark.baseline).toMatchObject({ n: 24, suppressed: false });
    expect(dark.baseline!.value).toBeCloseTo(8 / 24, 12);
    const midCell = dark.cells.find((c) => c.roundId === midlineId)!;
    expect(midCell).toMatchObject({ target: 0.5, actual: { n: 40, suppressed: false } });
    expect(midCell.actual!.low).toBeCloseTo(mid.low!, 12);
    expect(midCell.variance).toBeCloseTo(0.25, 12);
    expect(midCell.achieved).toBeCloseTo((0.75 - 8 / 24) / (0.5 - 8 / 24), 12);
    const change = newcombe(8, 24, 30, 40);
    expect(dark.change!.diff).toBeCloseTo(change.diff!, 12);
    expect(dark.change!.verdict).toBe("clear improvement");
    expect(dark.finalTarget).toBe(0.55);
    expect(dark.variance).toBeCloseTo(0.2, 12);
    expect(dark.status).toBe("target met");

    // Trust in police: 50% → 55% (40–69%); on the path to 80% by endline the midline should be at 65%: reachable.
    const police = row("trust_police");
    expect(police.expected).toBeCloseTo(0.65, 12);
    expect(police.status).toBe("on track");
    expect(police.achieved).toBeCloseTo((0.55 - 0.5) / (0.8 - 0.5), 12);
    expect(police.change!.verdict).toBe("no clear change");

    // Safe by day: 50% → 25% (14–40%); the path to 90% expects 70%: behind beyond doubt.
    const day = row("safe_daytime");
    expect(day.expected).toBeCloseTo(0.7, 12);
    expect(day.status).toBe("not on track");

    // No target: not enough data, and it says so.
    expect(row("would_report_crime")).toMatchObject({ status: "not enough data", statusReason: "no target set" });
    expect(table!.source).toContain("rounds with responses: Baseline");
    expect(table!.frequency).toContain("3 planned");
  });

  it("rows per gender hide the small group, and the group that would give it away, in page, CSV and workbook", async () => {
    const { table } = await page("&by=gender");
    const rows = table!.rows.filter((r) => r.indicatorId === "safe_after_dark_official" && r.group);
    const of = (g: string) => rows.find((r) => r.group!.value === g)!;
    expect(of("woman").baseline).toMatchObject({ n: 12, suppressed: false });
    expect(of("woman").baseline!.value).toBeCloseTo(3 / 12, 12);
    // "other" has 2 baseline respondents (below 5); men would give it away by subtraction from the total.
    expect(of("other").baseline).toMatchObject({ n: null, value: null, suppressed: true });
    expect(of("man").baseline).toMatchObject({ n: null, value: null, suppressed: true });
    expect(of("man").change).toBeNull();
    // Midline has 20 women and 20 men and nobody else: both shown.
    expect(of("man").cells.find((c) => c.roundId === midlineId)!.actual).toMatchObject({ n: 20, suppressed: false });
    expect(of("other").status).toBe("not enough data");

    const csv = await manager.get(`/programmes/${fixture.programme.id}/tracking.csv?survey=${fixture.surveyId}&by=gender`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const parsed = Papa.parse<string[]>(csv.text.replace(/^\uFEFF/, "")).data;
    const header = parsed[0];
    const line = (group: string) => parsed.find((r) => r[0].startsWith("Feel safe walking alone after dark (SDG 16.1.4, official)") && r[1] === group)!;
    expect(line("Gender: Other, or prefer not to say")[header.indexOf("Baseline n")]).toBe("suppressed");
    expect(line("Gender: Man")[header.indexOf("Baseline (% or mean)")]).toBe("suppressed");
    expect(line("Gender: Woman")[header.indexOf("Baseline n")]).toBe("12");
    expect(line("All respondents")[header.indexOf("Midline actual (% or mean)")]).toBe("75");
    expect(line("All respondents")[header.indexOf("Status")]).toBe("target met");

    const xlsx = await fetch(`${server.url}/programmes/${fixture.programme.id}/tracking.xlsx?survey=${fixture.surveyId}&by=gender`, { headers: { Cookie: [...manager.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.getWorksheet("Tracking table")!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    const headers = (ws.getRow(3).values as unknown[]).slice(1);
    const col = (h: string) => headers.indexOf(h) + 1;
    const find = (group: string) => {
      for (let r = 4; r <= ws.rowCount; r++) if (String(ws.getCell(r, 1).value).includes("official") && ws.getCell(r, 2).value === group) return ws.getRow(r);
      throw new Error(group);
    };
    expect(find("Gender: Other, or prefer not to say").getCell(col("Baseline n")).value).toBe("suppressed");
    expect(find("Gender: Woman").getCell(col("Baseline")).value).toBeCloseTo(0.25, 12);
    expect(find("Gender: Woman").getCell(col("Baseline")).numFmt).toBe("0.0%");
    expect(find("All respondents").getCell(col("Midline target")).value).toBe(0.5);
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["Ref safe_after_dark_official", "Method and suppression"]));
    const ref = wb.getWorksheet("Ref safe_after_dark_official")!;
    const refText = ref.getSheetValues().flat().join(" ");
    expect(refText).toContain("Question wording (Français)");
    expect(refText).toContain("Midline: 50.0%; Endline: 55.0%");
  });
});

describeEachDatabase("targets stored in a definition before targets per round", (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
  });
  afterAll(async () => {
    await t?.drop();
  });
  it("move to the round whose dates hold the target date, else the last round begun by then", async () => {
    const fixture = await aPublishedSurvey(t.db, {
      edit: (d) => {
        Object.assign(d.indicators.find((i: { id: string }) => i.id === "trust_police"), { target: 0.6, targetDate: "2026-06-15" });
        Object.assign(d.indicators.find((i: { id: string }) => i.id === "safe_daytime"), { target: 0.8, targetDate: "2028-01-01" });
      },
    });
    const later = await createRound(t.db, { programmeId: fixture.programme.id, name: "Endline", kind: "endline", startsOn: "2027-01-01", endsOn: "2027-03-31" });
    const migration = m0017_indicator_targets(dialect);
    await migration.down!(t.db as never);
    await migration.up(t.db as never);
    const plans = await getPlans(t.db, fixture.surveyId);
    expect(Object.fromEntries(plans.get("trust_police")!.targets)).toEqual({ [fixture.roundId]: 0.6 });
    expect(Object.fromEntries(plans.get("safe_daytime")!.targets)).toEqual({ [later]: 0.8 });
    expect(plans.has("safe_after_dark_official")).toBe(false);
  });
});

describe("the tracking table's status words", () => {
  it("are the four the page documents", async () => {
    const { STATUS_RULES } = await import("../../app/dashboard/tracking");
    expect(Object.keys(STATUS_RULES)).toEqual(["target met", "on track", "not on track", "not enough data"]);
  });
});
