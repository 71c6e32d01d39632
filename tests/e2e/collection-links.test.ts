// In Chromium: a facilitator opens a survey's collection links, creates a tablet link and a
// community link from the form, and opens the community link's poster to print.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotBothSizes } from "../support/screenshots";
import { aPublishedSurvey } from "../support/fixtures";
import { seriousViolations } from "../support/axe";
import { signInAs } from "../support/ui";

describe.skipIf(!hasChromium())("a facilitator manages collection links in Chromium", () => {
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

  it("creates a tablet link and a community link, and prints the poster", { timeout: 90_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: "246813" });
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, server.url, s.facilitator.email, s.facilitator.password);
    await page.goto(`${server.url}/surveys/${s.surveyId}`);
    await page.getByRole("link", { name: "Collection links" }).click();
    await page.getByRole("heading", { name: "Collection links" }).waitFor();

    // A tablet link without a PIN is refused with a reason.
    await page.getByLabel("Name").fill("Tablet 2");
    await page.getByRole("button", { name: "Create link" }).click();
    await expect.poll(() => page.locator(".field.has-error").textContent()).toContain("PIN of 6 to 8 digits");
    await page.getByLabel("Facilitator PIN (tablets only)").fill("135790");
    await page.getByRole("button", { name: "Create link" }).click();
    await page.getByText("“Tablet 2” is ready").waitFor();

    await page.getByLabel("Community self-response (own phones)").check();
    await page.getByLabel("Name").fill("Market poster");
    await page.getByLabel("Response cap (optional)").fill("200");
    await page.getByRole("button", { name: "Create link" }).click();
    await page.getByText("“Market poster” is ready").waitFor();
    await expect.poll(() => page.locator(".link-card").count()).toBe(3);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "links-list");

    await page.locator(".link-card", { hasText: "Market poster" }).getByRole("link", { name: "Poster to print" }).click();
    await page.locator("svg.poster-qr").waitFor();
    expect(await page.locator(".poster-url").textContent()).toMatch(/\/c\/[\w-]+$/);
    await screenshotBothSizes(page, "links-poster");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".site-header").isVisible()).toBe(false);
    expect(await page.locator(".poster-bar").isVisible()).toBe(false);
    await screenshotBothSizes(page, "links-poster-print");
    await context.close();
  });
});
