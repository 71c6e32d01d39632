// In a real Chromium: a programme manager opens the demo dashboard, splits the trends by gender and
// then by community, opens the gap between women and men, downloads the CSV behind a table and
// finds the same numbers, and prints the programme report. Axe finds no serious problems.
import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, TMP_DIR, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotBothSizes } from "../support/screenshots";
import { seriousViolations } from "../support/axe";
import { chartsDrawn, signInAs } from "../support/ui";
import { DEMO_ACCOUNTS, loadDemo } from "../../app/demo/demo.server";

/** The cells of a table on the page, header row first, as the reader sees them. */
async function tableCells(page: Page, selector: string): Promise<string[][]> {
  return page.locator(selector).evaluate((table) =>
    [...table.querySelectorAll("tr")].map((tr) => [...tr.querySelectorAll("th, td")].map((c) => (c.textContent ?? "").trim())),
  );
}

describe.skipIf(!hasChromium())("a manager reads the dashboard and prints the report in Chromium", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  let programmeId: string;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    programmeId = (await loadDemo(t.db)).programmeId;
    server = await startServer(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  it("split by gender, then community; the gap; a CSV that matches; the printed report", async () => {
    const manager = DEMO_ACCOUNTS.find((a) => a.key === "manager")!;
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInAs(page, server.url, manager.email, manager.password);

    await page.goto(`${server.url}/programmes/${programmeId}`);
    await page.getByRole("link", { name: "Open the indicator dashboard" }).click();
    await page.waitForURL(/\/dashboard/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("How safe people feel");
    await chartsDrawn(page);
    // Four rounds of demo data: the SDG 16.1.4 headline shows a value, its interval and n.
    const headline = page.getByRole("article", { name: /SDG 16\.1\.4, official/ });
    await expect.poll(() => headline.textContent()).toMatch(/\d+%.*95% interval.*n = \d+/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "dashboard");

    await page.getByRole("navigation", { name: "Split the trends" }).getByRole("link", { name: "Gender", exact: true }).click();
    await page.waitForURL(/by=gender/);
    await chartsDrawn(page);
    const byGender = await tableCells(page, "#table-trend-safe_after_dark_official");
    expect(byGender.some((r) => r[1] === "Woman")).toBe(true);
    expect(byGender.some((r) => r[1] === "Man")).toBe(true);

    await page.getByRole("navigation", { name: "Split the trends" }).getByRole("link", { name: "Community", exact: true }).click();
    await page.waitForURL(/by=community/);
    await chartsDrawn(page);
    const byCommunity = await tableCells(page, "#table-trend-safe_after_dark_official");
    for (const name of ["Hodan", "Kismayo Town", "Dadaab Camp"]) expect(byCommunity.some((r) => r[1] === name)).toBe(true);
    await screenshotBothSizes(page, "dashboard-by-community");

    // The gap between women and men for the official SDG 16.1.4 indicator.
    await page.getByRole("navigation", { name: /Views of Feel safe walking alone after dark \(SDG 16\.1\.4, official\)/ }).getByRole("link", { name: "Gap between groups" }).click();
    await page.waitForURL(/view=gap/);
    // The groups offered follow the dimension: choose it first, then the two groups.
    await page.getByLabel("Between groups of").selectOption("gender");
    await page.getByRole("button", { name: "Show gap" }).click();
    await page.waitForURL(/gapBy=gender/);
    await expect.poll(() => page.getByLabel("First group").locator("option").allTextContents()).toContain("Woman");
    await page.getByLabel("First group").selectOption("woman");
    await page.getByLabel("Second group").selectOption("man");
    await page.getByRole("button", { name: "Show gap" }).click();
    await page.waitForURL(/a=woman/);
    await expect.poll(() => page.getByRole("heading", { name: "Gap: Woman minus Man" }).count()).toBe(1);
    await chartsDrawn(page);
    const gapTable = await tableCells(page, "#table-gap");
    // Women feel less safe in the demo: every visible difference is negative.
    const visible = gapTable.slice(1).filter((r) => r[1] !== "suppressed" && r[1] !== "");
    expect(visible.length).toBeGreaterThan(1);
    for (const r of visible) expect(Number(r[1])).toBeLessThan(0);
    await screenshotBothSizes(page, "dashboard-gap");

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#ind-safe_after_dark_official").getByRole("link", { name: "Download these numbers (CSV)" }).click()]);
    fs.mkdirSync(TMP_DIR, { recursive: true });
    const file = path.join(TMP_DIR, `gap-${Date.now()}.csv`);
    await download.saveAs(file);
    const csv = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    fs.rmSync(file, { force: true });
    const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    expect(rows.slice(0, gapTable.length)).toEqual(gapTable);
    expect(rows.at(-1)?.[0]).toContain("fewer than 5");

    // The answer distribution and the community table render too.
    await page.getByRole("navigation", { name: /Views of Feel safe walking alone after dark \(SDG 16\.1\.4, official\)/ }).getByRole("link", { name: "Answer distribution" }).click();
    await page.waitForURL(/view=answers/);
    await chartsDrawn(page);
    await screenshotBothSizes(page, "dashboard-answers");
    await page.getByRole("navigation", { name: /Views of Feel safe walking alone after dark \(SDG 16\.1\.4, official\)/ }).getByRole("link", { name: "Communities × periods" }).click();
    await page.waitForURL(/view=communities/);
    expect((await tableCells(page, "#table-communities")).length).toBe(5);
    expect(await seriousViolations(page)).toEqual([]);

    // The printable report: same view, print media, a PDF.
    await page.getByRole("link", { name: "Printable report" }).click();
    await page.waitForURL(/\/report/);
    await chartsDrawn(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "report");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.emulateMedia({ media: "screen" });

    // The community feedback view (Arabic, right to left) and the sessions list.
    await page.goto(`${server.url}/programmes/${programmeId}/feedback?lang=ar`);
    await expect.poll(() => page.locator(".feedback").getAttribute("dir")).toBe("rtl");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "community-feedback");
    await page.goto(`${server.url}/programmes/${programmeId}/sessions`);
    await expect.poll(() => page.getByRole("cell", { name: /water point/ }).count()).toBe(1);
    await screenshotBothSizes(page, "sessions");
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
