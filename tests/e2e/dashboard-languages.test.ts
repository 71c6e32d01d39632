// In Chromium: the dashboard's figures in Arabic on a tablet (800×1280) and in French on a desktop
// (1440×900). The table behind a chart opens with its caption, column headers and cells in the
// page's language, the chart's canvas is labelled in it, and French numbers carry a decimal comma.
// Screenshots of the open table and chart are kept for people to look at.
import path from "node:path";
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR } from "../support/screenshots";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { chartsDrawn } from "../support/ui";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";

const WOMEN = ["1", "1", "2", "2", "2", "2", "3", "3", "3", "4", "5", "99"];
const MEN = ["1", "1", "1", "2", "2", "2", "2", "3", "3", "4"];

describe.skipIf(!hasChromium())("the dashboard's figures in Arabic and in French, in Chromium", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  let s: Awaited<ReturnType<typeof aPublishedSurvey>>;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    browser = await launchChromium();
    s = await aPublishedSurvey(t.db);
    const link = (await resolveLink(t.db, s.link.token))!;
    const answers = [...WOMEN.map((c) => sdg16Answers({ safe_after_dark: c, gender: "woman" })), ...MEN.map((c) => sdg16Answers({ safe_after_dark: c, gender: "man" }))];
    await ingestResponses(t.db, link, answers.map((a) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-03-10T09:00:00.000Z", language: "en", answers: a })));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  async function signIn(page: Page, button: string) {
    await page.goto(`${server.url}/login`);
    await page.locator('input[name="email"]').fill(s.facilitator.email);
    await page.locator('input[name="password"]').fill(s.facilitator.password);
    await page.getByRole("button", { name: button }).click();
    await page.waitForURL((url) => url.pathname !== "/login");
  }

  /** Opens the first indicator's table, and shoots the chart and table in the window. */
  async function openFirstTable(page: Page, summary: string, name: string) {
    const section = page.locator("section.indicator").first();
    await section.locator("summary", { hasText: summary }).click();
    await section.locator("table caption").waitFor();
    await section.scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector("section.indicator")?.scrollIntoView());
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `words-${name}.png`) });
    return section;
  }

  it("Arabic on a tablet: the chart's table in Arabic, right to left", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: TABLET, locale: "ar" });
    const page = await context.newPage();
    await signIn(page, "تسجيل الدخول");
    await page.goto(`${server.url}/programmes/${s.programme.id}/dashboard?by=gender`);
    await page.locator('html[lang="ar"][dir="rtl"]').waitFor();
    await chartsDrawn(page);
    const section = await openFirstTable(page, "جدول هذه الأرقام", "dashboard-ar-tablet");
    expect(await section.locator("thead th").allInnerTexts()).toEqual(["الفترة", "الفئة", "العدد", "القيمة (%)", "الحد الأدنى 95%", "الحد الأعلى 95%", "أثر التصميم", "الحجم الفعلي", "ملاحظة"]);
    expect(await section.locator("tbody").innerText()).toContain("جميع المجيبين");
    expect(await section.locator("canvas").first().getAttribute("aria-label")).toContain("الأرقام في الجدول أسفل الرسم");
    expect(await section.getByRole("link", { name: "تنزيل هذه الأرقام (CSV)" }).count()).toBe(1);
    expect(await page.locator(".headline-meta").first().innerText()).toMatch(/فترة الثقة 95%: \d+%–\d+% · العدد = 22/);
    await context.close();
  });

  it("French on a desktop: the gap between women and men, with decimal commas", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: "fr-FR" });
    const page = await context.newPage();
    await signIn(page, "Se connecter");
    await page.goto(`${server.url}/programmes/${s.programme.id}/dashboard?by=gender`);
    await page.locator('html[lang="fr"]').waitFor();
    await chartsDrawn(page);
    const section = await openFirstTable(page, "Tableau de ces chiffres", "dashboard-fr-desktop");
    expect(await section.locator("thead th").allInnerTexts()).toEqual(["Période", "Groupe", "n", "Valeur (%)", "Borne basse à 95 %", "Borne haute à 95 %", "Effet de plan", "n effectif", "Note"]);
    // 6 of 12 women feel safe after dark: 50,0 % (Wilson 25,4–74,6).
    expect(await section.locator("tbody tr", { hasText: "Femme" }).innerText()).toMatch(/Femme\s+12\s+50,0\s+25,4\s+74,6/);
    await page.goto(`${server.url}/programmes/${s.programme.id}/dashboard?indicator=${s.definition.indicators[0].id}&view=gap`);
    await chartsDrawn(page);
    const gap = page.locator("table", { has: page.locator("thead th", { hasText: "Écart (points)" }) });
    await gap.waitFor();
    expect(await gap.locator("caption").innerText()).toMatch(/ moins /);
    await gap.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, "words-gap-fr-desktop.png") });
    await context.close();
  });
});
