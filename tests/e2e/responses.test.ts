// In a real Chromium: a facilitator opens the demo survey's responses, filters them to the latest
// round in one community, opens a response, reads its answers, marks it not approved with a note,
// and sees the dashboard's headline stand on one respondent fewer. Screenshots at both sizes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotBothSizes } from "../support/screenshots";
import { seriousViolations } from "../support/axe";
import { signInAs } from "../support/ui";
import { DEMO_ACCOUNTS, loadDemo } from "../../app/demo/demo.server";

/** The n of the official SDG 16.1.4 headline for the latest round, as the page says it. */
async function headlineN(page: Page): Promise<number> {
  const text = await page.getByRole("article", { name: /SDG 16\.1\.4, official/ }).textContent();
  return Number(/n = (\d+)/.exec(text ?? "")![1]);
}

describe.skipIf(!hasChromium())("a facilitator reviews single responses in Chromium", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  let demo: Awaited<ReturnType<typeof loadDemo>>;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    demo = await loadDemo(t.db);
    server = await startServer(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  it("filters the table, opens a response, marks it not approved, and the dashboard moves", async () => {
    const facilitator = DEMO_ACCOUNTS.find((a) => a.key === "facilitator")!;
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInAs(page, server.url, facilitator.email, facilitator.password);

    await page.goto(`${server.url}/programmes/${demo.programmeId}/dashboard?survey=${demo.surveyId}`);
    const before = await headlineN(page);

    await page.goto(`${server.url}/surveys/${demo.surveyId}`);
    await page.getByRole("link", { name: "Responses: browse and review" }).click();
    await page.waitForURL(/\/responses/);
    const filters = page.getByRole("form", { name: "Filter responses" });
    await filters.getByLabel("Round", { exact: true }).selectOption({ label: "Follow-up" });
    await filters.getByLabel("Community", { exact: true }).selectOption({ label: "Hodan" });
    await filters.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/community=/);
    const rows = page.locator("table.responses-table tbody tr");
    // Every row shown is from Hodan in the follow-up round (its round read from the collection date, as the figures do).
    await expect.poll(async () => (await rows.allTextContents()).every((text) => text.includes("Hodan") && text.includes("Follow-up"))).toBe(true);
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "responses-table");

    await rows.first().getByRole("link").click();
    await page.waitForURL(/\/responses\/[0-9a-f-]{36}/);
    await expect.poll(() => page.locator("dl.answers").textContent()).toMatch(/\(\d+\)/);
    await page.getByLabel("Status", { exact: true }).selectOption("not_approved");
    await page.getByRole("button", { name: "Save review" }).click();
    // Without a note the form says what is missing, and nothing changes.
    await expect.poll(() => page.locator(".review-form").textContent()).toContain("Say why it is not approved");
    await page.getByLabel("Status", { exact: true }).selectOption("not_approved");
    await page.locator(".review-form").getByLabel("Note").fill("The facilitator answered for the respondent");
    await page.getByRole("button", { name: "Save review" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("no longer counts in the figures");
    await expect.poll(() => page.locator(".response-facts").textContent()).toContain("Not approved");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "response-review");

    await page.goto(`${server.url}/programmes/${demo.programmeId}/dashboard?survey=${demo.surveyId}`);
    expect(await headlineN(page)).toBe(before - 1);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
