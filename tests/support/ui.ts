// Small helpers for browser stories.
import type { Page } from "playwright-core";
import { expect } from "vitest";

export async function signInAs(page: Page, base: string, email: string, password: string) {
  await page.goto(base + "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** An element by its exact id (editor ids contain dots, which CSS selectors would misread). */
export const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

export async function waitForSaved(page: Page) {
  await expect.poll(() => page.locator(".save-state").textContent(), { timeout: 10_000 }).toContain("All changes saved");
}

/** Waits until Chart.js has drawn on every canvas of the page. */
export async function chartsDrawn(page: Page) {
  await page.waitForFunction(() => [...document.querySelectorAll("canvas")].every((c) => c.dataset.drawn === "true"), null, { timeout: 30_000 });
}
