// The dashboard engine in the staff language, over real HTTP on each database: a facilitator
// reading in French, then in Arabic, sees the figures' headlines, captions, column headers, cells
// and the reasons a panel is not shown in that language, with numbers written the French way on
// the page — and the CSV download of the same table has the headers in French but dot decimals,
// so a spreadsheet or a script still reads the numbers.
import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { htmlLanguage, visibleText } from "../support/page-text";
import { englishLeft } from "../support/english-left";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";

// safe_after_dark by gender: 12 women (6 feel safe), 10 men (7 safe), 2 "other" (below the minimum of 5).
const WOMEN = ["1", "1", "2", "2", "2", "2", "3", "3", "3", "4", "5", "99"];
const MEN = ["1", "1", "1", "2", "2", "2", "2", "3", "3", "4"];
const OTHER = ["2", "3"];

describeEachDatabase("the dashboard engine in French and in Arabic", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let s: Awaited<ReturnType<typeof aPublishedSurvey>>;

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    s = await aPublishedSurvey(t.db);
    const link = (await resolveLink(t.db, s.link.token))!;
    const answers = [
      ...WOMEN.map((c) => sdg16Answers({ safe_after_dark: c, gender: "woman" })),
      ...MEN.map((c) => sdg16Answers({ safe_after_dark: c, gender: "man" })),
      ...OTHER.map((c) => sdg16Answers({ safe_after_dark: c, gender: "other" })),
    ];
    const results = await ingestResponses(t.db, link, answers.map((a) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-03-10T09:00:00.000Z", language: "en", answers: a })));
    expect(results.every((r) => r.status === "created")).toBe(true);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  const as = async (language: "fr" | "ar") => {
    const browser = new HttpClient(server.url);
    await browser.signIn(s.facilitator.email, s.facilitator.password);
    expect((await browser.submit("/settings", { intent: "language", language })).status).toBe(200);
    return browser;
  };
  const base = () => `/programmes/${s.programme.id}/dashboard`;
  const panel = (name: string) => `?indicator=${s.definition.indicators[0].id}&view=${name}`;
  const views = () => ["", "?by=gender", "?by=community,gender", "?period=month", panel("gap"), panel("answers"), panel("communities"), "?g.gender=woman&g.age_band=25_34", "?period=month&by=gender"];

  it("in French: headlines, tables and panels in French, numbers with a decimal comma, no English left", async () => {
    const browser = await as("fr");
    for (const v of views()) {
      const reply = await browser.get(`${base()}${v}`);
      expect(reply.status, v).toBe(200);
      expect(htmlLanguage(reply.text).lang).toBe("fr");
      expect(englishLeft(reply.text, "fr"), v).toEqual([]);
    }
    const html = (await browser.get(`${base()}?by=gender`)).text;
    const page = visibleText(html);
    // 24 answered safe_after_dark; the column headers, the group label and the "other" group hidden.
    expect(page).toContain("Tableau de ces chiffres");
    expect(page).toMatch(/Période Groupe n Valeur \(%\) Borne basse à 95 % Borne haute à 95 %/);
    expect(page).toContain("Tous les répondants");
    expect(page).toContain("masqué");
    expect(page).toContain("58 % Baseline");
    expect(page).toContain("Intervalle à 95 % : 39 %–76 % · n = 24");
    // 6 of 12 women feel safe: 50.0% (Wilson 25.4–74.6), written the French way; the 2 "other" hidden.
    expect(page).toContain("Femme 12 50,0 25,4 74,6");
    expect(page).toMatch(/Autre, ou préfère ne pas répondre masqué masqué/);
    // Two groups at once are not published, and the page says so in French.
    expect(visibleText((await browser.get(`${base()}?g.gender=woman&g.age_band=25_34`)).text)).toContain("Gardez un seul groupe à la fois");

    // The CSV of the same table: French headers, dot decimals.
    const csv = await browser.get(`/programmes/${s.programme.id}/dashboard.csv?by=gender&table=${/id="table-(trend-[^"]+)"/.exec(html)![1]}`);
    expect(csv.status).toBe(200);
    const rows = Papa.parse<string[]>(csv.text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual(["Période", "Groupe", "n", "Valeur (%)", "Borne basse à 95 %", "Borne haute à 95 %", "Effet de plan", "n effectif", "Note"]);
    expect(rows.some((r) => /^\d+\.\d$/.test(r[3])), JSON.stringify(rows)).toBe(true);
    expect(rows.some((r) => r[3] === "masqué")).toBe(true);
  });

  it("in Arabic: the same pages right to left with the engine's words in Arabic", async () => {
    const browser = await as("ar");
    for (const v of views()) {
      const reply = await browser.get(`${base()}${v}`);
      expect(reply.status, v).toBe(200);
      expect(htmlLanguage(reply.text)).toEqual({ lang: "ar", dir: "rtl" });
      expect(englishLeft(reply.text, "ar"), v).toEqual([]);
    }
    const page = visibleText((await browser.get(`${base()}?by=gender`)).text);
    expect(page).toContain("جدول هذه الأرقام");
    expect(page).toContain("جميع المجيبين");
    expect(page).toContain("فترة الثقة 95%");
    expect(page).toContain("مخفي");
    const answers = visibleText((await browser.get(`${base()}${panel("answers")}`)).text);
    expect(answers).toContain("الإجابات المقدَّمة، بالنسبة المئوية من المجيبين عن السؤال الفترة الفئة العدد");
    const gap = visibleText((await browser.get(`${base()}${panel("gap")}`)).text);
    expect(gap).toMatch(/الفترة الفرق \(نقاط\) الحد الأدنى 95% الحد الأعلى 95% القراءة/);
  });
});
