// In Chromium: an Arabic kiosk session reads Arabic from the language chooser to the thank-you
// screen — the bar above it, its queue count and the PIN dialog included — and the facilitator's
// group note stays off the respondents' screens. Then the converted staff pages in Arabic and French.
// Screenshots at 800×1280, 390×844 and 1440×900, for people to look at.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR } from "../support/screenshots";
import { aPublishedSurvey } from "../support/fixtures";

const PIN = "582046";
const PHONE = { width: 390, height: 844 };

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const size of [TABLET, PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Latin-script words a respondent can read on the kiosk (screen, bar, dialogs). */
const latinOnScreen = (page: Page) =>
  page.locator(".kiosk").evaluate((el) => (el as HTMLElement).innerText.match(/[A-Za-z]{2,}/g) ?? []);

describe.skipIf(!hasChromium())("every word in the respondent's and the facilitator's language", () => {
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

  it("an Arabic kiosk session shows no English on the respondent screens, the bar or the PIN dialog", { timeout: 180_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN });
    const context = await browser.newContext({ viewport: TABLET, locale: "ar-JO" });
    const page = await context.newPage();
    await page.goto(`${server.url}/c/${s.link.token}`);
    await page.locator('[data-view="arming"]').waitFor();
    await page.locator('.collector[data-offline-ready="ready"]').waitFor();

    // Arming passes through the sign-in page, which an Arabic browser gets in Arabic, like the arming screen and the panel.
    await page.getByRole("link", { name: "تسجيل الدخول لتجهيز هذا الجهاز" }).click();
    await page.locator('html[lang="ar"][dir="rtl"]').waitFor();
    await page.getByLabel("البريد الإلكتروني").fill(s.facilitator.email);
    await page.getByLabel("كلمة المرور").fill(s.facilitator.password);
    await page.getByRole("button", { name: "تسجيل الدخول" }).click();
    await page.getByRole("heading", { name: "لوحة الميسّر" }).waitFor();
    expect(await page.locator('[data-view="panel"]').getAttribute("dir")).toBe("rtl");

    // The facilitator's note on the group is theirs: not marked public, respondents never see it.
    await page.getByLabel("المجموعة", { exact: true }).fill("women 18–35");
    await page.getByRole("button", { name: "بدء الجلسة" }).click();
    await page.getByRole("button", { name: "تسليم الجهاز للمجيبين" }).click();

    // The chooser's title in every language the survey offers, at once.
    const chooser = page.locator(".rf-screen--language");
    await chooser.waitFor();
    for (const title of ["Choose your language", "Choisissez votre langue", "اختر لغتك"]) await chooser.getByText(title, { exact: true }).waitFor();
    await shoot(page, "ar-kiosk-chooser");
    await page.getByRole("button", { name: "العربية", exact: true }).click();

    // Offline, so the answer waits on the tablet and the bar counts it.
    await context.setOffline(true);
    const bar = page.locator(".kiosk-bar");
    const title = s.definition.title.ar as string;
    let shotQuestion = false;
    for (let i = 0; i < 40; i++) {
      await page.locator(".rf-screen").first().waitFor();
      await expect.poll(() => page.locator(".rf").getAttribute("lang")).toBe("ar");
      expect(await bar.locator(".kiosk-bar-label").textContent()).toBe(title);
      expect(await bar.textContent()).not.toContain("women");
      expect(await latinOnScreen(page)).toEqual([]);
      if (await page.locator(".rf-screen--done").isVisible()) break;
      const before = await page.locator(".rf-title").first().textContent();
      if (await page.locator(".rf-screen--consent").isVisible()) {
        await shoot(page, "ar-kiosk-consent");
        await page.locator(".rf-consent-actions .rf-button--primary").click();
      } else {
        const screen = page.locator(".rf-screen--question");
        if ((await screen.locator(".rf-option").count()) && !(await screen.locator('.rf-option[aria-pressed="true"]').count())) {
          await screen.locator(".rf-option").first().click();
          if (!shotQuestion) {
            shotQuestion = true;
            await shoot(page, "ar-kiosk-question");
            // The PIN dialog opens over the respondent's screen, in the respondent's language.
            await bar.getByRole("button", { name: "الميسّر" }).click();
            const dialog = page.locator('[data-view="pin"]');
            await dialog.waitFor();
            expect(await dialog.getAttribute("dir")).toBe("rtl");
            await dialog.getByRole("heading", { name: "الرمز السري للميسّر" }).waitFor();
            await dialog.getByLabel("الرمز السري").fill("000000");
            await dialog.getByRole("button", { name: "فتح لوحة الميسّر" }).click();
            await dialog.getByText("الرمز غير صحيح.", { exact: false }).waitFor();
            expect(await latinOnScreen(page)).toEqual([]);
            await shoot(page, "ar-kiosk-pin");
            await dialog.getByRole("button", { name: "العودة إلى الاستبيان" }).click();
            await dialog.waitFor({ state: "detached" });
          }
        }
        const next = screen.locator(".rf-button--next");
        if ((await next.locator(".rf-arrow").count()) === 0) {
          await next.click();
          await page.locator(".rf-screen--done").waitFor();
          continue;
        }
        await next.click();
      }
      await page.waitForFunction((b) => document.querySelector(".rf-title")?.textContent !== b, before);
    }
    await page.locator(".rf-screen--done").waitFor();
    // One answer waits: counted with Arabic's own singular.
    await expect.poll(() => bar.locator(".kiosk-bar-queue").textContent()).toBe("إجابة واحدة للإرسال");
    expect(await latinOnScreen(page)).toEqual([]);
    await shoot(page, "ar-kiosk-done");
    await context.close();
  });

  it("the converted staff pages render in Arabic right to left and in French", { timeout: 120_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    for (const locale of ["ar", "fr"] as const) {
      const context = await browser.newContext({ viewport: DESKTOP, locale });
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.locator(`html[lang="${locale}"][dir="${locale === "ar" ? "rtl" : "ltr"}"]`).waitFor();
      await shoot(page, `${locale}-staff-login`);
      await page.getByLabel(locale === "ar" ? "البريد الإلكتروني" : "Adresse e-mail").fill(s.facilitator.email);
      await page.getByLabel(locale === "ar" ? "كلمة المرور" : "Mot de passe").fill(s.facilitator.password);
      await page.getByRole("button", { name: locale === "ar" ? "تسجيل الدخول" : "Se connecter" }).click();
      await page.waitForURL((u) => u.pathname === "/");
      await page.goto(`${server.url}/settings`);
      await page.getByRole("heading", { name: locale === "ar" ? "إعداداتك" : "Vos paramètres" }).waitFor();
      await page.getByRole("button", { name: locale === "ar" ? "تسجيل الخروج" : "Se déconnecter" }).waitFor();
      // Right to left: the header's brand sits on the right.
      if (locale === "ar") {
        const brand = await page.locator(".brand").boundingBox();
        expect(brand!.x).toBeGreaterThan(DESKTOP.width / 2);
      }
      await shoot(page, `${locale}-staff-settings`);
      await page.goto(`${server.url}/programmes/${s.programme.id}`);
      await page.getByRole("heading", { name: locale === "ar" ? "المجتمعات" : "Communautés" }).waitFor();
      await shoot(page, `${locale}-staff-programme`);
      await page.goto(`${server.url}/`);
      await page.locator(".programme-card").first().waitFor();
      await shoot(page, `${locale}-staff-programmes`);
      await context.close();
    }
  });
});
