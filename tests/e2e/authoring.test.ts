// In Chromium: a facilitator builds a survey from the SDG 16 template, translates, adds skip logic
// and an indicator, previews in Arabic, publishes, then revises it and is warned about comparability.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotBothSizes } from "../support/screenshots";
import { aProgramme, aUser } from "../support/fixtures";
import { seriousViolations } from "../support/axe";
import { byId, signInAs, waitForSaved } from "../support/ui";
import { getVersion } from "../../app/models/surveys.server";

describe.skipIf(!hasChromium())("a facilitator authors a survey in Chromium", () => {
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

  async function openQuestion(page: Page, id: string) {
    await page.locator("summary", { hasText: id }).first().click();
  }

  it("from template to version 2, with translations, skip logic, an indicator and an Arabic preview", { timeout: 120_000 }, async () => {
    const facilitator = await aUser(t.db, "Halima Facilitator");
    const programme = await aProgramme(t.db, "Baidoa Safety", [{ userId: facilitator.id, role: "facilitator" }]);
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, server.url, facilitator.email, facilitator.password);

    await page.goto(`${server.url}/programmes/${programme.id}`);
    await page.getByRole("link", { name: "New survey" }).click();
    await screenshotBothSizes(page, "new-survey");
    await page.locator(".template-card", { hasText: "SDG 16" }).getByRole("button", { name: "Use this template" }).click();
    await page.waitForURL(/\/surveys\/[^/]+\/edit$/);
    const surveyId = page.url().split("/").at(-2)!;

    // Edit a question in two languages.
    await openQuestion(page, "safe_daytime");
    await byId(page, "fld-questions.2.label.en").fill("How safe do you feel walking alone in your area during the day?");
    await byId(page, "fld-questions.2.label.fr").fill("Dans quelle mesure vous sentez-vous en sécurité en marchant seul(e) dans votre quartier pendant la journée ?");

    // Nothing typed is lost on reload, even before the server has it.
    await byId(page, "fld-title.en").fill("Baidoa safety and trust survey");
    await page.reload();
    await expect.poll(() => byId(page, "fld-title.en").inputValue()).toBe("Baidoa safety and trust survey");
    await waitForSaved(page);

    // Skip logic: trust in courts only for those who answered the police question.
    await openQuestion(page, "trust_courts");
    const courts = page.locator("li", { has: page.locator('[id="fld-questions.4.id"]') });
    await courts.getByRole("button", { name: "Show only if…" }).click();
    await courts.getByLabel("Earlier question").selectOption("trust_police");
    await courts.getByLabel("Condition", { exact: true }).selectOption("answered");

    // A new indicator: feeling safe in daytime (safe + very safe).
    await page.getByRole("button", { name: "Add indicator" }).click();
    const last = page.locator(".indicator-item").last(); // opens by itself
    const n = (await page.locator(".indicator-item").count()) - 1;
    await byId(page, `fld-indicators.${n}.id`).fill("feel_safe_daytime");
    await byId(page, `fld-indicators.${n}.question`).selectOption("safe_daytime");
    await byId(page, `fld-indicators.${n}.label.en`).fill("Feel safe walking alone in daytime");
    await byId(page, `fld-indicators.${n}.label.fr`).fill("Se sentent en sécurité en marchant seul(e) le jour");
    await byId(page, `fld-indicators.${n}.label.ar`).fill("يشعرون بالأمان عند المشي بمفردهم نهارًا");
    const counted = (scope: typeof last, code: string) =>
      scope.locator("fieldset", { hasText: "Counted as" }).locator("label", { hasText: `(${code})` }).locator("input");
    await counted(last, "1").check();
    await counted(last, "2").check();
    // Its targets are set per round (or for a date) on the tracking page, which the editor links to.
    await expect.poll(() => last.getByRole("link", { name: "indicator tracking table" }).count()).toBe(1);
    await waitForSaved(page);
    await expect.poll(() => page.locator(".publish").textContent()).toContain("complete and valid");
    await screenshotBothSizes(page, "editor");
    expect(await seriousViolations(page)).toEqual([]);

    // Preview in Arabic, right to left.
    await page.goto(`${server.url}/surveys/${surveyId}/preview?lang=ar`);
    const flow = page.locator('[dir="rtl"][lang="ar"]').first();
    await expect.poll(() => flow.count()).toBeGreaterThan(0);
    await screenshotBothSizes(page, "preview-ar-consent");
    expect(await seriousViolations(page)).toEqual([]);

    // Publish version 1.
    await page.goto(`${server.url}/surveys/${surveyId}/edit`);
    await page.getByRole("button", { name: "Publish version 1" }).click();
    await page.waitForURL(new RegExp(`/surveys/${surveyId}\\?published=1`));
    await expect.poll(() => page.locator(".lede").textContent()).toContain("Version 1 is published");
    const v1 = await getVersion(t.db, surveyId, 1);
    expect(v1?.questions[2].label.fr).toMatch(/pendant la journée/);
    expect(v1?.questions[4].showIf).toEqual({ op: "answered", question: "trust_police" });
    const daytime = v1?.indicators.find((i) => i.id === "feel_safe_daytime");
    expect(daytime).toMatchObject({ kind: "share", codes: ["1", "2"] });
    // The definition carries no target: targets are programme planning, kept beside the survey.
    expect(daytime).not.toHaveProperty("target");

    // Version 2: changing the codes an indicator counts breaks its trend, and the editor says so.
    await page.getByRole("link", { name: "Edit (new draft)" }).click();
    await page.locator(".indicator-item", { hasText: "Feel safe walking alone in daytime" }).locator("summary").click();
    const item = page.locator(".indicator-item", { hasText: "Feel safe walking alone in daytime" });
    await counted(item, "2").uncheck();
    await expect.poll(() => page.locator(".publish").textContent()).toContain("break the comparability");
    const publish = page.getByRole("button", { name: "Publish version 2" });
    expect(await publish.isDisabled()).toBe(true);
    await screenshotBothSizes(page, "editor-comparability-warning");
    await page.getByLabel(/I understand: the trend/).check();
    await publish.click();
    await page.waitForURL(new RegExp(`/surveys/${surveyId}\\?published=2`));
    expect((await getVersion(t.db, surveyId, 2))?.indicators.find((i) => i.id === "feel_safe_daytime")).toMatchObject({ codes: ["1"] });
    expect((await getVersion(t.db, surveyId, 1))?.indicators.find((i) => i.id === "feel_safe_daytime")).toMatchObject({ codes: ["1", "2"] });
    await context.close();
  });
});
