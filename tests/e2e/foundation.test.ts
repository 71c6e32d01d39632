// In a real Chromium: the first administrator sets up the site (with the console's setup code), creates a programme and a community,
// and a second person who is not a member cannot see it, through pages or the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, launchChromium, TABLET } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotBothSizes } from "../support/screenshots";
import { issueSetupCode } from "../../app/models/setup-code.server";

describe.skipIf(!hasChromium())("an administrator sets up a programme in Chromium", () => {
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

  it("first run, programme, community, and a non-member who sees nothing", async () => {
    const admin = await browser.newContext({ viewport: DESKTOP });
    const page = await admin.newPage();
    // The one-time code the server prints in its console at start, read there by the administrator.
    const setupCode = (await issueSetupCode(t.db))!;
    await page.goto(server.url + "/");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/setup");
    await screenshotBothSizes(page, "setup");
    await page.getByLabel("Setup code").fill(setupCode);
    await page.getByLabel("Your name").fill("Ayaan Warsame");
    await page.getByLabel("Email").fill("ayaan@example.org");
    await page.getByLabel("Password").fill("a very long first password");
    await page.getByRole("button", { name: "Create administrator" }).click();
    await page.waitForURL(/\/admin$/);

    await page.getByLabel("Name", { exact: true }).first().fill("Garowe Community Safety");
    await page.getByLabel("Country").fill("Somalia");
    await page.getByRole("button", { name: "Create programme" }).click();
    await page.waitForURL(/\/programmes\/[^/]+$/);
    const programmeUrl = page.url();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Garowe Community Safety");

    await page.getByLabel("Name", { exact: true }).fill("Garowe Town");
    await page.getByLabel("Region / district").fill("Nugaal");
    await page.getByRole("button", { name: "Add community" }).click();
    await expect.poll(() => page.getByRole("cell", { name: "Garowe Town" }).count()).toBe(1);
    await screenshotBothSizes(page, "programme");

    await page.goto(server.url + "/admin");
    await page.getByLabel("Name", { exact: true }).nth(1).fill("Bilan Outsider");
    await page.locator("#f-email").fill("bilan@example.org");
    await page.getByLabel("First password").fill("another long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Created an account for Bilan Outsider");
    await expect.poll(() => page.getByRole("link", { name: "Garowe Community Safety" }).count()).toBe(1);
    await screenshotBothSizes(page, "admin");

    const outsider = await browser.newContext({ viewport: TABLET });
    const other = await outsider.newPage();
    await other.goto(server.url + "/login");
    await screenshotBothSizes(other, "sign-in");
    await other.getByLabel("Email").fill("bilan@example.org");
    await other.getByLabel("Password").fill("another long password");
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.waitForURL(server.url + "/");
    await expect.poll(() => other.getByText("You are not a member of any programme yet.").count()).toBe(1);
    expect(await other.content()).not.toContain("Garowe Community Safety");
    await screenshotBothSizes(other, "home-empty");

    const direct = await other.goto(programmeUrl);
    expect(direct?.status()).toBe(404);
    expect(await other.content()).not.toContain("Garowe Town");
    const programmeId = programmeUrl.split("/").pop();
    const api = await other.evaluate(async (id) => {
      const res = await fetch(`/api/v1/programmes/${id}`);
      return { status: res.status, body: await res.text() };
    }, programmeId);
    expect(api.status).toBe(404);
    expect(api.body).not.toContain("Garowe");

    await admin.close();
    await outsider.close();
  });
});
