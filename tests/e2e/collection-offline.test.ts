// In Chromium at tablet size: a facilitator's tablet collects a focus group's answers with the
// network gone, keeps them across reloads and closed pages, and sends each exactly once when the
// network returns — also when the server's reply to the first sync is lost. Two tablets at once,
// the kiosk PIN, the idle reset, a consent refusal, and no trace of one respondent for the next.
// Every kiosk tablet is armed first by a facilitator signing in on it (see sealed-tablet.test.ts).
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotBothSizes } from "../support/screenshots";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { getVersion, publishDraft, saveDraft } from "../../app/models/surveys.server";
import { revokeLink } from "../../app/models/collection-links.server";
import { sealResponse } from "../../app/collector/seal";

const PIN = "246813";
const SECRET = "Secret note from respondent one: the well road at night";

/** The SDG 16 template with a ranking and a free-text question at the end (both optional). */
const withComment = (d: any) => {
  const label = (en: string, fr: string, ar: string) => ({ en, fr, ar });
  d.questions.push({
    id: "threats",
    type: "ranking",
    maxPicks: 2,
    label: label("What makes you feel least safe? Pick up to two, most important first.", "Qu’est-ce qui vous fait vous sentir le moins en sécurité ?", "ما الذي يجعلك تشعر بأقل قدر من الأمان؟"),
    options: [
      { code: "theft", label: label("Theft", "Vol", "السرقة") },
      { code: "roads", label: label("Dark roads", "Routes sombres", "الطرق المظلمة") },
      { code: "groups", label: label("Armed groups", "Groupes armés", "الجماعات المسلحة") },
    ],
  });
  d.questions.push({
    id: "comment",
    type: "text",
    label: { en: "Anything else about safety here?", fr: "Autre chose sur la sécurité ici ?", ar: "هل هناك أي شيء آخر عن الأمان هنا؟" },
  });
};

describe.skipIf(!hasChromium())("a tablet collects a focus group offline and syncs exactly once", () => {
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

  const countResponses = async (surveyId: string) =>
    Number((await t.db.selectFrom("responses").select((e) => e.fn.countAll<number>().as("n")).where("survey_id", "=", surveyId).executeTakeFirstOrThrow()).n);

  /** Opens a link; a kiosk link is armed at once by its programme's facilitator, landing on the panel. */
  async function openTablet(context: BrowserContext, token: string, query = "", facilitator?: { email: string; password: string }) {
    const page = await context.newPage();
    await page.goto(`${server.url}/c/${token}${query}`);
    if (facilitator) {
      await page.getByRole("link", { name: "Sign in to arm this tablet" }).click();
      await page.getByLabel("Email").fill(facilitator.email);
      await page.getByLabel("Password").fill(facilitator.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
      await page.getByText("This tablet is armed").waitFor();
    }
    return page;
  }

  /** From the facilitator panel: start a session and hand the tablet over. */
  async function startSession(page: Page, group = "women 18–35") {
    await page.getByLabel("Group", { exact: true }).fill(group);
    await page.getByLabel("Participants", { exact: true }).fill("12");
    await page.getByRole("button", { name: "Start session" }).click();
    await page.getByRole("button", { name: "Hand the tablet to respondents" }).click();
    await page.locator(".rf").waitFor();
  }

  const title = (page: Page) => page.locator(".rf-title").first().textContent();

  async function nextScreen(page: Page, click: () => Promise<void>) {
    const before = await title(page);
    await click();
    await page.waitForFunction((b) => document.querySelector(".rf-title")?.textContent !== b, before);
  }

  /**
   * Answers the whole survey: language, consent, every question with its first option (or the given
   * text for the free-text question), then submit; resolves on the thank-you screen.
   */
  async function answerAll(page: Page, opts: { language?: string; text?: string; shoot?: string } = {}) {
    const shots = new Set<string>();
    const shoot = async (name: string) => {
      if (!opts.shoot || shots.has(name)) return;
      shots.add(name);
      await screenshotBothSizes(page, `collect-${name}-${opts.shoot}`);
    };
    for (let i = 0; i < 40; i++) {
      await page.locator(".rf-screen").first().waitFor();
      if (await page.locator(".rf-screen--done").isVisible()) {
        await shoot("thank-you");
        return;
      }
      if (await page.locator(".rf-screen--language").isVisible()) {
        await shoot("language");
        await nextScreen(page, () => page.getByRole("button", { name: opts.language ?? "English", exact: true }).click());
        continue;
      }
      if (await page.locator(".rf-screen--consent").isVisible()) {
        await shoot("consent");
        await nextScreen(page, () => page.locator(".rf-consent-actions .rf-button--primary").click());
        continue;
      }
      const screen = page.locator(".rf-screen--question");
      if (await screen.locator(".rf-options--scale").count()) await shoot("scale");
      else if (await screen.locator(".rf-options--single").count()) await shoot("single");
      else if (await screen.locator(".rf-options--ranking").count()) await shoot("ranking");
      else if (await screen.locator("textarea").count()) await shoot("text");
      if ((await screen.locator(".rf-option").count()) && !(await screen.locator('.rf-option[aria-pressed="true"]').count())) {
        await screen.locator(".rf-option").first().click();
      }
      if (await screen.locator("textarea").count()) await screen.locator("textarea").fill(opts.text ?? "");
      const next = screen.locator(".rf-button--next");
      // The last question's button submits: it has no forward arrow.
      if ((await next.locator(".rf-arrow").count()) === 0) {
        await next.click();
        await page.locator(".rf-screen--done").waitFor();
      } else await nextScreen(page, () => next.click());
    }
    throw new Error("the survey did not end");
  }

  it("keeps three responses through offline reloads and a closed page, and sends them once", { timeout: 120_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    let page = await openTablet(context, s.link.token, "", s.facilitator);
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    await page.locator('.collector[data-offline-ready="ready"]').waitFor();
    await startSession(page);

    await context.setOffline(true);
    await page.reload();
    await page.locator(".rf-screen--language").waitFor();
    // Truly offline, and the page came from the offline worker.
    expect(await page.evaluate(() => fetch("/healthz").then(() => "online", () => "offline"))).toBe("offline");
    expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

    for (let i = 0; i < 3; i++) {
      await answerAll(page);
      await page.getByRole("button", { name: "Next person" }).click();
      await page.locator(".rf-screen--language").waitFor();
    }
    await expect.poll(() => page.locator(".kiosk-bar-queue").getAttribute("data-queued")).toBe("3");
    await page.close();

    page = await openTablet(context, s.link.token);
    await expect.poll(() => page.locator(".kiosk-bar-queue").getAttribute("data-queued")).toBe("3");
    expect(await countResponses(s.surveyId)).toBe(0);

    // The server stores the first batch, but its reply never reaches the tablet.
    let lost = 0;
    await page.route("**/api/v1/links/*/responses", async (route) => {
      if (lost === 0) {
        lost += 1;
        await route.fetch();
        await route.abort();
      } else await route.continue();
    });
    await context.setOffline(false);
    await expect.poll(() => countResponses(s.surveyId), { timeout: 15_000 }).toBe(3);
    expect(lost).toBe(1);
    // The tablet retries by itself; the retry brings duplicates, not new rows.
    await expect.poll(() => page.locator(".kiosk-bar-queue").getAttribute("data-queued"), { timeout: 20_000 }).toBe("0");
    expect(await countResponses(s.surveyId)).toBe(3);
    await page.locator(".kiosk-bar-button").click();
    await page.locator("#kiosk-pin").fill(PIN);
    await page.getByRole("button", { name: "Open the panel" }).click();
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => page.locator('[data-count="queued"]').textContent(), { timeout: 15_000 }).toBe("0");
    expect(await page.locator('[data-count="sent"]').textContent()).toBe("3");
    expect(await countResponses(s.surveyId)).toBe(3);
    const sessions = await t.db.selectFrom("fg_sessions").select(["id", "group_description", "participant_count"]).where("survey_id", "=", s.surveyId).execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ group_description: "women 18–35", participant_count: 12 });
    const rows = await t.db.selectFrom("responses").select("session_id").where("survey_id", "=", s.surveyId).execute();
    expect(rows.every((r) => r.session_id === sessions[0].id)).toBe(true);
    await screenshotBothSizes(page, "collect-facilitator-panel");
    await context.close();
  });

  it("two tablets submitting at the same time each arrive once", { timeout: 90_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const contexts = await Promise.all([browser.newContext({ viewport: TABLET }), browser.newContext({ viewport: TABLET })]);
    const pages = await Promise.all(contexts.map((c) => openTablet(c, s.link.token, "", s.facilitator)));
    await Promise.all(pages.map((p, i) => startSession(p, `group ${i + 1}`)));
    for (let round = 0; round < 2; round++) {
      await Promise.all(pages.map((p) => answerAll(p)));
      await Promise.all(pages.map((p) => p.getByRole("button", { name: "Next person" }).click()));
    }
    await expect.poll(() => countResponses(s.surveyId), { timeout: 15_000 }).toBe(4);
    const bySession = await t.db
      .selectFrom("responses")
      .select(["session_id", (e) => e.fn.countAll<number>().as("n")])
      .where("survey_id", "=", s.surveyId)
      .groupBy("session_id")
      .execute();
    expect(bySession.map((r) => Number(r.n))).toEqual([2, 2]);
    await Promise.all(contexts.map((c) => c.close()));
  });

  it("leaving the respondent screen needs the facilitator's PIN, checked on the tablet", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await openTablet(context, s.link.token, "", s.facilitator);
    await startSession(page);
    await context.setOffline(true); // the check needs no network
    await page.getByRole("button", { name: "Facilitator" }).click();
    await page.locator("#kiosk-pin").waitFor();
    await screenshotBothSizes(page, "collect-pin-prompt");
    await page.locator("#kiosk-pin").fill("111111");
    await page.getByRole("button", { name: "Open the panel" }).click();
    await expect.poll(() => page.locator("#pin-error").textContent()).toContain("not right");
    expect(await page.getByRole("heading", { name: "Facilitator panel" }).count()).toBe(0);
    await page.getByRole("button", { name: "Back to the survey" }).click();
    await page.locator(".rf-screen--language").waitFor();
    await page.getByRole("button", { name: "Facilitator" }).click();
    await page.locator("#kiosk-pin").fill(PIN);
    await page.getByRole("button", { name: "Open the panel" }).click();
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();

    // End the session with notes; they reach the server when the network returns.
    await page.getByRole("button", { name: "End session…" }).click();
    await page.getByLabel("Notes from the discussion (no names)").fill("Lighting near the market came up <b>often</b>.");
    await page.getByRole("button", { name: "End the session and save notes" }).click();
    await page.getByRole("heading", { name: "Start a focus-group session" }).waitFor();
    await context.setOffline(false);
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect
      .poll(async () => (await t.db.selectFrom("fg_sessions").select("notes").where("survey_id", "=", s.surveyId).executeTakeFirst())?.notes, { timeout: 15_000 })
      .toBe("Lighting near the market came up <b>often</b>.");
    await context.close();
  });

  it("an abandoned response is cleared after the idle warning", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await openTablet(context, s.link.token, "?idleWarn=2&idleReset=2", s.facilitator);
    await startSession(page);
    await page.getByRole("button", { name: "English", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    await page.locator(".rf-button--next").click(); // the intro
    await page.locator(".rf-options--scale .rf-option").nth(1).click();
    await page.locator('.kiosk-overlay[role="alertdialog"]').waitFor({ timeout: 5_000 });
    await screenshotBothSizes(page, "collect-idle-warning-en");
    await page.locator('.kiosk-overlay[role="alertdialog"]').waitFor({ state: "detached", timeout: 6_000 });
    await page.locator(".rf-screen--language").waitFor();
    expect(await page.locator('[aria-pressed="true"]').count()).toBe(0);

    // The warning speaks the respondent's language.
    await page.getByRole("button", { name: "العربية", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    await page.locator(".rf-button--next").click();
    await page.locator(".rf-options--scale .rf-option").first().click();
    await page.locator('.kiosk-overlay[role="alertdialog"][dir="rtl"]').waitFor({ timeout: 5_000 });
    expect(await page.locator(".kiosk-overlay h2").textContent()).toBe("هل ما زلت تجيب؟");
    await screenshotBothSizes(page, "collect-idle-warning-ar");
    // "Yes, continue" keeps the answer on screen.
    await page.locator(".kiosk-overlay button").click();
    expect(await page.locator('.rf-option[aria-pressed="true"]').count()).toBe(1);
    expect(await countResponses(s.surveyId)).toBe(0);
    await context.close();
  });

  it("a consent refusal stores no answers, only one refusal", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await openTablet(context, s.link.token, "", s.facilitator);
    await startSession(page);
    await page.getByRole("button", { name: "English", exact: true }).click();
    await page.getByRole("button", { name: "I do not agree" }).click();
    await page.locator(".rf-screen--refused").waitFor();
    await screenshotBothSizes(page, "collect-refused-en");
    await expect
      .poll(async () => (await t.db.selectFrom("refusals").select("session_id").where("survey_id", "=", s.surveyId).execute()).length, { timeout: 15_000 })
      .toBe(1);
    const refusal = await t.db.selectFrom("refusals").selectAll().where("survey_id", "=", s.surveyId).executeTakeFirstOrThrow();
    expect(refusal.session_id).toBeTruthy();
    expect(await countResponses(s.surveyId)).toBe(0);
    await context.close();
  });

  it("the next respondent finds no trace of the previous one (English and Arabic screens)", { timeout: 120_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN, edit: withComment });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await openTablet(context, s.link.token, "", s.facilitator);
    await page.getByRole("heading", { name: "Start a focus-group session" }).waitFor();
    await screenshotBothSizes(page, "collect-start-session");
    await startSession(page);

    await answerAll(page, { text: SECRET, shoot: "en" });
    await page.getByRole("button", { name: "Next person" }).click();
    await page.locator(".rf-screen--language").waitFor();
    const noTrace = async () => {
      expect(await page.content()).not.toContain(SECRET);
      expect(await page.evaluate(() => document.body.innerText)).not.toContain("well road");
      expect(await page.locator('[aria-pressed="true"]').count()).toBe(0);
    };
    await noTrace();
    await page.getByRole("button", { name: "English", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    await page.locator(".rf-screen--question").waitFor();
    // Back from the first question leads to consent and the language chooser, never to the last respondent.
    await page.locator(".rf-button--back").click();
    await page.locator(".rf-screen--consent").waitFor();
    await noTrace();
    await page.locator(".rf-nav .rf-button--back").click();
    await page.locator(".rf-screen--language").waitFor();
    await noTrace();

    // The second respondent answers in Arabic, right to left; every screen is kept for people to look at.
    await answerAll(page, { language: "العربية", text: "لا شيء", shoot: "ar" });
    expect(await page.locator(".rf").getAttribute("dir")).toBe("rtl");
    await noTrace();
    await page.getByRole("button", { name: /./ }).filter({ hasText: "التالي" }).or(page.locator(".rf-screen--done .rf-button--primary")).first().click();
    await page.locator(".rf-screen--language").waitFor();
    await page.getByRole("button", { name: "العربية", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--secondary").click();
    await page.locator(".rf-screen--refused").waitFor();
    await screenshotBothSizes(page, "collect-refused-ar");
    await page.locator(".rf-screen--refused .rf-button--primary").click();
    await page.getByRole("button", { name: "العربية", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    await page.locator(".rf-screen--question").waitFor();
    await page.locator(".rf-button--next").click();
    await page.locator(".rf-options--scale .rf-option").first().click();
    await screenshotBothSizes(page, "collect-scale-selected-ar");
    await page.getByRole("button", { name: "الميسّر" }).click(); // the bar speaks the respondent's language
    // The PIN dialog opens over an Arabic screen: it speaks Arabic, right to left.
    await page.locator('.kiosk-overlay[lang="ar"][dir="rtl"]').waitFor();
    expect(await page.locator("#pin-h").textContent()).toBe("الرمز السري للميسّر");
    await screenshotBothSizes(page, "collect-pin-prompt-ar");
    await page.locator("#kiosk-pin").fill(PIN);
    await page.getByRole("button", { name: "فتح لوحة الميسّر" }).click();
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    await expect.poll(() => countResponses(s.surveyId), { timeout: 15_000 }).toBe(2);
    await screenshotBothSizes(page, "collect-facilitator-panel-after");
    await context.close();
  });

  it("a community link on a phone: no PIN, no session, a thank-you at the end", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await openTablet(context, s.link.token);
    await answerAll(page, { language: "العربية" });
    expect(await page.locator(".rf-screen--done .rf-button").count()).toBe(0);
    await screenshotBothSizes(page, "collect-self-thank-you-ar");
    await expect.poll(() => countResponses(s.surveyId), { timeout: 15_000 }).toBe(1);
    const row = await t.db.selectFrom("responses").select(["session_id", "language"]).where("survey_id", "=", s.surveyId).executeTakeFirstOrThrow();
    expect(row).toEqual({ session_id: null, language: "ar" });
    await context.close();
  });

  it("a new survey version is picked up online; answers queued for the old one still arrive", { timeout: 90_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await openTablet(context, s.link.token, "", s.facilitator);
    await page.locator('.collector[data-offline-ready="ready"]').waitFor();
    await startSession(page);
    await context.setOffline(true);
    await answerAll(page);
    await page.getByRole("button", { name: "Next person" }).click();

    const v2 = (await getVersion(t.db, s.surveyId, 1)) as any;
    v2.questions[1].help = { en: "Think of the last month.", fr: "Pensez au dernier mois.", ar: "فكّر في الشهر الماضي." };
    await saveDraft(t.db, s.surveyId, v2, s.facilitator.id);
    expect(await publishDraft(t.db, s.surveyId, s.facilitator.id)).toMatchObject({ ok: true, version: 2 });

    await context.setOffline(false);
    await expect.poll(() => page.locator(".kiosk-bar-queue").getAttribute("data-queued"), { timeout: 20_000 }).toBe("0");
    // The tablet takes version 2 while nobody is mid-survey; the next respondent answers it.
    await page.locator('.collector[data-survey-version="2"]').waitFor({ timeout: 20_000 });
    await answerAll(page);
    await expect
      .poll(async () => (await t.db.selectFrom("responses").select("survey_version").where("survey_id", "=", s.surveyId).orderBy("survey_version").execute()).map((r) => Number(r.survey_version)), { timeout: 20_000 })
      .toEqual([1, 2]);
    await context.close();
  });

  it("a revoked link keeps the queue on the tablet and tells the facilitator", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await openTablet(context, s.link.token, "", s.facilitator);
    await page.locator('.collector[data-offline-ready="ready"]').waitFor();
    await startSession(page);
    await context.setOffline(true);
    await answerAll(page);
    await revokeLink(t.db, s.surveyId, s.link.id);
    await context.setOffline(false);
    await page.getByRole("button", { name: "Facilitator" }).click();
    await page.locator("#kiosk-pin").fill(PIN);
    await page.getByRole("button", { name: "Open the panel" }).click();
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => page.locator(".panel-status").textContent(), { timeout: 15_000 }).toContain("revoked");
    expect(await page.locator('[data-count="queued"]').textContent()).toBe("1");
    expect(await countResponses(s.surveyId)).toBe(0);
    // The queue can still leave the tablet as a file in the sync API's format.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Save queue to file" }).click()]);
    const file = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
    // The sync API's fields, and which link made it (its id, not its token), so sessions import with it.
    expect(Object.keys(file).sort()).toEqual(["link", "refusals", "responses", "sessions"]);
    expect(JSON.stringify(file.link)).not.toContain(s.link.token);
    expect(file.responses).toHaveLength(1);
    // Sealed as in the outbox: the server opens it (sessionId and all) when the file is imported.
    expect(file.responses[0]).toMatchObject({ sealed: { v: 1, alg: "X25519-HKDF-SHA256-A256GCM" } });
    expect(JSON.stringify(file.responses)).not.toContain("safe_after_dark");
    await screenshotBothSizes(page, "collect-facilitator-panel-revoked");
    await context.close();
  });

  it("answers the server refuses or finds in conflict are kept as needing attention, never dropped", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await openTablet(context, s.link.token, "", s.facilitator);
    await page.getByRole("heading", { name: "Start a focus-group session" }).waitFor();
    // One id the server already holds with other answers, and one answer set the survey core refuses.
    const clash = crypto.randomUUID();
    const base = { surveyVersion: 1, collectedAt: "2026-11-20T10:00:00.000Z", language: "en" };
    const stored = await fetch(`${server.url}/api/v1/links/${s.link.token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ responses: [{ id: clash, ...base, answers: sdg16Answers() }] }),
    });
    expect((await stored.json()).results[0].status).toBe("created");
    // Queued as the tablet queues them: sealed to the programme's key from the link bundle.
    const key = (await (await fetch(`${server.url}/api/v1/links/${s.link.token}`)).json()).sealing;
    const refused = crypto.randomUUID();
    const items = [
      { id: clash, ...base, answers: sdg16Answers({ safe_after_dark: "4" }) },
      { id: refused, ...base, answers: { not_a_question: "1" } },
    ].map((r) => sealResponse(key, r));
    await page.evaluate(
      async ({ token, items }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open("sps-collector");
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
        const tx = db.transaction("outbox", "readwrite");
        for (const sealed of items) tx.objectStore("outbox").put({ id: sealed.id, token, sealed, queuedAt: new Date().toISOString() });
        await new Promise((resolve) => (tx.oncomplete = resolve));
        db.close();
      },
      { token: s.link.token, items },
    );
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => page.locator('[data-count="attention"]').textContent(), { timeout: 15_000 }).toBe("2");
    expect(await page.locator('[data-count="queued"]').textContent()).toBe("0");
    // The panel gives the count only; the server's messages (which can quote answers) go to the file.
    const panel = await page.locator(".panel").innerHTML();
    expect(panel).not.toContain("not_a_question");
    expect(panel).not.toContain(clash.slice(0, 8));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Save these to a file" }).click()]);
    const file = JSON.parse(fs.readFileSync(await download.path(), "utf8"));
    expect(file.responses.map((r: { id: string }) => r.id).sort()).toEqual([clash, refused].sort());
    expect(file.responses.every((r: { sealed?: { ct?: string } }) => typeof r.sealed?.ct === "string")).toBe(true);
    const notes = JSON.stringify(file.notAccepted);
    expect(notes).toContain("conflict");
    expect(notes).toContain("not_a_question");
    expect(JSON.stringify(file.responses)).not.toContain("safe_after_dark");
    expect(await countResponses(s.surveyId)).toBe(1);
    await screenshotBothSizes(page, "collect-facilitator-panel-attention");
    await context.close();
  });
});
