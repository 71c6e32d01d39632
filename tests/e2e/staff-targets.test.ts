// In Chromium at tablet width (800 px): the staff pages a facilitator uses in the field have tap
// targets of at least 44 px (buttons, breadcrumb links, radio choices) and the header's "Sign out"
// reads at 4.5:1 or better on every page, the survey editor included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { aPublishedSurvey } from "../support/fixtures";
import { signInAs } from "../support/ui";

/** Every visible element the selector finds that is smaller than 44 px tall (or wide, for buttons). */
async function smallTargets(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.height < 44 || r.width < 24)
      .map(({ e, r }) => `${e.tagName.toLowerCase()} “${(e.textContent ?? e.getAttribute("aria-label") ?? "").trim().slice(0, 30)}” ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
}

/** WCAG contrast of an element's text against the first opaque background behind it. */
async function contrastOf(page: Page, selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg: number[] = [255, 255, 255];
    for (let n: Element | null = el; n; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
        bg = c.slice(0, 3);
        break;
      }
    }
    const [a, b] = [lum(rgb(getComputedStyle(el).color).slice(0, 3)), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

describe.skipIf(!hasChromium())("staff pages at tablet width have real tap targets and readable text", () => {
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

  it("the editor, links, survey and data pages", { timeout: 120_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: "246813" });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await signInAs(page, server.url, s.facilitator.email, s.facilitator.password);
    const problems: string[] = [];
    for (const path of [`/surveys/${s.surveyId}/edit`, `/surveys/${s.surveyId}/links`, `/surveys/${s.surveyId}`, `/programmes/${s.programme.id}`]) {
      await page.goto(server.url + path);
      await page.locator("main h1").first().waitFor();
      const contrast = await contrastOf(page, ".site-header .link-button");
      if (contrast < 4.5) problems.push(`${path}: "Sign out" contrast ${contrast.toFixed(2)}:1`);
      for (const small of await smallTargets(page, "main button, .breadcrumbs a, label.radio, .site-header button, .site-header a"))
        problems.push(`${path}: ${small}`);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
