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
import { takeResponseQuota } from "../../app/models/quotas.server";

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

    // A community link starts with the default cap; a tablet link with none; a typed cap stays.
    const cap = page.getByLabel("Response cap");
    expect(await cap.inputValue()).toBe("");
    await page.getByLabel("Community self-response (own phones)").check();
    await expect.poll(() => cap.inputValue()).toBe("2000");
    await page.getByLabel("Facilitator's tablet (kiosk)").check();
    await expect.poll(() => cap.inputValue()).toBe("");
    await page.getByLabel("Community self-response (own phones)").check();
    await page.getByLabel("Name").fill("Market poster");
    await cap.fill("200");
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

  it("shows a link's quota refusals and lets the facilitator lift them", { timeout: 90_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self", maxResponses: 2000 });
    // A flood from one address, refused by a tight quota (the HTTP flood itself is tested elsewhere).
    for (const n of [1, 500, 500])
      expect((await takeResponseQuota(t.db, s.link.id, "203.0.113.7", n, { limits: { perMinute: 1, perDay: 1 } })).ok).toBe(n === 1);
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, server.url, s.facilitator.email, s.facilitator.password);
    await page.goto(`${server.url}/surveys/${s.surveyId}/links`);
    const card = page.locator(".link-card", { hasText: "Tablet 1" });
    await card.getByText("Responses refused by the quota:").waitFor();
    expect(await card.locator(".link-quota").textContent()).toMatch(/1,000 on \d{4}-\d{2}-\d{2} .*from 1 address\./);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "links-quota-refused");
    await card.getByRole("button", { name: "Lift the limits on “Tablet 1” for 24 hours" }).click();
    await page.getByText("The limits on this link are lifted until").waitFor();
    await card.getByText("Limits lifted until").waitFor();
    expect(await card.getByRole("button", { name: /Lift the limits/ }).count()).toBe(0);
    await screenshotBothSizes(page, "links-quota-lifted");
    await context.close();
  });
});
