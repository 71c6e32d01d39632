// In a real Chromium, on the demo programme: a manager sets targets per round on the tracking page,
// downloads the .xlsx and finds them in it (read back with exceljs), writes the report's executive
// summary and a narrative that are still there after a reload, and prints the report to A4 within
// the page budget (cover, two indicators per page, a closing note). Screenshots at 1440×900 and
// 800×1280, and every printed page as a PNG, are kept for people to look at.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR, screenshotBothSizes } from "../support/screenshots";
import { seriousViolations } from "../support/axe";
import { chartsDrawn, signInAs } from "../support/ui";
import { DEMO_ACCOUNTS, loadDemo } from "../../app/demo/demo.server";

const hasPdftoppm = (() => {
  try {
    execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasChromium())("a manager tracks indicators against targets and sends the report, in Chromium", () => {
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

  it("sets targets, downloads the workbook, writes the narrative and prints the report", async () => {
    const manager = DEMO_ACCOUNTS.find((a) => a.key === "manager")!;
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInAs(page, server.url, manager.email, manager.password);

    await page.goto(`${server.url}/programmes/${programmeId}`);
    await page.getByRole("link", { name: "Indicator tracking table" }).click();
    await page.waitForURL(/\/tracking/);
    const table = page.getByRole("table", { name: /Indicator tracking table/ });
    await expect.poll(() => table.getByRole("row").count()).toBe(1 + 8);

    // Targets for the daytime indicator: 70 % by midline, 80 % by endline.
    const form = page.getByRole("form", { name: "Targets for Feel safe walking alone during the day" });
    await form.getByLabel("Midline target (%)").fill("70");
    await form.getByLabel("Endline target (%)").fill("80");
    await form.getByRole("button", { name: "Save targets" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toBe("Targets saved.");
    const dayRow = table.getByRole("row", { name: /Feel safe walking alone during the day/ });
    await expect.poll(() => dayRow.textContent()).toContain("target 80.0%");
    expect(await dayRow.textContent()).toMatch(/target met|on track|not on track/);
    // A value out of range is refused with its reason, and the saved targets stay.
    await form.getByLabel("Endline target (%)").fill("180");
    await form.getByRole("button", { name: "Save targets" }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("between 0 % and 100 %");
    await page.reload();
    await expect.poll(() => page.getByRole("form", { name: "Targets for Feel safe walking alone during the day" }).getByLabel("Endline target (%)").inputValue()).toBe("80.0");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "tracking");
    await page.getByRole("link", { name: "Gender" }).click();
    await page.waitForURL(/by=gender/);
    await screenshotBothSizes(page, "tracking-by-gender");

    // The workbook: the table with a frozen header, a reference sheet per indicator, the method note.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download .xlsx" }).click()]);
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file!);
    const ws = wb.getWorksheet("Tracking table")!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 3, xSplit: 2 });
    const headers = (ws.getRow(3).values as unknown[]).slice(1).map(String);
    const col = (h: string) => headers.indexOf(h) + 1;
    let dayLine = 0;
    for (let r = 4; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === "Feel safe walking alone during the day" && ws.getCell(r, 2).value === "All respondents") dayLine = r;
    expect(dayLine).toBeGreaterThan(0);
    expect(ws.getCell(dayLine, col("Endline target")).value).toBe(0.8);
    expect(ws.getCell(dayLine, col("Endline target")).numFmt).toBe("0.0%");
    expect(typeof ws.getCell(dayLine, col("Endline actual")).value).toBe("number");
    expect(ws.getCell(dayLine, col("Endline n")).numFmt).toBe("#,##0");
    expect(wb.worksheets).toHaveLength(1 + 8 + 1);
    expect(wb.getWorksheet("Ref safe_daytime")!.getSheetValues().flat().join(" ")).toContain("Midline: 70.0%; Endline: 80.0%");
    expect(wb.getWorksheet("Method and suppression")!.getCell(1, 1).value).toBe("Method and disclosure control");

    // The report: an executive summary and a narrative, saved, there after a reload.
    await page.getByRole("link", { name: "Report" }).click();
    await page.waitForURL(/\/report/);
    await chartsDrawn(page);
    const summary = "Feeling safe after dark rose from baseline in every round; women still feel less safe than men.";
    const narrative = "Daytime safety is close to its endline target; the market road remains the main concern.";
    await page.getByLabel("Executive summary").fill(summary);
    await page.getByLabel("Narrative: Feel safe walking alone during the day").fill(narrative);
    await page.getByRole("button", { name: "Save texts" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Report texts saved.");
    await page.reload();
    await chartsDrawn(page);
    expect(await page.getByLabel("Executive summary").inputValue()).toBe(summary);
    expect(await page.getByLabel("Narrative: Feel safe walking alone during the day").inputValue()).toBe(narrative);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "report");

    // Printed: cover + ⌈8 / 2⌉ indicator pages + the closing note, each indicator on its page.
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.waitForTimeout(500);
    expect(await page.locator("p.print-only", { hasText: summary }).isVisible()).toBe(true);
    expect(await page.getByLabel("Executive summary").isVisible()).toBe(false);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const pdfPath = path.join(SCREENSHOT_DIR, "report.pdf");
    fs.writeFileSync(pdfPath, pdf);
    if (hasPdftoppm) execFileSync("pdftoppm", ["-png", "-r", "60", pdfPath, path.join(SCREENSHOT_DIR, "report-page")]);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(1 + Math.ceil(8 / 2) + 1);
    await page.emulateMedia({ media: "screen" });
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
