// Screenshots of pages at tablet, phone and desktop size, kept for people to look at (not committed).
import fs from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { DESKTOP, PHONE, TABLET } from "./browser";

export const SCREENSHOT_DIR = path.resolve("screenshots");

type Size = { width: number; height: number };

/** `<name>-<label>.png` at each size: the full page, or one element (found again after each resize). */
async function screenshotAt(page: Page, name: string, sizes: readonly (readonly [string, Size])[], element?: () => Locator) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of sizes) {
    await page.setViewportSize(size);
    // Responsive canvases (dashboard charts) redraw on the next animation frames after a resize.
    await page.waitForTimeout(400);
    const file = path.join(SCREENSHOT_DIR, `${name}-${label}.png`);
    if (element) await element().screenshot({ path: file });
    else await page.screenshot({ path: file, fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

export const screenshotBothSizes = (page: Page, name: string) =>
  screenshotAt(page, name, [
    ["tablet", TABLET],
    ["desktop", DESKTOP],
  ]);

export const screenshotThreeSizes = (page: Page, name: string, element?: () => Locator) =>
  screenshotAt(
    page,
    name,
    [
      ["tablet", TABLET],
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ],
    element,
  );
