// In a real Chromium, on the demo programme with a second, redesigned survey for the follow-up round:
// a manager links its after-dark indicator to the demo survey's on the tracking page and sees one
// series, each round's source under its figure; the dashboard shows the same series; a two-way split
// (gender within community) draws one panel per community. Screenshots at 800×1280, 390×844 and
// 1440×900 are kept for people to look at.
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR, screenshotThreeSizes } from "../support/screenshots";
import { seriousViolations } from "../support/axe";
import { chartsDrawn, signInAs } from "../support/ui";
import { aLink, sdg16Answers } from "../support/fixtures";
import { DEMO_ACCOUNTS, DEMO_COMMUNITIES, loadDemo } from "../../app/demo/demo.server";
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { getTemplate } from "../../app/survey-templates.server";
import { setStoredLanguage } from "../../app/i18n/staff.server";
import { tracking } from "../../app/i18n/staff/tracking";


describe.skipIf(!hasChromium())("linked indicators and small multiples, in Chromium", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  let programmeId: string;
  let followUpSurvey: string;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    const demo = await loadDemo(t.db);
    programmeId = demo.programmeId;
    // The follow-up round was collected with a redesigned survey: new ids, the same after-dark question.
    const definition = structuredClone(getTemplate("sdg16_core")!.definition) as unknown as { questions: { id: string }[]; indicators: { id: string; question: string }[]; title: Record<string, string> };
    definition.title = { ...definition.title, en: "Follow-up survey" };
    definition.questions.find((q) => q.id === "safe_after_dark")!.id = "feel_safe_night";
    for (const i of definition.indicators) if (i.question === "safe_after_dark") i.question = "feel_safe_night";
    definition.indicators.find((i) => i.id === "safe_after_dark_official")!.id = "safe_night";
    const facilitator = demo.accounts.find((a) => a.key === "facilitator")!.userId;
    followUpSurvey = await createSurvey(t.db, { programmeId, definition: definition as never, createdBy: facilitator });
    expect((await publishDraft(t.db, followUpSurvey, facilitator)).ok).toBe(true);
    await t.db.updateTable("surveys").set({ title: "Follow-up survey" }).where("id", "=", followUpSurvey).execute();
    const communities = await t.db.selectFrom("communities").select("id").where("programme_id", "=", programmeId).execute();
    for (const [c, community] of communities.entries()) {
      const link = await aLink(t.db, { surveyId: followUpSurvey, mode: "kiosk", label: `Follow-up ${c}`, communityId: community.id, roundId: demo.roundIds[3], maxResponses: null, pin: null, createdBy: facilitator });
      const items = Array.from({ length: 24 }, (_, i) => {
        const a = sdg16Answers({ gender: i % 2 ? "man" : "woman" }) as Record<string, unknown>;
        delete a.safe_after_dark;
        return { id: randomUUID(), surveyVersion: 1, collectedAt: "2026-11-10T09:00:00.000Z", language: "en", answers: { ...a, feel_safe_night: i < 14 + c ? "2" : "3" } };
      });
      expect((await ingestResponses(t.db, (await resolveLink(t.db, link.token))!, items)).every((r) => r.status === "created")).toBe(true);
    }
    server = await startServer(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  it("a manager links the follow-up survey's indicator to the demo survey's and reads one series", async () => {
    const manager = DEMO_ACCOUNTS.find((a) => a.key === "manager")!;
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInAs(page, server.url, manager.email, manager.password);

    await page.goto(`${server.url}/programmes/${programmeId}/tracking?survey=${followUpSurvey}`);
    const table = page.getByRole("table", { name: /Indicator tracking table/ });
    const darkRow = table.getByRole("row", { name: /Feel safe walking alone after dark \(SDG 16.1.4, official\)/ });
    // Alone, the follow-up survey has only its own round.
    expect(await darkRow.textContent()).not.toContain("Safety and trust in our community (demo) v1");

    const form = page.getByRole("form", { name: "Link for Feel safe walking alone after dark (SDG 16.1.4, official)" });
    await form.getByRole("combobox").selectOption({ label: "Feel safe walking alone after dark (SDG 16.1.4, official) (safe_after_dark_official)" });
    await form.getByRole("button", { name: "Link" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toContain("Linked");
    await expect.poll(() => darkRow.textContent()).toContain("linked with Safety and trust in our community (demo)");
    const text = (await darkRow.textContent())!;
    // The earlier rounds from the demo survey, the follow-up from the follow-up survey.
    expect(text).toContain("Safety and trust in our community (demo) v1");
    expect(text).toContain("Follow-up survey v1");
    expect(text).toMatch(/clear improvement|clear decline|no clear change/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotThreeSizes(page, "tracking-linked");
    await darkRow.screenshot({ path: path.join(SCREENSHOT_DIR, "tracking-linked-row.png") });
    for (const [label, size] of [["tablet", TABLET], ["desktop", DESKTOP]] as const) {
      await page.setViewportSize(size);
      await page.locator(".target-plan").first().locator("summary").click();
      await page.locator(".target-plan").first().screenshot({ path: path.join(SCREENSHOT_DIR, `tracking-target-form-${label}.png`) });
      await page.locator(".target-plan").first().locator("summary").click();
      await page.locator(".link-edit").screenshot({ path: path.join(SCREENSHOT_DIR, `tracking-links-${label}.png`) });
    }
    await page.setViewportSize(DESKTOP);

    // A reworded or different indicator is refused with the field named.
    const other = page.getByRole("form", { name: "Link for Feel safe walking alone during the day" });
    await other.getByRole("combobox").selectOption({ label: "Trust the police (somewhat or a lot) (trust_police)" });
    await other.getByRole("button", { name: "Link" }).click();
    await expect.poll(() => other.getByRole("alert").textContent()).toContain("Not comparable");

    // In Arabic, right to left: the table's words and the forms come from the tracking catalog.
    const managerId = (await t.db.selectFrom("users").select("id").where("email", "=", manager.email).executeTakeFirstOrThrow()).id;
    await setStoredLanguage(t.db, managerId, "ar");
    await page.reload();
    await expect.poll(() => page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.getByRole("table", { name: tracking.ar.caption }).getByRole("columnheader", { name: tracking.ar.colChange }).count()).toBe(1);
    expect(await page.getByText(tracking.ar.linksHeading).count()).toBe(1);
    await page.setViewportSize(TABLET);
    await page.locator(".tracking-page .card").first().screenshot({ path: path.join(SCREENSHOT_DIR, "tracking-linked-ar-tablet.png") });
    await setStoredLanguage(t.db, managerId, null);
    await page.setViewportSize(DESKTOP);

    // The dashboard's trend reads the same series and names the source.
    await page.goto(`${server.url}/programmes/${programmeId}/dashboard?survey=${followUpSurvey}`);
    await chartsDrawn(page);
    await expect.poll(() => page.getByText(/^Linked with Safety and trust in our community \(demo\): Baseline, Midline, Endline/).count()).toBeGreaterThan(0);
    for (const [label, size] of [["tablet", TABLET], ["desktop", DESKTOP]] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(400);
      await page.locator(".chart-box").first().screenshot({ path: path.join(SCREENSHOT_DIR, `trend-linked-${label}.png`) });
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it("gender within community draws one panel per community", async () => {
    const manager = DEMO_ACCOUNTS.find((a) => a.key === "manager")!;
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInAs(page, server.url, manager.email, manager.password);
    await page.goto(`${server.url}/programmes/${programmeId}/dashboard?by=community&by=gender`);
    await chartsDrawn(page);
    const first = page.locator(".small-multiples").first();
    expect(await first.locator("figure.small-multiple").count()).toBe(DEMO_COMMUNITIES.length);
    expect(await first.locator("figure.small-multiple canvas[data-drawn=true]").count()).toBe(DEMO_COMMUNITIES.length);
    expect((await first.locator("figcaption").allTextContents()).sort()).toEqual(DEMO_COMMUNITIES.map((c) => c.name).sort());
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotThreeSizes(page, "dashboard-small-multiples");
    for (const [label, size] of [["tablet", TABLET], ["desktop", DESKTOP]] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(400);
      await first.screenshot({ path: path.join(SCREENSHOT_DIR, `small-multiples-panels-${label}.png`) });
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
