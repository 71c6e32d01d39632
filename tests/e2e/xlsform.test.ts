// In Chromium: a facilitator brings a KoboToolbox XLSForm, reads the report of what the survey does
// not keep, creates the draft, and the preview holds an answer to the form's own constraint message.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR, screenshotBothSizes } from "../support/screenshots";
import { aProgramme, aUser } from "../support/fixtures";
import { seriousViolations } from "../support/axe";
import { signInAs, waitForSaved } from "../support/ui";
import { protectionForm, workbook } from "../support/xlsform";

describe.skipIf(!hasChromium())("a facilitator imports an XLSForm in Chromium", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  it("upload, report, draft, and the constraint message in the preview", { timeout: 120_000 }, async () => {
    const facilitator = await aUser(t.db, "Nyakim Facilitator");
    const programme = await aProgramme(t.db, "Malakal Protection", [{ userId: facilitator.id, role: "facilitator" }]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "xlsform-")), "hh_protection.xlsx");
    fs.writeFileSync(file, await workbook(protectionForm()));
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, server.url, facilitator.email, facilitator.password);

    await page.goto(`${server.url}/programmes/${programme.id}/surveys/new`);
    await page.getByLabel("XLSForm file").setInputFiles(file);
    await page.getByRole("button", { name: "Read the form" }).click();
    await page.getByRole("heading", { name: /From an XLSForm: Household protection survey/ }).waitFor();
    const repeatRow = page.locator("table.xlsform-report tr", { hasText: 'The repeat "members"' });
    await expect.poll(() => repeatRow.locator("td").allInnerTexts()).toEqual(["survey", "20", "type", expect.stringContaining("2 row(s) inside it"), "left out"]);
    expect(await page.getByLabel(/share who feel safe/).isChecked()).toBe(true);
    expect(JSON.stringify(await seriousViolations(page))).toBe("[]");
    await screenshotBothSizes(page, "xlsform-report");

    await page.getByRole("button", { name: "Create the draft anyway" }).click();
    await page.waitForURL(/\/surveys\/[^/]+\/edit$/);
    const surveyId = page.url().split("/").at(-2)!;

    // The preview runs the tablet's code: an age of 130 is held back with the form's own message.
    await page.goto(`${server.url}/surveys/${surveyId}/preview?lang=en`);
    await page.getByRole("button", { name: "I agree" }).click();
    // The group "About you" is a section: its heading stands over its question.
    await page.getByRole("heading", { name: "About you" }).waitFor();
    await page.getByRole("heading", { name: "How old are you?" }).waitFor();
    await page.getByRole("spinbutton").or(page.getByRole("textbox")).first().fill("130");
    await page.getByRole("button", { name: /next/i }).first().click();
    await expect.poll(() => page.getByRole("alert").innerText()).toContain("Age must be between 0 and 120.");
    await screenshotBothSizes(page, "xlsform-constraint");

    // Any language: Somali found by its English name, Pashto typed as a code (right to left from its script).
    await page.goto(`${server.url}/surveys/${surveyId}/edit`);
    const add = page.getByLabel("Add a language");
    await add.fill("Somali");
    await add.press("Enter");
    await add.fill("ps");
    await add.press("Enter");
    await expect.poll(() => page.locator(".languages-editor li").allInnerTexts()).toEqual([
      expect.stringContaining("English"),
      expect.stringContaining("Arabic"),
      expect.stringMatching(/Soomaali\s*\(so\)/),
      expect.stringMatching(/پښتو\s*\(ps, right to left\)/),
    ]);
    await add.fill("not a language!");
    await add.press("Enter");
    await expect.poll(() => page.locator(".languages-editor [role=alert]").innerText()).toContain('"not a language!" is not a language code');
    await waitForSaved(page);

    // Four languages: the option table shows English beside one chosen language, never four inputs.
    await page.locator("summary", { hasText: "safe_dark" }).first().click();
    const question = page.locator("details", { has: page.locator("summary", { hasText: "safe_dark" }) }).first();
    const table = question.locator(".options-table");
    // The first language with labels missing is offered first; another is one choice away.
    await expect.poll(() => table.locator("thead th").allInnerTexts()).toEqual(["Code", "English", "Soomaali", "Face", "Order"]);
    await question.getByLabel("Translate options into").selectOption("ar");
    await expect.poll(() => table.locator("thead th").allInnerTexts()).toEqual(["Code", "English", "Arabic", "Face", "Order"]);
    await question.getByLabel("Translate options into").selectOption("so");
    await table.scrollIntoViewIfNeeded();
    await screenshotBothSizes(page, "xlsform-option-table");
    // The question alone at tablet width, where four languages used to squeeze into ~45 px inputs.
    await page.setViewportSize(TABLET);
    const inputWidth = await table.locator("tbody tr").first().locator("input[lang=so]").evaluate((e) => e.getBoundingClientRect().width);
    expect(inputWidth).toBeGreaterThan(150);
    await question.screenshot({ path: path.join(SCREENSHOT_DIR, "xlsform-option-table-question-tablet.png") });
    await page.setViewportSize(DESKTOP);

    await page.goto(`${server.url}/surveys/${surveyId}/translations`);
    await page.getByRole("heading", { name: /Soomaali/ }).waitFor();
    expect(JSON.stringify(await seriousViolations(page))).toBe("[]");
    await screenshotBothSizes(page, "translations");

    // Published with the gaps confirmed: a Somali respondent sees the English text, marked as English.
    await page.goto(`${server.url}/surveys/${surveyId}/edit`);
    const publish = page.getByRole("button", { name: "Publish version 1" });
    expect(await publish.isDisabled()).toBe(true);
    await page.getByLabel(/Publish with these translations missing/).check();
    await publish.click();
    await page.waitForURL(new RegExp(`/surveys/${surveyId}\\?published=1`));
    await page.goto(`${server.url}/surveys/${surveyId}/preview?version=1&lang=so`);
    await page.locator(".rf-screen").first().waitFor();
    await page.getByRole("button").filter({ hasText: /./ }).locator("visible=true").first().waitFor();
    const agree = page.locator(".rf-screen button").first();
    await agree.click();
    await page.getByRole("heading", { name: "About you" }).waitFor();
    await expect.poll(() => page.locator(".rf-section .rf-fallback").innerText()).toContain("English");
    expect(await page.getByRole("heading", { name: "About you" }).getAttribute("lang")).toBe("en");
    await screenshotBothSizes(page, "fallback-text");
    await context.close();
  });
});
