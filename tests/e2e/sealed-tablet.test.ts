// In Chromium: a shared kiosk tablet keeps every respondent's answers sealed. Before arming, nothing
// an anonymous visitor receives holds the PIN's check value; a facilitator arms the tablet by signing
// in (and is signed out at once); a respondent answers offline with a distinctive free-text answer,
// and neither IndexedDB, the saved queue file, the panel nor back/forward shows it; the PIN opens the
// panel offline (timed with and without WebCrypto); wrong PINs lock the tablet, across a reload; the
// sync then stores the answer exactly once, readable in the export and the dashboard series.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { TABLET, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { SCREENSHOT_DIR } from "../support/screenshots";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { createApiToken } from "../../app/models/api-tokens.server";

const PIN = "582046";
const SECRET = "Sealed answer: the bridge path is unlit after nine";
const PHONE = { width: 390, height: 844 };

const withComment = (d: any) => {
  d.questions.push({
    id: "comment",
    type: "text",
    label: { en: "Anything else about safety here?", fr: "Autre chose sur la sécurité ici ?", ar: "هل هناك أي شيء آخر عن الأمان هنا؟" },
  });
};

/** Screenshots at 800×1280 (tablet) and 390×844 (phone), for people to look at. */
async function shoot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize();
  for (const size of [TABLET, PHONE]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Every object store of the collector's IndexedDB, as stored. */
const readIndexedDb = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open("sps-collector");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const out: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      out[name] = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction(name).objectStore(name).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    db.close();
    return out;
  });

describe.skipIf(!hasChromium())("a shared tablet keeps answers sealed", () => {
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

  async function answerAll(page: Page, text: string) {
    for (let i = 0; i < 40; i++) {
      await page.locator(".rf-screen").first().waitFor();
      if (await page.locator(".rf-screen--done").isVisible()) return;
      const before = await page.locator(".rf-title").first().textContent();
      if (await page.locator(".rf-screen--language").isVisible()) await page.getByRole("button", { name: "English", exact: true }).click();
      else if (await page.locator(".rf-screen--consent").isVisible()) await page.locator(".rf-consent-actions .rf-button--primary").click();
      else {
        const screen = page.locator(".rf-screen--question");
        if ((await screen.locator(".rf-option").count()) && !(await screen.locator('.rf-option[aria-pressed="true"]').count())) await screen.locator(".rf-option").first().click();
        if (await screen.locator("textarea").count()) await screen.locator("textarea").fill(text);
        const next = screen.locator(".rf-button--next");
        if ((await next.locator(".rf-arrow").count()) === 0) {
          await next.click();
          await page.locator(".rf-screen--done").waitFor();
          return;
        }
        await next.click();
      }
      await page.waitForFunction((b) => document.querySelector(".rf-title")?.textContent !== b, before);
    }
    throw new Error("the survey did not end");
  }

  it("seals answers on the device, arms by sign-in, locks on wrong PINs, and syncs exactly once", { timeout: 240_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "kiosk", pin: PIN, edit: withComment });
    // One response must show on the dashboard: this programme publishes cells of one.
    await t.db.updateTable("programmes").set({ min_cell_size: 1 }).where("id", "=", s.programme.id).execute();
    const stored = (await t.db.selectFrom("collection_links").select("kiosk_pin").where("id", "=", s.link.id).executeTakeFirstOrThrow()).kiosk_pin!;
    const [, iterations, salt, hash] = stored.split(":");
    expect(Number(iterations)).toBeGreaterThanOrEqual(600_000);
    const token = s.link.token;

    const context = await browser.newContext({ viewport: TABLET, acceptDownloads: true });
    const page = await context.newPage();
    const received: Promise<string>[] = [];
    page.on("response", (res) => received.push(res.text().catch(() => "")));

    // --- Before arming: nothing anonymous holds the PIN's check value. ---
    await page.goto(`${server.url}/c/${token}`);
    await page.locator('[data-view="arming"]').waitFor();
    await page.locator('.collector[data-offline-ready="ready"]').waitFor();
    const anonymous = [
      await page.evaluate((tok) => fetch(`/api/v1/links/${tok}`).then((r) => r.text()), token),
      await page.content(),
      await (await fetch(`${server.url}/c/${token}`)).text(),
      await (await fetch(`${server.url}/c/${token}.data`)).text(),
      JSON.stringify(await readIndexedDb(page)),
      ...(await Promise.all(received)),
    ];
    expect(anonymous[3]).toContain("sealing"); // the loader data is really there…
    for (const text of anonymous) {
      expect(text).not.toContain(salt); // …and the check value is not
      expect(text).not.toContain(hash);
    }
    await shoot(page, "sealed-arming");

    // Until armed, respondents can answer, but the panel opens only by arming.
    await page.getByRole("button", { name: "Hand the tablet to respondents" }).click();
    await page.locator(".rf-screen--language").waitFor();
    await page.getByRole("button", { name: "Facilitator" }).click();
    await page.getByText("The facilitator panel stays closed on this tablet until a facilitator arms it").waitFor();
    expect(await page.locator("#kiosk-pin").count()).toBe(0);
    await page.getByRole("button", { name: "Arm this tablet" }).click();

    // --- Arming: the normal sign-in, back to the link; signed out at once. ---
    await page.getByRole("link", { name: "Sign in to arm this tablet" }).click();
    await page.getByLabel("Email").fill(s.facilitator.email);
    await page.getByLabel("Password").fill(s.facilitator.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    await page.getByText("This tablet is armed, and you have been signed out of this browser.").waitFor();
    expect(new URL(page.url()).searchParams.has("arm")).toBe(false);
    expect((await context.cookies()).map((c) => c.name)).not.toContain("sps_session");
    expect(await t.db.selectFrom("sessions").select("id").where("user_id", "=", s.facilitator.id).execute()).toEqual([]);
    expect((await readIndexedDb(page)).arming).toEqual([expect.objectContaining({ token, kioskPin: stored })]);

    // --- A respondent answers offline, with a free-text answer no one else may read. ---
    await page.getByLabel("Group", { exact: true }).fill("women 18–35");
    await page.getByRole("button", { name: "Start session" }).click();
    await page.getByRole("button", { name: "Hand the tablet to respondents" }).click();
    await context.setOffline(true);
    await answerAll(page, SECRET);
    await page.getByRole("button", { name: "Next person" }).click();
    await page.locator(".rf-screen--language").waitFor();

    // Back and forward after the finished response show nothing of it.
    await page.goBack({ waitUntil: "commit" }).catch(() => null);
    await page.waitForTimeout(800);
    expect(await page.content()).not.toContain(SECRET);
    await page.goForward({ waitUntil: "commit" }).catch(() => null);
    await page.locator(".rf-screen--language").waitFor({ timeout: 15_000 });
    expect(await page.content()).not.toContain(SECRET);
    expect(await page.locator('[aria-pressed="true"]').count()).toBe(0);

    // Every IndexedDB store: the answer and its codes are nowhere in clear.
    const idb = await readIndexedDb(page);
    expect(JSON.stringify(idb)).not.toContain(SECRET);
    expect(JSON.stringify(idb)).not.toContain("bridge path");
    for (const [name, values] of Object.entries(idb)) {
      if (name === "bundles" || name === "definitions") continue; // the survey itself, not answers
      expect(JSON.stringify(values)).not.toMatch(/safe_after_dark|"answers"|"comment"/);
    }
    expect(idb.outbox).toHaveLength(1);
    expect(idb.outbox[0]).toMatchObject({ token, sealed: { sealed: { v: 1, alg: "X25519-HKDF-SHA256-A256GCM" } } });

    // --- The PIN opens the panel offline (WebCrypto here, on localhost). ---
    await page.getByRole("button", { name: "Facilitator" }).click();
    await page.locator("#kiosk-pin").fill(PIN);
    let started = Date.now();
    await page.getByRole("button", { name: "Open the panel" }).click();
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    const webCryptoMs = Date.now() - started;
    expect(await page.locator('[data-count="queued"]').textContent()).toBe("1");
    const panelHtml = await page.locator(".collector").innerHTML();
    expect(panelHtml).not.toContain(SECRET);
    expect(panelHtml).not.toMatch(/safe_after_dark|bridge path/);
    await shoot(page, "sealed-panel");

    // The saved queue file is the same ciphertext.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Save queue to file" }).click()]);
    const fileText = fs.readFileSync((await download.path())!, "utf8");
    expect(fileText).not.toContain(SECRET);
    expect(fileText).not.toMatch(/safe_after_dark|"answers"/);
    const file = JSON.parse(fileText);
    expect(file.responses).toEqual([(idb.outbox[0] as { sealed: unknown }).sealed]);

    // --- Wrong PINs lock the tablet, in the respondent's language, and a reload keeps it locked. ---
    await page.getByRole("button", { name: "Hand the tablet to respondents" }).click();
    await page.getByRole("button", { name: "Français", exact: true }).click();
    await page.locator(".rf-screen--consent").waitFor();
    await page.getByRole("button", { name: "Animateur" }).click(); // the bar speaks the respondent's language
    for (let i = 1; i <= 5; i++) {
      await page.locator("#kiosk-pin").fill("000000");
      await page.locator(".kiosk-dialog button[type=submit]").click();
      await expect.poll(() => page.locator("#pin-error").textContent()).toContain(i < 5 ? `: ${5 - i}` : "Trop de codes erronés");
    }
    expect(await page.locator("#kiosk-pin").isDisabled()).toBe(true);
    expect(await page.locator(".kiosk-overlay").getAttribute("lang")).toBe("fr");
    expect(await page.locator("#pin-error").textContent()).toMatch(/La tablette est verrouillée : réessayez dans 0:[0-3]\d\./);
    await shoot(page, "sealed-pin-lock");
    await page.reload();
    await page.locator(".rf-screen--language").waitFor();
    await page.getByRole("button", { name: "Facilitator" }).click();
    await page.locator("#pin-error[data-locked-ms]").waitFor();
    expect(await page.locator("#kiosk-pin").isDisabled()).toBe(true);
    // Let the lock run out (moved into the past rather than waiting 30 s), then the right PIN opens.
    await page.evaluate(async (tok) => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const r = indexedDB.open("sps-collector");
        r.onsuccess = () => resolve(r.result);
      });
      const tx = db.transaction("pinlock", "readwrite");
      tx.objectStore("pinlock").put({ token: tok, failures: 5, lockedUntil: Date.now() - 1 });
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    }, token);
    await page.getByRole("button", { name: "Back to the survey" }).click();
    await page.getByRole("button", { name: "Facilitator" }).click();
    await page.locator("#kiosk-pin").fill(PIN);
    await page.getByRole("button", { name: "Open the panel" }).click();
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    expect((await readIndexedDb(page)).pinlock).toEqual([{ token, failures: 0, lockedUntil: 0 }]);

    // --- The same check without WebCrypto, as on a plain-http LAN page (JavaScript PBKDF2). ---
    await context.addInitScript(() => Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined }));
    const lan = await context.newPage();
    await lan.goto(`${server.url}/c/${token}`);
    expect(await lan.evaluate(() => crypto.subtle === undefined)).toBe(true);
    await lan.locator(".rf-screen--language").waitFor();
    await lan.getByRole("button", { name: "Facilitator" }).click();
    await lan.locator("#kiosk-pin").fill(PIN);
    started = Date.now();
    await lan.getByRole("button", { name: "Open the panel" }).click();
    await lan.getByRole("heading", { name: "Facilitator panel" }).waitFor({ timeout: 30_000 });
    const javascriptMs = Date.now() - started;
    await lan.close();
    console.log(`PIN check in Chromium (600,000 PBKDF2-SHA256 iterations): WebCrypto ${webCryptoMs} ms, JavaScript ${javascriptMs} ms`);

    // --- Online again: opened on the server, stored once, read back where people read it. ---
    expect(Number((await t.db.selectFrom("responses").select((e) => e.fn.countAll<number>().as("n")).where("survey_id", "=", s.surveyId).executeTakeFirstOrThrow()).n)).toBe(0);
    await context.setOffline(false);
    await page.getByRole("button", { name: "Sync now" }).click();
    await expect.poll(() => page.locator('[data-count="queued"]').textContent(), { timeout: 20_000 }).toBe("0");
    expect(await page.locator('[data-count="sent"]').textContent()).toBe("1");
    const rows = await t.db.selectFrom("responses").select(["id", "answers", "session_id"]).where("survey_id", "=", s.surveyId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(file.responses[0].id);
    expect(JSON.parse(rows[0].answers).comment).toBe(SECRET);
    expect(rows[0].session_id).toBeTruthy();
    // The queue file sent again (as an import or a second tablet would) is a duplicate, not a second row.
    const resent = await fetch(`${server.url}/api/v1/links/${token}/responses`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ responses: file.responses }) });
    expect((await resent.json()).results).toEqual([{ id: rows[0].id, status: "duplicate" }]);

    const apiToken = (await createApiToken(t.db, s.facilitator.id, "check", { scopes: ["aggregates", "raw"] })).token;
    const csv = await (await fetch(`${server.url}/api/v1/surveys/${s.surveyId}/responses.csv`, { headers: { Authorization: `Bearer ${apiToken}` } })).text();
    expect(csv.split(SECRET).length - 1).toBe(1);
    const series = await (await fetch(`${server.url}/api/v1/surveys/${s.surveyId}/indicators/safe_after_dark_official/series`, { headers: { Authorization: `Bearer ${apiToken}` } })).json();
    expect(series.points).toEqual([expect.objectContaining({ n: 1, value: 1, suppressed: false })]);

    // An armed tablet opened outside a session asks for the PIN before anything else.
    await page.getByRole("button", { name: "End session…" }).click();
    await page.getByRole("button", { name: "End the session and save notes" }).click();
    await page.getByRole("heading", { name: "Start a focus-group session" }).waitFor();
    await page.reload();
    await page.locator('[data-view="pin"]').waitFor();
    expect(await page.getByRole("heading", { name: "Facilitator panel" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Back to the survey" }).count()).toBe(0);
    await page.locator("#kiosk-pin").fill(PIN);
    await page.getByRole("button", { name: "Open the panel" }).click();
    await page.getByRole("heading", { name: "Facilitator panel" }).waitFor();
    await context.close();
  });

  it("answers a page from before sealing left in clear are sealed in place on the next opening, then sent", { timeout: 60_000 }, async () => {
    const s = await aPublishedSurvey(t.db, { mode: "self" });
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/c/${s.link.token}`);
    await page.locator('.collector[data-offline-ready="ready"]').waitFor();
    await context.setOffline(true);
    const legacy = { id: crypto.randomUUID(), surveyVersion: 1, collectedAt: "2026-11-20T10:00:00.000Z", language: "en", answers: sdg16Answers({ safe_after_dark: "3" }) };
    await page.evaluate(
      async ({ token, response }) => {
        const db = await new Promise<IDBDatabase>((resolve) => {
          const r = indexedDB.open("sps-collector");
          r.onsuccess = () => resolve(r.result);
        });
        const tx = db.transaction("outbox", "readwrite");
        tx.objectStore("outbox").put({ id: response.id, token, response, queuedAt: new Date().toISOString() });
        await new Promise((resolve) => (tx.oncomplete = resolve));
        db.close();
      },
      { token: s.link.token, response: legacy },
    );
    await page.reload();
    await expect.poll(async () => JSON.stringify((await readIndexedDb(page)).outbox), { timeout: 10_000 }).toContain('"alg":"X25519-HKDF-SHA256-A256GCM"');
    expect(JSON.stringify((await readIndexedDb(page)).outbox)).not.toMatch(/safe_after_dark|"answers"/);
    await context.setOffline(false);
    await expect
      .poll(async () => (await t.db.selectFrom("responses").select("answers").where("id", "=", legacy.id).execute()).map((r) => JSON.parse(r.answers).safe_after_dark), { timeout: 20_000 })
      .toEqual(["3"]);
    await context.close();
  });
});
