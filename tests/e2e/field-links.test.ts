// In Chromium: links people can use. The links page and the poster print PUBLIC_URL — the address
// respondents' phones reach — even when the facilitator browses the server as localhost, and warn
// when it is unset or local; every link's short code, typed as printed (or in lower case), opens it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, TABLET, launchChromium, PHONE } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotThreeSizes } from "../support/screenshots";
import { aPublishedSurvey } from "../support/fixtures";
import { signInAs } from "../support/ui";
import { SHORT_CODE_ALPHABET } from "../../app/links/short-code";


describe.skipIf(!hasChromium())("links people can open and type", () => {
  let t: TestDb;
  let server: RunningServer;
  let browser: Browser;
  const before = process.env.PUBLIC_URL;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    browser = await launchChromium();
  });
  afterEach(() => {
    if (before === undefined) delete process.env.PUBLIC_URL;
    else process.env.PUBLIC_URL = before;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.drop();
  });

  it("QR codes and the poster use PUBLIC_URL, and the poster's short code opens the survey on a phone", { timeout: 90_000 }, async () => {
    process.env.PUBLIC_URL = "https://surveys.example.org/";
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const row = await t.db.selectFrom("collection_links").select(["short_code", "token"]).where("id", "=", s.link.id).executeTakeFirstOrThrow();
    expect(row.short_code).toMatch(new RegExp(`^[${SHORT_CODE_ALPHABET}]{8}$`));
    const code = row.short_code!;

    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    // The facilitator browses the server by its local address, as when following the README.
    await signInAs(page, server.url, s.facilitator.email, s.facilitator.password);
    await page.goto(`${server.url}/surveys/${s.surveyId}/links`);
    const card = page.locator(".link-card").first();
    expect(await card.locator(".link-url").textContent()).toBe(`https://surveys.example.org/c/${row.token}`);
    expect(await card.getByRole("img").getAttribute("aria-label")).toBe("QR code for Tablet 1");
    expect(await card.locator("[data-short-code]").textContent()).toBe(`surveys.example.org/c/${code.slice(0, 4)}-${code.slice(4)}`);
    expect(await page.locator("[data-public-url]").count()).toBe(0);

    await card.getByRole("link", { name: "Poster to print" }).click();
    await page.locator("svg.poster-qr").waitFor();
    expect(await page.locator("svg.poster-qr").getAttribute("aria-label")).toBe(`QR code: https://surveys.example.org/c/${row.token}`);
    const typed = (await page.locator(".poster-url").textContent())!;
    expect(typed).toBe(`surveys.example.org/c/${code.slice(0, 4)}-${code.slice(4)}`);
    await screenshotThreeSizes(page, "field-links-poster");
    await context.close();

    // A respondent types the printed code on a phone (here against the test server), in lower case too.
    const phone = await browser.newContext({ viewport: PHONE });
    const p = await phone.newPage();
    for (const asTyped of [typed.slice(typed.lastIndexOf("/") + 1), code.toLowerCase()]) {
      await p.goto(`${server.url}/c/${asTyped}`);
      await p.locator(".rf-screen").first().waitFor();
      expect(new URL(p.url()).pathname).toBe(`/c/${row.token}`);
    }
    // Something that only looks like a code opens nothing, answered as any unknown link is.
    const res = await p.goto(`${server.url}/c/ABCD-2345`);
    expect(res?.status()).toBe(401);
    await p.getByRole("heading", { name: "This survey cannot be opened" }).waitFor();
    await phone.close();
  });

  it("the links page and the poster warn when PUBLIC_URL is unset or points at localhost", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const context = await browser.newContext({ viewport: TABLET });
    const page = await context.newPage();
    await signInAs(page, server.url, s.facilitator.email, s.facilitator.password);
    for (const [value, problem] of [[undefined, "unset"], ["http://localhost:3000", "localhost"]] as const) {
      if (value === undefined) delete process.env.PUBLIC_URL;
      else process.env.PUBLIC_URL = value;
      await page.goto(`${server.url}/surveys/${s.surveyId}/links`);
      expect(await page.locator("[data-public-url]").getAttribute("data-public-url")).toBe(problem);
      await page.locator(".link-card").first().getByRole("link", { name: "Poster to print" }).click();
      expect(await page.locator("[data-public-url]").getAttribute("data-public-url")).toBe(problem);
    }
    await screenshotThreeSizes(page, "field-links-poster-localhost");
    await context.close();
  });
});
