// In Chromium: a facilitator opens a survey's data page, uploads a paper CSV with a problem, reads
// the dry run, imports the valid rows, excludes a session, and an administrator reads the audit log.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { freshDatabase, TMP_DIR, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { DESKTOP, launchChromium } from "../support/browser";
import { hasChromium } from "../support/environment";
import { screenshotBothSizes } from "../support/screenshots";
import { signInAs } from "../support/ui";
import { aUser, aLink } from "../support/fixtures";
import { aMarketSurvey, marketAnswers, storeResponses } from "../support/exchange";

describe.skipIf(!hasChromium())("the data page in Chromium", () => {
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

  it("export, dry run, import, exclusion, audit log", async () => {
    const s = await aMarketSurvey(t.db);
    const link = await aLink(t.db, { surveyId: s.surveyId, mode: "kiosk", label: "Tablet 1", communityId: s.programme.communityId, roundId: s.roundId, createdBy: s.facilitator.id });
    const sessionId = randomUUID();
    const now = new Date().toISOString();
    await t.db
      .insertInto("fg_sessions")
      .values({ id: sessionId, link_id: link.id, survey_id: s.surveyId, community_id: s.programme.communityId, round_id: s.roundId, held_on: "2026-11-18", group_description: "Women traders, market day", participant_count: 9, notes: "", created_at: now, updated_at: now })
      .execute();
    await storeResponses(t.db, { surveyId: s.surveyId, communityId: s.programme.communityId, roundId: s.roundId }, [marketAnswers(), marketAnswers({ safe_market: "3" })], { sessionId });

    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, server.url, s.facilitator.email, s.facilitator.password);
    await page.goto(`${server.url}/surveys/${s.surveyId}`);
    await page.getByRole("link", { name: /Data: export, import, exclusions/ }).click();
    await page.waitForURL(/\/data$/);
    await screenshotBothSizes(page, "data-page");

    const file = path.join(TMP_DIR, `paper-${randomUUID()}.csv`);
    fs.mkdirSync(TMP_DIR, { recursive: true });
    fs.writeFileSync(file, "How safe do you feel at the market?;reported;gender;visits;Interviewer notes\n2;0;woman;3;tall tree\n7;0;man;2;\nVery unsafe;No;Femme;many;\n");

    // A default community of another programme (a form tampered with) is refused by name; nothing is kept.
    const elsewhere = await aMarketSurvey(t.db);
    await page.locator("#imp-community").evaluate((el, id) => el.appendChild(Object.assign(document.createElement("option"), { value: id, text: "Elsewhere" })), elsewhere.lakeside);
    await page.getByLabel("File", { exact: true }).setInputFiles(file);
    await page.locator("#imp-community").selectOption(elsewhere.lakeside);
    await page.getByRole("button", { name: "Upload and check (dry run)" }).click();
    await expect.poll(() => page.getByText("Community (rows without one): choose one of this programme's communities.").count()).toBe(1);
    expect(await t.db.selectFrom("import_jobs").select("id").where("survey_id", "=", s.surveyId).execute()).toHaveLength(0);
    await screenshotBothSizes(page, "data-import-foreign-default");
    await page.goto(`${server.url}/surveys/${s.surveyId}/data`);
    await page.getByLabel("File", { exact: true }).setInputFiles(file);
    await page.getByLabel("Collected on (when the file has no date column)").first().fill("2026-11-19");
    await page.getByRole("button", { name: "Upload and check (dry run)" }).click();
    // The dry run is a job the server runs: the page shows its report when it has run.
    await expect.poll(() => page.getByRole("heading", { name: /Dry run of/ }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByRole("cell", { name: "unknown option" }).count()).toBe(1);
    await screenshotBothSizes(page, "data-dry-run");
    await page.getByLabel("Map column Interviewer notes").selectOption("ignore");
    await page.getByRole("button", { name: /Import the 1 valid row$/ }).click();
    await expect.poll(() => page.getByRole("heading", { name: /^Imported/ }).count(), { timeout: 15_000 }).toBe(1);
    await screenshotBothSizes(page, "data-imported");
    fs.rmSync(file, { force: true });

    await page.goto(`${server.url}/surveys/${s.surveyId}/data`);
    const row = page.getByRole("row", { name: /Women traders/ });
    await row.getByLabel("Reason").selectOption("test_run");
    await row.getByRole("button", { name: "Exclude session" }).click();
    await expect.poll(() => page.getByText("2 responses left the figures").count()).toBe(1);
    await screenshotBothSizes(page, "data-excluded");

    const admin = await aUser(t.db, "Audit Reader", { admin: true });
    const adminContext = await browser.newContext({ viewport: DESKTOP });
    const adminPage = await adminContext.newPage();
    await signInAs(adminPage, server.url, admin.email, admin.password);
    await adminPage.goto(`${server.url}/admin`);
    await adminPage.getByRole("link", { name: "Audit log" }).click();
    await expect.poll(() => adminPage.getByRole("cell", { name: "exclude.session" }).count()).toBe(1);
    await screenshotBothSizes(adminPage, "audit-log");
  });

  it("a large upload: the progress bar moves, survives leaving the page, the dry run waits for a decision, and the dashboard moves after the import", async () => {
    const s = await aMarketSurvey(t.db);
    const rows = 40_000;
    const lines = ["response_id,collected_at,safe_market,visits,reported,gender"];
    for (let i = 0; i < rows; i++) lines.push(`${randomUUID()},2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00.000Z,${1 + (i % 4)},${i % 7},0,${i % 2 ? "man" : "woman"}`);
    const file = path.join(TMP_DIR, `survey-round-${randomUUID()}.csv`);
    fs.mkdirSync(TMP_DIR, { recursive: true });
    fs.writeFileSync(file, lines.join("\n") + "\n");

    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await signInAs(page, server.url, s.facilitator.email, s.facilitator.password);
    const dataPage = `${server.url}/surveys/${s.surveyId}/data`;
    await page.goto(dataPage);
    await page.getByLabel("File", { exact: true }).setInputFiles(file);
    await page.locator("#imp-community").selectOption(s.programme.communityId);
    await page.getByRole("button", { name: "Upload and check (dry run)" }).click();
    // The dry run runs on the server: the bar fills as rows are read.
    const bar = page.getByRole("progressbar", { name: "Dry run progress" });
    await expect.poll(() => bar.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => Number(await page.locator("progress.import-progress").evaluate((el) => (el as HTMLProgressElement).value).catch(() => 1)), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshotBothSizes(page, "data-dry-run-progress");

    // Leaving the page loses nothing: back on it, the job is still there (running, or its report waiting).
    await page.goto(`${server.url}/surveys/${s.surveyId}`);
    await page.goto(dataPage);
    await expect.poll(() => page.getByRole("heading", { name: /Dry run of “survey-round|Checking “survey-round/ }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByRole("heading", { name: /Dry run of “survey-round/ }).count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.locator(".report-counts").first().textContent()).toContain(`${rows} can be imported`);
    // The report stays on the job until the facilitator decides, even across visits.
    await page.goto(`${server.url}/surveys/${s.surveyId}`);
    await page.goto(dataPage);
    await expect.poll(() => page.getByRole("heading", { name: /Dry run of “survey-round/ }).count(), { timeout: 15_000 }).toBe(1);
    await screenshotBothSizes(page, "data-large-dry-run");

    await page.getByRole("button", { name: `Import the ${rows} valid rows` }).click();
    await expect.poll(() => page.getByRole("progressbar", { name: "Import progress" }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByText(/\d+ stored/).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshotBothSizes(page, "data-import-progress");
    await expect.poll(() => page.getByRole("heading", { name: /^Imported “survey-round/ }).count(), { timeout: 120_000 }).toBe(1);
    await expect.poll(() => page.locator(".report-counts").first().textContent()).toContain(`${rows} imported`);
    await screenshotBothSizes(page, "data-large-imported");
    fs.rmSync(file, { force: true });

    // The dashboard counts every imported row.
    await page.goto(`${server.url}/programmes/${s.programme.id}/dashboard`);
    const headline = page.getByRole("article", { name: /Feel safe at the market/ }).first();
    await expect.poll(() => headline.textContent(), { timeout: 15_000 }).toMatch(new RegExp(`n = ${rows.toLocaleString("en")}|n = ${rows}`));
    await screenshotBothSizes(page, "data-large-dashboard");
  }, 240_000);
});
