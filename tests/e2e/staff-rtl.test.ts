// In Chromium, as a facilitator whose browser speaks Arabic: the dashboard, the data page (with who
// collected what) and a tablet's facilitator panel run right to left in Arabic, at tablet and
// desktop size, without the layout breaking: nothing wider than the window, headings starting on
// the right, the panel's words in Arabic. Screenshots are kept for people to look at.
import path from "node:path";
import fs from "node:fs";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR } from "../support/screenshots";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { chartsDrawn } from "../support/ui";
import { HttpClient } from "../support/http-client";
import { sealResponse, type SealingKey } from "../../app/collector/seal";

/** At tablet and desktop size: no sideways scrolling, the first heading hugging the right, a screenshot. */
async function checkRtl(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [label, size] of [["tablet", TABLET], ["desktop", DESKTOP]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(400);
    const layout = await page.evaluate(() => {
      const h1 = document.querySelector("h1")!.getBoundingClientRect();
      const main = (document.querySelector("main, .panel") as HTMLElement).getBoundingClientRect();
      return { scroll: document.documentElement.scrollWidth, width: window.innerWidth, h1Right: h1.right, mainRight: main.right, h1Left: h1.left, mainLeft: main.left };
    });
    expect(layout.scroll, `${name} ${label}: wider than the window`).toBeLessThanOrEqual(layout.width);
    // Right to left: the heading starts at the right edge of the content, not the left.
    expect(layout.mainRight - layout.h1Right, `${name} ${label}: heading not on the right`).toBeLessThan(48);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `rtl-${name}-${label}.png`), fullPage: true });
    // The first screen alone too: a long page's full shot is too small to read.
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `rtl-${name}-${label}-top.png`) });
  }
}

describe.skipIf(!hasChromium())("the staff pages and the facilitator panel in Arabic, right to left", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  let s: Awaited<ReturnType<typeof aPublishedSurvey>>;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    browser = await launchChromium();
    // A kiosk link without a PIN (it opens on the panel), a session from "Tablet 3" with 12 responses.
    s = await aPublishedSurvey(t.db, { mode: "kiosk" });
    const json = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    const tablet = new HttpClient(server.url);
    const sessionId = randomUUID();
    const session = { id: sessionId, heldOn: "2026-03-02", groupDescription: "", participantCount: 12, notes: "", updatedAt: "2026-03-02T10:00:00Z", deviceName: "Tablet 3" };
    expect((await tablet.request(`/api/v1/links/${s.link.token}/sessions`, json({ sessions: [session] }))).status).toBe(200);
    const bundle = (await (await fetch(`${server.url}/api/v1/links/${s.link.token}`)).json()) as { sealing: SealingKey };
    const responses = Array.from({ length: 12 }, (_, i) => ({
      id: randomUUID(),
      surveyVersion: 1,
      collectedAt: "2026-03-02T10:30:00.000Z",
      language: "en",
      sessionId,
      answers: sdg16Answers({ safe_after_dark: String((i % 4) + 1) }),
    }));
    const stored = await tablet.request(`/api/v1/links/${s.link.token}/responses`, json({ responses: responses.map((r) => sealResponse(bundle.sealing, r)) }));
    expect(stored.status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  it("dashboard, data page and facilitator panel read in Arabic and lay out right to left", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: TABLET, locale: "ar" });
    const page = await context.newPage();
    // Signing in, in Arabic: the browser asks for it.
    await page.goto(`${server.url}/login`);
    await page.locator('html[lang="ar"][dir="rtl"]').waitFor();
    await page.locator('input[name="email"]').fill(s.facilitator.email);
    await page.locator('input[name="password"]').fill(s.facilitator.password);
    await page.getByRole("button", { name: "تسجيل الدخول" }).click();
    await page.waitForURL((url) => url.pathname !== "/login");

    await page.goto(`${server.url}/programmes/${s.programme.id}/dashboard`);
    await page.getByRole("heading", { name: "مدى شعور الناس بالأمان: Survey Programme" }).waitFor();
    await page.getByRole("heading", { name: "الأرقام الرئيسية" }).waitFor();
    await chartsDrawn(page);
    await checkRtl(page, "dashboard");

    await page.goto(`${server.url}/surveys/${s.surveyId}/data`);
    await page.getByRole("heading", { name: "من جمع الإجابات" }).waitFor();
    const byTablet = page.locator("table", { has: page.locator("caption", { hasText: "حسب الجهاز اللوحي" }) });
    expect(await byTablet.locator("tbody tr").first().innerText()).toMatch(/Tablet 3\s+1\s+12/);
    await checkRtl(page, "data");

    await page.goto(`${server.url}/c/${s.link.token}`);
    await page.getByRole("heading", { name: "لوحة الميسّر" }).waitFor();
    expect(await page.locator(".panel").getAttribute("dir")).toBe("rtl");
    await page.getByRole("heading", { name: "الإجابات على هذا الجهاز" }).waitFor();
    await page.getByRole("button", { name: "مزامنة الآن" }).waitFor();
    await page.getByRole("heading", { name: "بدء جلسة مجموعة نقاش" }).waitFor();
    // The status line says what the browser reports, in Arabic.
    await expect.poll(() => page.locator(".panel-device").innerText(), { timeout: 30_000 }).toMatch(/النسخة غير المتصلة|لا نسخة غير متصلة|لا توجد نسخة/);
    await checkRtl(page, "panel");
    await context.close();
  });
});
