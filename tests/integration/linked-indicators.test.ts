// Linked indicators and date targets, on each database. A programme ran a baseline survey and then a
// redesigned endline survey whose "feel safe after dark" indicator and question have new ids but the
// same meaning. A manager links the two over HTTP: the tracking table reads them as one series, each
// round's figure from the one survey that collected in it (the viewed one when both did), with its
// source shown in the page, the CSV and the workbook; every figure of the linked row is a figure of
// one survey's own table (so the link publishes nothing new), small groups stay hidden, a link between
// indicators whose wording differs is refused naming the field and changes nothing, and a facilitator
// may not link. Targets for a date are set beside targets per round and decide the status on the path.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
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
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { getPlans } from "../../app/models/indicator-targets.server";
import { getLinks } from "../../app/models/indicator-links.server";
import { getTemplate } from "../../app/survey-templates.server";
import { newcombe, wilson } from "../../app/stats/statistics";
import { loader as trackingLoader } from "../../app/routes/programmes.$programmeId.tracking";
import { loader as dashboardLoader } from "../../app/routes/programmes.$programmeId.dashboard";
import type { TrackingRow } from "../../app/dashboard/tracking.server";

type Def = { questions: { id: string; label: Record<string, string> }[]; indicators: { id: string; question: string }[] };

/** The endline survey: the after-dark question and indicator renamed, the police question reworded. */
function redesigned(): Def {
  const d = structuredClone(getTemplate("sdg16_core")!.definition) as unknown as Def;
  d.questions.find((q) => q.id === "safe_after_dark")!.id = "feel_safe_night";
  for (const i of d.indicators) if (i.question === "safe_after_dark") i.question = "feel_safe_night";
  d.indicators.find((i) => i.id === "safe_after_dark_official")!.id = "safe_night";
  d.questions.find((q) => q.id === "trust_police")!.label.en = "How much do you trust the police in your area?";
  return d;
}

// Who answers, per survey and round: [women safe, women not, men safe, men not, other safe, other not].
const BASELINE_A = [3, 7, 2, 6, 1, 1]; // 20 respondents, 6 safe; 2 "other": hidden
const MIDLINE_A = [3, 2, 3, 2, 0, 0]; // 10, 6 safe
const MIDLINE_B = [5, 1, 4, 2, 0, 0]; // 12, 9 safe
const ENDLINE_B = [12, 3, 12, 3, 0, 0]; // 30, 24 safe

describeEachDatabase("linked indicators across surveys, and targets for a date", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let surveyB: string;
  let midlineId: string;
  let endlineId: string;
  let manager: HttpClient;
  let facilitator: HttpClient;
  let managerCookie: string;
  const context = () => ({ db: t.db, dialect, cspNonce: "", clientAddress: "127.0.0.1" }) as unknown as AppLoadContext;
  const table = async (surveyId: string, query = "") =>
    (
      (await trackingLoader({
        request: new Request(`http://localhost/programmes/${fixture.programme.id}/tracking?survey=${surveyId}${query}`, { headers: { Cookie: `sps_session=${managerCookie}` } }),
        context: context(),
        params: { programmeId: fixture.programme.id },
      } as never)) as Exclude<Awaited<ReturnType<typeof trackingLoader>>, Response>
    ).table!;
  const trackingPath = (surveyId: string) => `/programmes/${fixture.programme.id}/tracking?survey=${surveyId}`;
  const rowOf = (rows: TrackingRow[], id: string, group: string | null = null) => rows.find((r) => r.indicatorId === id && (r.group?.value ?? null) === group)!;
  type Block = {
    headline: { indicatorId: string; change: string | null; verdict: string | null; target: string | null; linked?: string | null };
    chart: { periods: string[]; lines: { points: ({ value: number } | null)[] }[]; targetMarks?: { at: number; value: number; label: string }[] };
    table: { rows: string[][] };
  };
  const dashboard = async (surveyId: string) =>
    (await dashboardLoader({
      request: new Request(`http://localhost/programmes/${fixture.programme.id}/dashboard?survey=${surveyId}`, { headers: { Cookie: `sps_session=${managerCookie}` } }),
      context: context(),
      params: { programmeId: fixture.programme.id },
    } as never)) as { dashboard: { blocks: Block[] } };
  const cell = (row: TrackingRow, roundId: string) => row.cells.find((c) => c.roundId === roundId)!;

  const collect = async (surveyId: string, roundId: string, at: string, counts: number[]) => {
    const link = await aLink(t.db, { surveyId, mode: "kiosk", label: `Tablet ${randomUUID().slice(0, 4)}`, communityId: fixture.programme.communityId, roundId, maxResponses: null, pin: null, createdBy: fixture.facilitator.id });
    const darkQuestion = surveyId === fixture.surveyId ? "safe_after_dark" : "feel_safe_night";
    const answers = (["woman", "man", "other"] as const).flatMap((gender, g) => [
      ...Array.from({ length: counts[2 * g] }, () => ({ gender, safe: true })),
      ...Array.from({ length: counts[2 * g + 1] }, () => ({ gender, safe: false })),
    ]);
    const items = answers.map((a) => {
      const base = sdg16Answers({ gender: a.gender }) as Record<string, unknown>;
      delete base.safe_after_dark;
      return { id: randomUUID(), surveyVersion: 1, collectedAt: at, language: "en", answers: { ...base, [darkQuestion]: a.safe ? "2" : "3" } };
    });
    const results = await ingestResponses(t.db, (await resolveLink(t.db, link.token))!, items);
    expect(results.filter((r) => r.status !== "created")).toEqual([]);
  };

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
    await t.db.updateTable("surveys").set({ title: "Baseline survey" }).where("id", "=", fixture.surveyId).execute();
    surveyB = await createSurvey(t.db, { programmeId: fixture.programme.id, definition: redesigned() as never, createdBy: fixture.facilitator.id });
    expect((await publishDraft(t.db, surveyB, fixture.facilitator.id)).ok).toBe(true);
    await t.db.updateTable("surveys").set({ title: "Endline survey" }).where("id", "=", surveyB).execute();
    midlineId = await createRound(t.db, { programmeId: fixture.programme.id, name: "Midline", kind: "midline", startsOn: "2027-01-01", endsOn: "2027-03-31" });
    endlineId = await createRound(t.db, { programmeId: fixture.programme.id, name: "Endline", kind: "endline", startsOn: "2027-04-01", endsOn: "2027-06-30" });
    const m = await aUser(t.db, "Programme Manager");
    await setMembership(t.db, { programmeId: fixture.programme.id, userId: m.id, role: "manager" });
    managerCookie = await createSession(t.db, m.id);
    manager = new HttpClient(server.url);
    facilitator = new HttpClient(server.url);
    await manager.signIn(m.email, m.password);
    await facilitator.signIn(fixture.facilitator.email, fixture.facilitator.password);

    await collect(fixture.surveyId, fixture.roundId, "2026-03-10T09:00:00.000Z", BASELINE_A);
    await collect(fixture.surveyId, midlineId, "2026-06-10T09:00:00.000Z", MIDLINE_A);
    await collect(surveyB, midlineId, "2026-06-11T09:00:00.000Z", MIDLINE_B);
    await collect(surveyB, endlineId, "2026-09-10T09:00:00.000Z", ENDLINE_B);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a link between indicators whose wording differs is refused, naming the field; a facilitator may not link; nothing changes", async () => {
    const reworded = await manager.submit(trackingPath(surveyB), { survey: surveyB, indicator: "trust_police", intent: "link", link: `${fixture.surveyId} trust_police` });
    expect(reworded.status).toBe(400);
    const qIndex = redesigned().questions.findIndex((q) => q.id === "trust_police");
    expect(reworded.text).toContain(`questions.${qIndex}.label.en`);
    expect(reworded.text).toContain("wording changed");

    const otherMeaning = await manager.submit(trackingPath(surveyB), { survey: surveyB, indicator: "safe_night", intent: "link", link: `${fixture.surveyId} safe_daytime` });
    expect(otherMeaning.status).toBe(400);
    expect(otherMeaning.text).toContain("Not comparable");

    const byFacilitator = await facilitator.submit(trackingPath(surveyB), { survey: surveyB, indicator: "safe_night", intent: "link", link: `${fixture.surveyId} safe_after_dark_official` });
    expect(byFacilitator.status).toBe(403);

    expect((await getLinks(t.db, surveyB)).size).toBe(0);
    const audit = await t.db.selectFrom("audit_log").select("action").where("action", "in", ["indicator.link", "indicator.unlink"]).execute();
    expect(audit).toEqual([]);
  });

  it("linked, the endline survey's row reads the baseline survey's baseline, each round from one survey, with its source", async () => {
    const aAlone = await table(fixture.surveyId);
    const bAlone = await table(surveyB);
    // Unlinked, the endline survey has no baseline figure for the indicator.
    expect(rowOf(bAlone.rows, "safe_night").baseline).toBeNull();

    const linked = await manager.submit(trackingPath(surveyB), { survey: surveyB, indicator: "safe_night", intent: "link", link: `${fixture.surveyId} safe_after_dark_official` });
    expect(linked.status).toBe(200);
    const audit = await t.db.selectFrom("audit_log").select(["action", "target", "survey_id"]).where("action", "=", "indicator.link").execute();
    expect(audit).toEqual([{ action: "indicator.link", target: "indicator safe_night", survey_id: surveyB }]);
    // Each end is in one link at most.
    const again = await manager.submit(trackingPath(fixture.surveyId), { survey: fixture.surveyId, indicator: "safe_after_dark_official", intent: "link", link: `${surveyB} safe_night` });
    expect(again.status).toBe(400);
    expect(again.text).toContain("already linked");

    const b = await table(surveyB);
    const row = rowOf(b.rows, "safe_night");
    expect(row.linked).toMatchObject({ surveyId: fixture.surveyId, title: "Baseline survey", indicatorId: "safe_after_dark_official" });
    // Baseline from the baseline survey (6 of 20), midline from the endline survey (9 of 12: it collected then too), endline 24 of 30.
    expect(row.baselineRoundId).toBe(fixture.roundId);
    expect(row.baseline!.value).toBeCloseTo(6 / 20, 12);
    expect(cell(row, fixture.roundId).source).toMatchObject({ surveyId: fixture.surveyId, version: 1, indicatorId: "safe_after_dark_official" });
    expect(cell(row, midlineId).actual!.value).toBeCloseTo(9 / 12, 12);
    expect(cell(row, midlineId).source!.surveyId).toBe(surveyB);
    expect(cell(row, endlineId).actual!.value).toBeCloseTo(24 / 30, 12);
    const w = wilson(24, 30);
    expect(cell(row, endlineId).actual!.low).toBeCloseTo(w.low!, 12);
    // One community: a simple random sample; the change is Newcombe's between the two surveys' rounds.
    const change = newcombe(6, 20, 24, 30);
    expect(row.change!.diff).toBeCloseTo(change.diff!, 12);
    expect(row.change!.low).toBeCloseTo(change.low!, 12);
    expect(row.change!.verdict).toBe("clear improvement");
    expect(b.source).toContain("linked indicators: Baseline survey (version 1) for Baseline");

    // Seen from the baseline survey, the midline is its own (6 of 10) and the endline the endline survey's.
    const a = await table(fixture.surveyId);
    const fromA = rowOf(a.rows, "safe_after_dark_official");
    expect(cell(fromA, midlineId).actual!.value).toBeCloseTo(6 / 10, 12);
    expect(cell(fromA, endlineId).source!.surveyId).toBe(surveyB);

    // No new figure: every linked figure is the same cell of its source survey's own table.
    for (const [view, id] of [
      [b, "safe_night"],
      [a, "safe_after_dark_official"],
    ] as const) {
      for (const c of rowOf(view.rows, id).cells) {
        if (!c.actual) continue;
        const alone = c.source!.surveyId === fixture.surveyId ? aAlone : bAlone;
        expect(cell(rowOf(alone.rows, c.source!.indicatorId), c.roundId).actual).toEqual(c.actual);
      }
    }

    // The CSV says where each figure comes from.
    const csv = await manager.get(`/programmes/${fixture.programme.id}/tracking.csv?survey=${surveyB}`);
    const parsed = Papa.parse<string[]>(csv.text.replace(/^\uFEFF/, "")).data;
    const header = parsed[0];
    const line = parsed.find((r) => r[0].startsWith("Feel safe walking alone after dark (SDG 16.1.4, official)"))!;
    const baselineLabel = b.rounds[0].label;
    expect(line[header.indexOf(`${baselineLabel} source`)]).toBe("Baseline survey v1 (safe_after_dark_official)");
    expect(line[header.indexOf("Endline source")]).toBe("Endline survey v1 (safe_night)");
    expect(line[header.indexOf("Baseline (% or mean)")]).toBe("30");

    // The dashboard's trend and headline read the same series, and say where the baseline comes from.
    const dash = await dashboard(surveyB);
    const block = dash.dashboard.blocks.find((x) => x.headline.indicatorId === "safe_night")!;
    expect(block.chart.periods).toEqual([baselineLabel, "Midline", "Endline"]);
    expect(block.chart.lines[0].points.map((p) => p && Math.round(p.value * 1000) / 1000)).toEqual([0.3, 0.75, 0.8]);
    expect(block.headline.verdict).toBe("clear improvement");
    expect(block.headline.change).toContain(`+50 points since ${baselineLabel}`);
    expect(block.headline.linked).toBe(`Linked with Baseline survey: ${baselineLabel} from Baseline survey v1 (safe_after_dark_official)`);
    expect(block.table.rows.find((r) => r[0] === baselineLabel)!.at(-1)).toContain("from Baseline survey v1");
    // An indicator without a link keeps its own rounds only.
    expect(dash.dashboard.blocks.find((x) => x.headline.indicatorId === "safe_daytime")!.chart.periods).toEqual(["Midline", "Endline"]);
  });

  it("rows per gender keep small groups hidden across the link, as the baseline survey's own table hides them", async () => {
    const b = await table(surveyB, "&by=gender");
    const a = await table(fixture.surveyId, "&by=gender");
    for (const g of ["woman", "man", "other"]) {
      const linked = cell(rowOf(b.rows, "safe_night", g), fixture.roundId).actual;
      const own = cell(rowOf(a.rows, "safe_after_dark_official", g), fixture.roundId).actual;
      expect(linked).toEqual(own);
    }
    // "Other" has 2 baseline respondents; men would give them away by subtraction.
    expect(cell(rowOf(b.rows, "safe_night", "other"), fixture.roundId).actual).toMatchObject({ suppressed: true, value: null, n: null });
    expect(cell(rowOf(b.rows, "safe_night", "man"), fixture.roundId).actual).toMatchObject({ suppressed: true, value: null, n: null });
    expect(rowOf(b.rows, "safe_night", "man").change).toBeNull();
    expect(cell(rowOf(b.rows, "safe_night", "woman"), fixture.roundId).actual).toMatchObject({ n: 10, suppressed: false });

    const xlsx = await fetch(`${server.url}/programmes/${fixture.programme.id}/tracking.xlsx?survey=${surveyB}&by=gender`, { headers: { Cookie: [...manager.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const ws = wb.getWorksheet("Tracking table")!;
    const headers = (ws.getRow(3).values as unknown[]).slice(1);
    const col = (h: string) => headers.indexOf(h) + 1;
    const find = (group: string) => {
      for (let r = 4; r <= ws.rowCount; r++) if (String(ws.getCell(r, 1).value).includes("official") && ws.getCell(r, 2).value === group) return ws.getRow(r);
      throw new Error(group);
    };
    expect(find("Gender: Man").getCell(col("Baseline")).value).toBe("suppressed");
    expect(find("Gender: Woman").getCell(col("Baseline")).value).toBeCloseTo(3 / 10, 12);
    expect(find("All respondents").getCell(col(`${b.rounds[0].label} source`)).value).toBe("Baseline survey v1 (safe_after_dark_official)");
  });

  it("targets for a date: set with the round targets, shown in the round holding the date, and on the path for the status", async () => {
    const bad = await manager.submit(trackingPath(surveyB), { survey: surveyB, indicator: "safe_night", baseline: "", "dateTarget.0.on": "2027-02-30", "dateTarget.0.value": "80" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("dateTarget.0.on");
    const noValue = await manager.submit(trackingPath(surveyB), { survey: surveyB, indicator: "safe_night", baseline: "", "dateTarget.0.on": "2027-06-30", "dateTarget.0.value": "" });
    expect(noValue.status).toBe(400);
    expect((await getPlans(t.db, surveyB)).get("safe_night")).toBeUndefined();

    const ok = await manager.submit(trackingPath(surveyB), {
      survey: surveyB,
      indicator: "safe_night",
      baseline: "",
      [`target.${midlineId}`]: "60",
      "dateTarget.0.on": "2027-06-30",
      "dateTarget.0.value": "80",
      "dateTarget.1.on": "2027-12-31",
      "dateTarget.1.value": "90",
      "dateTarget.2.on": "",
      "dateTarget.2.value": "",
    });
    expect(ok.status).toBe(200);
    expect((await getPlans(t.db, surveyB)).get("safe_night")!.dates).toEqual([
      { on: "2027-06-30", value: 0.8 },
      { on: "2027-12-31", value: 0.9 },
    ]);
    const audit = await t.db.selectFrom("audit_log").select("details").where("action", "=", "indicator.targets").execute();
    expect(JSON.stringify(audit.at(-1)!.details)).toContain("2027-12-31");

    const row = rowOf((await table(surveyB)).rows, "safe_night");
    expect(row.dateTargets).toHaveLength(2);
    // 30 June is the endline's last day: shown in the endline's cell, and the value expected by then.
    expect(cell(row, endlineId).dateTargets).toEqual([{ on: "2027-06-30", value: 0.8 }]);
    // The last target is 90% by 31 December; the endline's interval (62.7–90.5%) does not reach it
    // wholly but does reach the 80% expected by the endline: on track.
    expect(row.finalTarget).toBe(0.9);
    expect(row.status).toBe("on track");
    expect(row.expected).toBeCloseTo(0.8, 12);
    expect(row.variance).toBeCloseTo(0.8 - 0.9, 12);
    expect(row.achieved).toBeCloseTo((0.8 - 0.3) / (0.9 - 0.3), 12);

    // The trend marks each target where it falls, and the headline aims at the last one.
    const block = (await dashboard(surveyB)).dashboard.blocks.find((x) => x.headline.indicatorId === "safe_night")!;
    expect(block.headline.target).toMatch(/^Target 90% by 2027-12-31/);
    const marks = block.chart.targetMarks!;
    expect(marks.map((m) => [m.value, m.label])).toEqual([
      [0.6, ""],
      [0.8, "by 2027-06-30"],
      [0.9, "by 2027-12-31"],
    ]);
    // Midline is the second period, 30 June the endline's last day (the third), 31 December 184 days on at the 91-day pace.
    expect(marks.map((m) => m.at)).toEqual([1, 2, expect.closeTo(2 + 184 / 91, 12)]);

    const page = await manager.get(trackingPath(surveyB));
    expect(page.text).toContain("target 80.0% by 2027-06-30");
    expect(page.text).toContain("target 90.0% by 2027-12-31");
  });

  it("a manager removes the link: the rows read one survey again, audited", async () => {
    const removed = await manager.submit(trackingPath(fixture.surveyId), { survey: fixture.surveyId, indicator: "safe_after_dark_official", intent: "unlink" });
    expect(removed.status).toBe(200);
    expect((await getLinks(t.db, surveyB)).size).toBe(0);
    const row = rowOf((await table(surveyB)).rows, "safe_night");
    expect(row.linked).toBeNull();
    expect(row.baseline).toBeNull();
    expect(cell(row, fixture.roundId).actual).toBeNull();
    const audit = await t.db.selectFrom("audit_log").select(["action", "target"]).where("action", "=", "indicator.unlink").execute();
    expect(audit).toEqual([{ action: "indicator.unlink", target: "indicator safe_after_dark_official" }]);
  });
});

