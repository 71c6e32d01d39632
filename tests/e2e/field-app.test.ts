// In Chromium: the collector as a field app. A facilitator's tablet finds the link installable
// (manifest, icons, worker), installs it and opens it offline; the panel's one status line says what
// the browser really reports — also after a reload with the network gone, which once claimed offline
// use "could not be set up"; plain http says so in one line. A phone respondent's reload continues
// where they were (a kiosk's does not), and a named tablet's sessions record it and their facilitator.
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { CHROMIUM_ARGS, TABLET, launchChromium, PHONE } from "../support/browser";
import { CHROMIUM_PATH, hasChromium } from "../support/environment";
import { screenshotThreeSizes } from "../support/screenshots";
import { aPublishedSurvey } from "../support/fixtures";

const PIN = "246813";

describe.skipIf(!hasChromium())("the collector is an installable field app", () => {
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

  async function armedTablet(context: BrowserContext, token: string, facilitator: { email: string; password: string }) {
    const page = await context.newPage();
    await page.goto(`${server.url}/c/${token}`);
    await page.getByRole("link", { name: "Sign in to arm this tablet" }).click();
    await page.getByLabel("Email").fill(facilitator.email);
    await page.getByLabel("Password").fill(facilitator.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("This tablet is armed").waitFor();
    return page;
  }

  it("a facilitator's tablet can install the link as an app, and its status line stays true offline", { timeout: 120_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    // A real (not incognito) profile, so Chromium's installability check runs to the end.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "sps-profile-"));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, viewport: TABLET });
    const page = await armedTablet(context, s.link.token, s.facilitator);
    await page.locator('.collector[data-offline-ready="ready"]').waitFor();

    // The manifest the page links to opens this very link, standalone, with PNG and maskable icons.
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    const manifest = await (await fetch(new URL(href!, server.url))).json();
    expect(manifest).toMatchObject({ start_url: `/c/${s.link.token}`, scope: "/c/", display: "standalone", theme_color: "#0f5c6e" });
    expect(manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of [...manifest.icons.map((i: { src: string }) => i.src), await page.locator('link[rel="apple-touch-icon"]').getAttribute("href")]) {
      const res = await fetch(new URL(icon, server.url));
      expect(res.headers.get("content-type"), icon).toBe("image/png");
    }

    // Chromium's own installability check: nothing stands in the way but the test's incognito profile.
    const cdp = await context.newCDPSession(page);
    const { manifest: parsed } = (await cdp.send("Page.getAppManifest")) as unknown as { manifest?: { errors: unknown[] } };
    expect(parsed?.errors ?? []).toEqual([]);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors).toEqual([]);

    // One status line, from what the browser reports (a test profile does not get persistent storage).
    const status = page.locator(".panel-device");
    await expect.poll(() => status.getAttribute("data-storage"), { timeout: 30_000 }).not.toBe("pending");
    expect(await status.getAttribute("data-offline")).toBe("ready");
    expect(await status.textContent()).toMatch(/^(✓ |⚠ )?Offline copy ready · storage /);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    // Chromium offers its install dialog (beforeinstallprompt), caught for the panel's own button.
    await page.locator('.panel-install[data-install="prompt"]').waitFor();
    await page.getByRole("button", { name: "Install the app" }).waitFor();
    await screenshotThreeSizes(page, "field-app-panel");

    // A hashed file of an earlier build is pruned the next time the page hands its files to the worker.
    await page.evaluate(async () => {
      const cache = await caches.open("sps-collector-v2");
      await cache.put("/assets/old-build-0000.js", new Response("// an earlier build"));
    });
    await page.reload();
    await page.locator("#kiosk-pin").waitFor();
    await expect
      .poll(() => page.evaluate(async () => Boolean(await (await caches.open("sps-collector-v2")).match("/assets/old-build-0000.js"))), { timeout: 15_000 })
      .toBe(false);

    // Installed (CDP's PWA.install stands in for the facilitator accepting the browser's dialog) and opened
    // from its icon (PWA.launch): the app opens on the link. Headless Chromium draws no app window, so
    // display-mode stays "browser" here and the panel cannot tell it is installed.
    const manifestId = `${server.url}/c/${s.link.token}`;
    await cdp.send("PWA.install" as never, { manifestId } as never);
    const [app] = await Promise.all([context.waitForEvent("page"), cdp.send("PWA.launch" as never, { manifestId } as never)]);
    await app.locator("#kiosk-pin").waitFor();
    expect(app.url()).toBe(`${server.url}/c/${s.link.token}`);
    await app.locator("#kiosk-pin").fill(PIN);
    await app.getByRole("button", { name: "Open the panel" }).click();
    await app.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    // The worker answers within its own 15 s limit; on a loaded machine that is more than poll's default.
    await expect.poll(() => app.locator(".panel-device").getAttribute("data-offline"), { timeout: 30_000 }).toBe("ready");
    // The installed app, offline: it reopens from its copy.
    await context.setOffline(true);
    await app.reload();
    await app.locator("#kiosk-pin").fill(PIN);
    await app.getByRole("button", { name: "Open the panel" }).click();
    await expect.poll(() => app.locator(".panel-device").getAttribute("data-offline"), { timeout: 30_000 }).toBe("ready");
    await app.close();
    await context.setOffline(false);

    // Offline, the reloaded page comes from its copy and says so: no "could not be set up".
    await context.setOffline(true);
    await page.reload();
    await page.locator("#kiosk-pin").fill(PIN);
    await page.getByRole("button", { name: "Open the panel" }).click();
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    await expect.poll(() => status.getAttribute("data-offline"), { timeout: 30_000 }).not.toBe("pending");
    expect(await status.getAttribute("data-offline")).toBe("ready");
    expect(await page.getByText("could not be set up").count()).toBe(0);
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  it("on plain http over a LAN the panel says it in one line, not three stacked warnings", { timeout: 90_000 }, async () => {
    // A kiosk link without a PIN opens on the panel: no sign-in needed to see it.
    const s = await aPublishedSurvey(t.db, { mode: "kiosk" });
    // A LAN address is not a secure context: the browser allows no service worker and no storage manager.
    const lan = server.url.replace("127.0.0.1", "localtest.invalid");
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await page.route("http://localtest.invalid:*/**", async (route) => {
      const url = route.request().url().replace("localtest.invalid", "127.0.0.1");
      const res = await route.fetch({ url });
      await route.fulfill({ response: res });
    });
    await page.goto(`${lan}/c/${s.link.token}`);
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    const status = page.locator(".panel-device");
    await expect.poll(() => status.getAttribute("data-offline")).toBe("not-secure");
    await expect.poll(() => status.getAttribute("data-storage")).toBe("unsupported");
    expect(await page.locator(".panel-device").count()).toBe(1);
    expect(await page.locator('[role="alert"]').count()).toBe(0);
    expect(await page.getByText("https").count()).toBe(1);
    await screenshotThreeSizes(page, "field-app-panel-plain-http");
    await context.close();
  });

  /** On a question screen: picks the first option (unless one is picked) and goes on; returns the screen's title. */
  async function answerOne(page: Page): Promise<string> {
    const screen = page.locator(".rf-screen--question");
    await screen.waitFor();
    const title = (await page.locator(".rf-title").first().textContent())!;
    if ((await screen.locator(".rf-option").count()) && !(await screen.locator('.rf-option[aria-pressed="true"]').count())) await screen.locator(".rf-option").first().click();
    if (await screen.locator("textarea").count()) await screen.locator("textarea").fill("");
    await screen.locator(".rf-button--next").click();
    // The next screen (or the thank-you) before anything else is read.
    await page.waitForFunction((t) => document.querySelector(".rf-screen--done") || document.querySelector(".rf-title")?.textContent !== t, title);
    return title;
  }

  it("a respondent on their own phone reloads mid-survey and continues where they were", { timeout: 90_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const phone = await browser.newContext({ viewport: PHONE });
    const page = await phone.newPage();
    await page.goto(`${server.url}/c/${s.link.token}`);
    await page.getByRole("button", { name: "Français", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    const answered = [await answerOne(page), await answerOne(page)];
    expect(answered[0]).not.toBe(answered[1]);
    const where = await page.locator(".rf-title").first().textContent();

    await page.reload();
    // The same question, in French, with the earlier answers still there when going back.
    await page.locator(".rf-screen--question").waitFor();
    expect(await page.locator(".rf-title").first().textContent()).toBe(where);
    expect(await page.locator(".rf").getAttribute("lang")).toBe("fr");
    await page.locator(".rf-button--back").click();
    await page.waitForFunction((t) => document.querySelector(".rf-title")?.textContent === t, answered[1]);
    expect(await page.locator('.rf-option[aria-pressed="true"]').count()).toBe(1);
    await screenshotThreeSizes(page, "field-app-phone-resumed");
    await page.locator(".rf-button--next").click();

    for (let i = 0; i < 40 && !(await page.locator(".rf-screen--done").isVisible()); i++) {
      await page.locator(".rf-screen--question, .rf-screen--done").first().waitFor();
      if (await page.locator(".rf-screen--done").isVisible()) break;
      await answerOne(page);
      await page.waitForTimeout(50);
    }
    await page.locator(".rf-screen--done").waitFor();
    await expect
      .poll(async () => Number((await t.db.selectFrom("responses").select((e) => e.fn.countAll<number>().as("n")).where("survey_id", "=", s.surveyId).executeTakeFirstOrThrow()).n), { timeout: 15_000 })
      .toBe(1);
    const stored = await t.db.selectFrom("responses").select(["language"]).where("survey_id", "=", s.surveyId).executeTakeFirstOrThrow();
    expect(stored.language).toBe("fr");
    // Done: nothing of this respondent stays on the phone, and the next opening starts afresh.
    expect(await page.evaluate((token) => localStorage.getItem(`sps-draft:${token}`), s.link.token)).toBeNull();
    await page.reload();
    await page.locator(".rf-screen--language").waitFor();
    await phone.close();
  });

  it("a kiosk tablet keeps no draft: each respondent starts clean after a reload", { timeout: 90_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk" });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await page.goto(`${server.url}/c/${s.link.token}`);
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    await page.getByRole("button", { name: "Start session" }).click();
    await page.getByRole("button", { name: "Hand the tablet to respondents" }).click();
    await page.getByRole("button", { name: "English", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    await answerOne(page);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("sps-draft:")))).toEqual([]);
    await page.reload();
    await page.locator(".rf-screen--language").waitFor();
    await context.close();
  });

  it("a tablet named when armed records it, and its facilitator, on the session its responses belong to", { timeout: 90_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await page.goto(`${server.url}/c/${s.link.token}`);
    await page.getByLabel("Name of this tablet").fill("Tablet 3");
    await page.getByRole("link", { name: "Sign in to arm this tablet" }).click();
    await page.getByLabel("Email").fill(s.facilitator.email);
    await page.getByLabel("Password").fill(s.facilitator.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("This tablet is armed").waitFor();
    expect(await page.locator(".panel-head p").textContent()).toContain("tablet “Tablet 3”");
    // The facilitator who armed it runs the session unless another of the programme's is chosen.
    expect(await page.locator('select[name="facilitatorId"] option:checked').textContent()).toBe("Survey Facilitator");
    await screenshotThreeSizes(page, "field-app-panel-named-tablet");
    await page.getByLabel("Group", { exact: true }).fill("elders");
    await page.getByRole("button", { name: "Start session" }).click();
    await page.getByRole("button", { name: "Hand the tablet to respondents" }).click();
    await page.getByRole("button", { name: "English", exact: true }).click();
    await page.locator(".rf-consent-actions .rf-button--primary").click();
    for (let i = 0; i < 40 && !(await page.locator(".rf-screen--done").isVisible()); i++) {
      await page.locator(".rf-screen--question, .rf-screen--done").first().waitFor();
      if (await page.locator(".rf-screen--done").isVisible()) break;
      await answerOne(page);
      await page.waitForTimeout(50);
    }
    const stored = () =>
      t.db
        .selectFrom("responses as r")
        .innerJoin("fg_sessions as f", "f.id", "r.session_id")
        .select(["f.device_name", "f.facilitator_name", "f.group_description"])
        .where("r.survey_id", "=", s.surveyId)
        .execute();
    await expect.poll(stored, { timeout: 20_000 }).toEqual([{ device_name: "Tablet 3", facilitator_name: "Survey Facilitator", group_description: "elders" }]);
    await context.close();
  });
});
