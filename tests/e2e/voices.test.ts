// In Chromium: recorded voices from the microphone to a respondent offline. A facilitator records the
// consent screen (Chromium's fake microphone) and uploads a file for a question and one of its answers,
// and publishes; the tablet takes the link's bundle with its voices, goes offline, and the respondent's
// play buttons play the recorded clips from the offline copy. A new build of the app is then deployed:
// the tablet offers it only between respondents, and accepting reloads without losing the queue.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { freshDatabase, type TestDb } from "../support/databases";
import { CHROMIUM_ARGS, DESKTOP, TABLET, PHONE } from "../support/browser";
import { CHROMIUM_PATH, hasChromium } from "../support/environment";
import { SCREENSHOT_DIR, screenshotThreeSizes } from "../support/screenshots";
import { aPublishedSurvey } from "../support/fixtures";
import { signInAs } from "../support/ui";
import { createApp } from "../../app/server/app";
import { toneWav } from "../../app/bench/wav";
import { setStoredLanguage } from "../../app/i18n/staff.server";


describe.skipIf(!hasChromium())("recorded voices reach a respondent offline", () => {
  let t: TestDb;
  let browser: Browser;
  let base: string;
  let server: http.Server;
  let build: ServerBuild;
  /** The app the server runs now: swapping it for one with another build version is "deploying a new build". */
  let current: ReturnType<typeof createApp>;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
    current = createApp({ database: t, build, importJobs: false });
    server = http.createServer((req, res) => current(req, res));
    server.listen(0, "127.0.0.1");
    await new Promise<void>((r) => server.once("listening", () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
      headless: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await t?.drop();
  });

  it("a facilitator records and uploads voices, publishes, and the tablet plays them offline; a new build waits for the next respondent", { timeout: 240_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk" });

    // The facilitator, on the Voices page in French.
    const staff = await browser.newContext({ viewport: DESKTOP });
    await staff.grantPermissions(["microphone"], { origin: base });
    const desk = await staff.newPage();
    await signInAs(desk, base, s.facilitator.email, s.facilitator.password);
    await desk.goto(`${base}/surveys/${s.surveyId}`);
    await desk.getByRole("link", { name: "Recorded voices" }).click();
    await desk.waitForURL(/\/voices$/);
    await desk.locator(".voice-language", { hasText: "Français" }).click();
    await desk.waitForURL(/lang=fr/);
    const row = (key: string) => desk.locator(`.voice-row[data-prompt="${key}"]`);

    // Recorded with the (fake) microphone: Record, speak a little, Stop; the clip is saved and sized.
    await row("consent").getByRole("button", { name: /^Record a voice for/ }).click();
    await row("consent").getByText(/Recording…/).waitFor();
    await desk.waitForTimeout(1500);
    await row("consent").getByRole("button", { name: /^Stop/ }).click();
    await row("consent").locator(".voice-status", { hasText: /\d+ KB/ }).waitFor({ timeout: 15_000 });
    // And uploaded: a file for a question and one for its first answer.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-voices-"));
    const question = path.join(dir, "question.wav");
    const answer = path.join(dir, "answer.wav");
    fs.writeFileSync(question, toneWav(3, { seed: 1 }));
    fs.writeFileSync(answer, toneWav(1.5, { seed: 2 }));
    await row("q:safe_after_dark").locator('input[type="file"]').setInputFiles(question);
    await row("q:safe_after_dark").locator(".voice-status", { hasText: "23 KB" }).waitFor();
    await row("q:safe_after_dark:option:1").locator('input[type="file"]').setInputFiles(answer);
    await row("q:safe_after_dark:option:1").locator(".voice-status", { hasText: "12 KB" }).waitFor();
    // A file that is not what its name says is refused in its row, and nothing is stored.
    const notAudio = path.join(dir, "notes.wav");
    fs.writeFileSync(notAudio, "These are my notes, not a recording.");
    await row("q:safe_daytime").locator('input[type="file"]').setInputFiles(notAudio);
    expect(await row("q:safe_daytime").getByRole("alert").textContent({ timeout: 15_000 })).toBe("file: this is not audio/wav audio (its first bytes are not that format's).");
    await expect.poll(() => row("q:safe_daytime").locator(".voice-status").textContent()).toBe("No voice yet");
    // The recording plays back on the page.
    await row("consent").getByRole("button", { name: /^Play the voice of/ }).click();
    await expect.poll(() => row("consent").locator("audio").evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await desk.getByText("3 of 51 prompts recorded in Français").count()).toBe(1);
    await screenshotThreeSizes(desk, "voices-page");
    // The top of the page as a tablet and a phone show it (the full pages are long).
    for (const [label, size] of [["tablet", TABLET], ["phone", PHONE]] as const) {
      await desk.setViewportSize(size);
      await desk.waitForTimeout(200);
      await desk.screenshot({ path: path.join(SCREENSHOT_DIR, `voices-page-top-${label}.png`) });
    }
    await desk.setViewportSize(DESKTOP);
    await desk.getByRole("button", { name: "Publish as version 2" }).click();
    await desk.getByText("Version 2 is published with its voices.").waitFor();
    const stored = await t.db.selectFrom("survey_voices").innerJoin("voice_clips", (j) => j.onRef("voice_clips.hash", "=", "survey_voices.clip_hash")).select(["prompt_key", "mime_type"]).where("survey_voices.survey_id", "=", s.surveyId).where("version", "=", 2).orderBy("prompt_key").execute();
    expect(stored).toEqual([
      { prompt_key: "consent", mime_type: "audio/webm" },
      { prompt_key: "q:safe_after_dark", mime_type: "audio/wav" },
      { prompt_key: "q:safe_after_dark:option:1", mime_type: "audio/wav" },
    ]);
    await staff.close();

    // The tablet takes the link's bundle (and its voices) into the offline copy, then loses the network.
    const tablet = await browser.newContext({ viewport: TABLET });
    const page = await tablet.newPage();
    await page.goto(`${base}/c/${s.link.token}`);
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    await page.locator('.collector[data-offline-ready="ready"]').waitFor({ timeout: 30_000 });
    const cached = await page.evaluate(async () => (await (await caches.open("sps-collector-v2")).keys()).map((r) => new URL(r.url).pathname).filter((p) => p.includes("/voices/")));
    expect(cached).toHaveLength(3);
    await page.getByLabel("Group", { exact: true }).fill("women 18–35");
    await page.getByLabel("Participants", { exact: true }).fill("12");
    await page.getByRole("button", { name: "Start session" }).click();
    await page.getByRole("button", { name: "Hand the tablet to respondents" }).click();
    await tablet.setOffline(true);

    const fromWorker: string[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/voices/") && r.fromServiceWorker()) fromWorker.push(new URL(r.url()).pathname);
    });
    await page.getByRole("button", { name: "Français", exact: true }).click();
    // The consent screen: the recorded voice plays, from the offline copy.
    const play = page.locator(".rf-screen--consent .rf-voice--prompt");
    await play.waitFor();
    expect(await play.textContent()).toContain("Écouter");
    await play.click();
    await expect.poll(() => page.locator('audio[data-voice="consent"]').evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(fromWorker.length).toBeGreaterThan(0);
    await page.locator(".rf-consent-actions .rf-button--primary").click();

    // The information screen first (no voice recorded: no play button), then the first question: its
    // voice and its first answer's, each with its button; other answers have none.
    await page.locator(".rf-type--info").waitFor();
    expect(await page.locator(".rf-voice").count()).toBe(0);
    await page.locator(".rf-button--next").click();
    await page.locator(".rf-type--scale").waitFor();
    expect(await page.locator(".rf-option").count()).toBe(6);
    expect(await page.locator(".rf-voice--option").count()).toBe(1);
    expect(await page.locator(".rf-option-row .rf-voice--option").getAttribute("aria-label")).toMatch(/^Écouter : /);
    const option = page.locator(".rf-voice--option");
    await option.click();
    // A short clip: it plays to its end.
    await page.locator('audio[data-voice="q:safe_after_dark:option:1"]').evaluate((a: HTMLAudioElement) => new Promise<void>((resolve) => (a.ended ? resolve() : a.addEventListener("ended", () => resolve(), { once: true }))));
    expect(await option.getAttribute("aria-pressed")).toBe("false");
    await page.locator(".rf-voice--prompt").click();
    await expect.poll(() => page.locator('audio[data-voice="q:safe_after_dark"]').evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(new Set(fromWorker).size).toBe(3);
    await page.locator(".rf-voice--prompt").click(); // stop
    await screenshotThreeSizes(page, "voices-respondent-question");
    // A question without a voice shows no play button (read-aloud only where the device has a voice).
    await page.locator(".rf-option").first().click();
    await page.locator(".rf-button--next").click();
    await page.waitForFunction(() => !document.querySelector('audio[data-voice="q:safe_after_dark"]'));
    expect(await page.locator(".rf-voice").count()).toBe(0);

    // A new build is deployed while this respondent is mid-survey: its worker installs and waits.
    await tablet.setOffline(false);
    current = createApp({ database: t, build: { ...build, assets: { ...build.assets, version: `${build.assets.version}-next` } }, importJobs: false });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/"))!.update());
    await expect.poll(() => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration("/"))?.waiting)), { timeout: 20_000 }).toBe(true);
    await tablet.setOffline(true);
    await page.waitForTimeout(1500);
    expect(await page.getByTestId("app-update").count()).toBe(0);
    // The respondent finishes (answers kept in the queue, offline); the thank-you screen is between respondents.
    for (let i = 0; i < 20 && !(await page.locator(".rf-screen--done").isVisible()); i++) {
      const screen = page.locator(".rf-screen--question");
      if (!(await screen.isVisible())) {
        await page.waitForTimeout(200);
        continue;
      }
      expect(await page.getByTestId("app-update").count()).toBe(0);
      const before = await page.locator(".rf-title").first().textContent();
      if ((await screen.locator(".rf-option").count()) && !(await screen.locator('.rf-option[aria-pressed="true"]').count())) await screen.locator(".rf-option").first().click();
      await screen.locator(".rf-button--next").click();
      await page.waitForFunction((b) => document.querySelector(".rf-screen--done") || document.querySelector(".rf-title")?.textContent !== b, before);
    }
    await page.locator(".rf-screen--done").waitFor();
    const prompt = page.getByTestId("app-update");
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain("Une nouvelle version de l’application est prête.");
    await screenshotThreeSizes(page, "voices-update-prompt");
    await Promise.all([page.waitForEvent("load"), prompt.getByRole("button", { name: "Mettre à jour" }).click()]);
    // Reloaded, offline, by the new worker, back to respondents (the session runs on); the response is
    // still on the tablet, and is sent once online.
    await page.locator(".rf-screen--language").waitFor();
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration("/"))?.waiting))).toBe(false);
    await expect.poll(() => page.locator(".kiosk-bar-queue").getAttribute("data-queued"), { timeout: 15_000 }).toBe("1");
    expect(await page.getByTestId("app-update").count()).toBe(0);
    await tablet.setOffline(false);
    await expect.poll(async () => (await t.db.selectFrom("responses").select("id").where("survey_id", "=", s.surveyId).execute()).length, { timeout: 60_000 }).toBe(1);

    // A voice an earlier version carried is dropped from the copy the next time the page hands over its
    // files; the current version's stay.
    const stale = `/api/v1/links/${s.link.token}/voices/${"0".repeat(32)}`;
    await page.evaluate(async (u) => (await caches.open("sps-collector-v2")).put(u, new Response("an old clip")), stale);
    await page.reload();
    await page.locator('.collector[data-offline-ready="ready"]').waitFor({ timeout: 30_000 });
    await expect
      .poll(() => page.evaluate(async () => (await (await caches.open("sps-collector-v2")).keys()).map((r) => new URL(r.url).pathname).filter((p) => p.includes("/voices/")).length), { timeout: 15_000 })
      .toBe(3);
    await tablet.close();
    fs.rmSync(dir, { recursive: true, force: true });

    // The same page for a facilitator who works in Arabic: its words, right to left, the prompts in theirs.
    await setStoredLanguage(t.db, s.facilitator.id, "ar");
    const arabic = await browser.newContext({ viewport: TABLET });
    const arPage = await arabic.newPage();
    await signInAs(arPage, base, s.facilitator.email, s.facilitator.password);
    await arPage.goto(`${base}/surveys/${s.surveyId}/voices?lang=ar`);
    await arPage.getByRole("heading", { name: "الأصوات المسجّلة" }).waitFor();
    expect(await arPage.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await arPage.locator('.voice-row[data-prompt="consent"] .voice-prompt').getAttribute("dir")).toBe("rtl");
    expect(await arPage.getByText("سُجّل 0 من 51 نصًا باللغة العربية").count()).toBe(1);
    await screenshotThreeSizes(arPage, "voices-page-arabic");
    await arPage.setViewportSize(PHONE);
    await arPage.screenshot({ path: path.join(SCREENSHOT_DIR, "voices-page-arabic-top-phone.png") });
    await arabic.close();
  });
});
