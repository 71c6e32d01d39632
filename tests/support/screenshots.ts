// Screenshots of pages at tablet and desktop size, kept for people to look at (not committed).
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { DESKTOP, TABLET } from "./browser";

export const SCREENSHOT_DIR = path.resolve("screenshots");

export async function screenshotBothSizes(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of [["tablet", TABLET], ["desktop", DESKTOP]] as const) {
    await page.setViewportSize(size);
    // Responsive canvases (dashboard charts) redraw on the next animation frames after a resize.
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}
