// In Chromium, on a phone and on a tablet: a Somali respondent answers a survey that came from a
// Kobo XLSForm with groups. She sees each section's heading over its questions, the respondent's
// facts together on one field-list screen (a question appearing as soon as her age allows it, and
// every problem on the screen named before Next), and, where the Somali text is missing from the
// version published with a confirmed gap, the English text marked as English beside that very option.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { launchChromium, PHONE } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotThreeSizes } from "../support/screenshots";
import { seriousViolations } from "../support/axe";
import { aLink, aProgramme, aUser } from "../support/fixtures";
import { groupedForm, workbook } from "../support/xlsform";
import { readXlsform } from "../../app/xlsform/read.server";
import { importXlsform } from "../../app/xlsform/import";
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { createRound } from "../../app/models/rounds.server";


describe.skipIf(!hasChromium())("a respondent meets an XLSForm's sections", () => {
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

  it("section headings, a field-list screen with live skip logic, and a fallback-marked option", { timeout: 120_000 }, async () => {
    const facilitator = await aUser(t.db, "Hodan Facilitator");
    const programme = await aProgramme(t.db, "Mogadishu markets", [{ userId: facilitator.id, role: "facilitator" }]);
    const { definition } = importXlsform(await readXlsform(await workbook(groupedForm())));
    // Two Somali texts the translator has not done yet: an option's label and a hint.
    delete definition.questions.find((q) => q.id === "safe_market")!.options!.find((o) => o.code === "4")!.label.so;
    delete definition.questions.find((q) => q.id === "hh.size")!.help!.so;
    const surveyId = await createSurvey(t.db, { programmeId: programme.id, definition, createdBy: facilitator.id });
    expect((await publishDraft(t.db, surveyId, facilitator.id)).ok).toBe(false);
    expect(await publishDraft(t.db, surveyId, facilitator.id, { acceptTranslationGaps: true })).toEqual({ ok: true, version: 1 });
    const roundId = await createRound(t.db, { programmeId: programme.id, name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
    const link = await aLink(t.db, { surveyId, mode: "self", label: "Market poster", communityId: programme.communityId, roundId, maxResponses: null, pin: null, createdBy: facilitator.id });

    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/c/${link.token}`);
    await page.locator(".rf-language[lang=so]").click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();

    // The field-list screen: the section's heading over its questions, all on one screen.
    const screen = page.locator(".rf-screen--fields");
    await screen.waitFor();
    await expect.poll(() => page.locator(".rf-section-title").innerText()).toBe("Adiga");
    expect(await screen.locator(".rf-field-title").allInnerTexts()).toEqual(["Immisa jir baad tahay?", "Ma nin baad tahay mise naag?"]);
    // Next with nothing answered names both problems, each under its own question.
    await page.locator(".rf-button--next").click();
    await expect.poll(() => screen.locator(".rf-field .rf-error").count()).toBe(2);
    // Her age opens the household question on the same screen, its untranslated hint marked English.
    await screen.locator(".rf-field").first().locator("input").fill("30");
    await expect.poll(() => screen.locator(".rf-field-title").allInnerTexts()).toEqual(["Immisa jir baad tahay?", "Ma nin baad tahay mise naag?", "Immisa qof ayaa gurigaaga ku nool?"]);
    const hint = screen.locator(".rf-field").nth(2).locator(".rf-help");
    expect(await hint.getAttribute("lang")).toBe("en");
    await expect.poll(() => hint.innerText()).toMatch(/Count yourself too\.\s*English/);
    await screen.locator(".rf-field").nth(1).getByRole("button", { name: "Naag" }).click();
    await expect.poll(() => screen.locator(".rf-field .rf-error").count()).toBe(0);
    expect(JSON.stringify(await seriousViolations(page))).toBe("[]");
    await screenshotThreeSizes(page, "sections-field-list");

    // The adults' section: its heading over the question, one option shown in English and marked so.
    await page.locator(".rf-button--next").click();
    await page.getByRole("heading", { name: "Intee ammaan ayaad dareentaa suuqa?" }).waitFor();
    await expect.poll(() => page.locator(".rf-section-title").innerText()).toBe("Suuqa");
    const options = page.locator(".rf-option");
    await expect.poll(() => options.count()).toBe(4);
    const marked = await options.evaluateAll((buttons) => buttons.map((b) => [b.querySelector(".rf-option-label")!.textContent, b.querySelector(".rf-fallback")?.textContent ?? null]));
    expect(marked).toEqual([
      ["Aad u ammaan ah", null],
      ["Ammaan", null],
      ["Aan ammaan ahayn", null],
      ["Very unsafe", "English"],
    ]);
    expect(await options.nth(3).locator(".rf-option-label").getAttribute("lang")).toBe("en");
    // The question itself is in Somali, so it carries no mark.
    expect(await page.locator(".rf-screen > .rf-fallback").count()).toBe(0);
    expect(JSON.stringify(await seriousViolations(page))).toBe("[]");
    await screenshotThreeSizes(page, "sections-fallback-option");

    // Back returns to the whole field-list screen, her answers still there.
    await page.locator(".rf-button--back").click();
    await screen.waitFor();
    expect(await screen.locator(".rf-field").first().locator("input").inputValue()).toBe("30");
    await expect.poll(() => page.locator(".rf-count").innerText()).toBe("Su'aasha 1–3 ee 7");
    await page.locator(".rf-button--next").click();
    await page.getByRole("heading", { name: "Intee ammaan ayaad dareentaa suuqa?" }).waitFor();

    // A woman goes on to the women's section, then back to the adults' (its second run), then the end.
    await options.nth(2).click();
    await page.locator(".rf-button--next").click();
    await expect.poll(() => page.locator(".rf-section-title").innerText()).toBe("Haweenka suuqa");
    await page.getByRole("button", { name: "Maya" }).click();
    await page.locator(".rf-button--next").click();
    await expect.poll(() => page.locator(".rf-section-title").innerText()).toBe("Suuqa");
    await page.getByRole("button", { name: "Haa" }).click();
    await page.locator(".rf-button--next").click();
    // The closing group has no label: no heading, only the question.
    await page.getByRole("heading", { name: "Wax kale?" }).waitFor();
    expect(await page.locator(".rf-section").count()).toBe(0);
    await page.locator(".rf-button--next").click();
    await page.locator(".rf-screen--done").waitFor();

    const stored = await t.db.selectFrom("responses").select(["answers", "language"]).where("survey_id", "=", surveyId).execute();
    expect(stored.map((r) => [r.language, JSON.parse(r.answers)])).toEqual([["so", { age: 30, sex: "female", safe_market: "3", harassed: "no", stall: "yes" }]]);
    await context.close();
  });
});
