// In a real Chromium: a programme manager sees what arrived. On the demo survey the survey page
// lists responses received per round, per community and per day; the dashboard sums them up near
// the top. On a new survey whose first three responses fall in no round, every headline says so
// instead of a bare "groups with fewer than 5 respondents are not shown". Axe finds no serious problems.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import path from "node:path";
import type { Page } from "playwright-core";
import { DESKTOP, TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR, screenshotBothSizes } from "../support/screenshots";

/** The top of a long page (what shows first) at both sizes, besides the full-page shots. */
async function topOfPage(page: Page, name: string) {
  for (const [label, size] of [["tablet", TABLET], ["desktop", DESKTOP]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-top-${label}.png`) });
  }
  await page.setViewportSize(DESKTOP);
}
import { seriousViolations } from "../support/axe";
import { signInAs } from "../support/ui";
import { aPublishedSurvey, aUser, sdg16Answers, aLink } from "../support/fixtures";
import { DEMO_ACCOUNTS, loadDemo, type DemoResult } from "../../app/demo/demo.server";
import { setMembership } from "../../app/models/programmes.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";

describe.skipIf(!hasChromium())("a manager sees what arrived, in Chromium", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  let demo: DemoResult;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    demo = await loadDemo(t.db);
    // The demo stores every response at once; spread their arrival over the last three weeks as a
    // real collection would (arrival time is the server's, so only the database can set it).
    const ids = await t.db.selectFrom("responses").select("id").where("survey_id", "=", demo.surveyId).orderBy("id").execute();
    const now = Date.now();
    for (const [i, r] of ids.entries()) {
      const daysAgo = (i * 5) % 21;
      if (daysAgo % 6 === 5) continue; // some days without arrivals
      await t.db.updateTable("responses").set({ submitted_at: new Date(now - daysAgo * 86_400_000 - (i % 5) * 3_600_000).toISOString() }).where("id", "=", r.id).execute();
    }
    server = await startServer(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  it("the survey page and the dashboard show responses received", async () => {
    const manager = DEMO_ACCOUNTS.find((a) => a.key === "manager")!;
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInAs(page, server.url, manager.email, manager.password);

    const stored = await t.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("survey_id", "=", demo.surveyId).executeTakeFirstOrThrow();
    const total = Number(stored.n).toLocaleString("en-GB");

    await page.goto(`${server.url}/programmes/${demo.programmeId}`);
    const row = page.getByRole("row").filter({ hasText: "open" }).first();
    await expect.poll(() => row.textContent()).toContain(`${total}, the last on`);

    await page.goto(`${server.url}/surveys/${demo.surveyId}`);
    const panel = page.getByRole("region", { name: "Responses received" });
    await expect.poll(() => panel.locator(".arrivals-total").textContent()).toContain(total);
    for (const round of ["Baseline", "Midline"]) await expect.poll(() => panel.getByRole("row", { name: new RegExp(`^${round}`) }).count()).toBeGreaterThan(0);
    await expect.poll(() => panel.getByRole("row", { name: /^Hodan/ }).count()).toBe(1);
    const bars = await panel.locator(".arrivals-days td:not(.zero)").count();
    expect(bars).toBeGreaterThan(5);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "arrivals-survey");

    await page.goto(`${server.url}/programmes/${demo.programmeId}/dashboard?survey=${demo.surveyId}`);
    const summary = page.getByRole("region", { name: "Responses received" });
    await expect.poll(() => summary.textContent()).toContain(total);
    await summary.getByText("Per community and per day").click();
    await expect.poll(() => summary.getByRole("row", { name: /^Hodan/ }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "arrivals-dashboard");
    await topOfPage(page, "arrivals-dashboard");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a new survey's first three responses, all in no round: the headlines say so", async () => {
    const fixture = await aPublishedSurvey(t.db);
    const manager = await aUser(t.db, "New Survey Manager");
    await setMembership(t.db, { userId: manager.id, programmeId: fixture.programme.id, role: "manager" });
    const phones = await aLink(t.db, { surveyId: fixture.surveyId, mode: "self", label: "Phones", createdBy: fixture.facilitator.id });
    const link = (await resolveLink(t.db, phones.token))!;
    // Collected in 2025, before the programme's only round (2026): no round contains them.
    const items = ["2025-11-03", "2025-11-04", "2025-11-04"].map((d) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: `${d}T09:00:00.000Z`, language: "en", answers: sdg16Answers() }));
    expect((await ingestResponses(t.db, link, items)).every((r) => r.status === "created")).toBe(true);

    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, server.url, manager.email, manager.password);
    await page.goto(`${server.url}/programmes/${fixture.programme.id}/dashboard?survey=${fixture.surveyId}`);
    const headline = page.getByRole("article", { name: /SDG 16\.1\.4, official/ });
    await expect.poll(() => headline.textContent()).toContain("3 responses received so far, all in no round — check the rounds' dates; figures appear from 5 respondents in a round.");
    await expect.poll(() => page.getByRole("region", { name: "Responses received" }).textContent()).toContain("No round: 3");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothSizes(page, "arrivals-dashboard-no-round");
    await topOfPage(page, "arrivals-dashboard-no-round");
    await context.close();
  });
});
