// The minimum cell size, on each database, over real HTTP: a facilitator may raise it or keep it
// at 5 or more, only an administrator may go below 5, nobody below 3 (the field is named, nothing
// changes); every change is in the audit log with old → new and who; the dashboards and the API
// hide exactly the groups the new value says; and migration 0010 lifts programmes below 3 to 3.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { createProgramme, MinCellSizeError, setMembership } from "../../app/models/programmes.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { resolveLink } from "../../app/models/collection-links.server";
import { ingestResponses } from "../../app/models/responses.server";
import { m0010_response_quotas } from "../../db/migrations/0010_response_quotas";

/** What the page shows: its text, without scripts (which carry the page's word list for the browser). */
const words = (html: string) =>
  html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, "")
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ");

describeEachDatabase("minimum cell size", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let facilitator: HttpClient;
  let manager: HttpClient;
  let admin: HttpClient;
  let managerToken: string;

  const programmePage = () => `/programmes/${fixture.programme.id}`;
  const stored = async () => Number((await t.db.selectFrom("programmes").select("min_cell_size").where("id", "=", fixture.programme.id).executeTakeFirstOrThrow()).min_cell_size);
  const audits = () => t.db.selectFrom("audit_log").selectAll().where("action", "=", "programme.min_cell_size").orderBy("id").execute();
  const set = (client: HttpClient, value: string) => client.submit(programmePage(), { intent: "set-min-cell-size", minCellSize: value });
  const byGender = async () => {
    const res = await fetch(`${server.url}/api/v1/surveys/${fixture.surveyId}/indicators/safe_after_dark_official/series?by=gender`, {
      headers: { Authorization: `Bearer ${managerToken}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { points: { group: { gender?: string }; n: number | null; suppressed: boolean }[] };
    return Object.fromEntries(body.points.map((p) => [p.group.gender, p]));
  };

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
    const m = await aUser(t.db, "Programme Manager");
    await setMembership(t.db, { programmeId: fixture.programme.id, userId: m.id, role: "manager" });
    managerToken = (await createApiToken(t.db, m.id, "m&e")).token;
    const a = await aUser(t.db, "Site Admin", { admin: true });
    facilitator = new HttpClient(server.url);
    manager = new HttpClient(server.url);
    admin = new HttpClient(server.url);
    await facilitator.signIn(fixture.facilitator.email, fixture.facilitator.password);
    await manager.signIn(m.email, m.password);
    await admin.signIn(a.email, a.password);
    // Twelve women and four men: the men are a group below 5 but not below 3.
    const link = (await resolveLink(t.db, fixture.link.token))!;
    const answers = [...Array(12).fill("woman"), ...Array(4).fill("man")].map((gender) => ({
      id: randomUUID(),
      surveyVersion: 1,
      collectedAt: "2026-03-10T09:00:00.000Z",
      language: "en",
      answers: sdg16Answers({ gender }),
    }));
    expect((await ingestResponses(t.db, link, answers)).every((r) => r.status === "created")).toBe(true);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a facilitator raises it, and is refused below 5 with the field named and nothing changed", async () => {
    expect(await stored()).toBe(5);
    expect((await byGender()).man).toMatchObject({ n: null, suppressed: true });

    const low = await set(facilitator, "4");
    expect(low.status).toBe(400);
    expect(low.text).toMatch(/id="f-minCellSize-error"[^>]*>Only an administrator can set the minimum cell size below 5\./);
    expect(await stored()).toBe(5);
    expect(await audits()).toHaveLength(0);

    const raised = await set(facilitator, "8");
    expect(raised.status).toBe(200);
    expect(words(raised.text)).toContain("The minimum cell size is now 8 (was 5).");
    expect(await stored()).toBe(8);
    const [entry] = await audits();
    expect(entry).toMatchObject({ actor_id: fixture.facilitator.id, programme_id: fixture.programme.id });
    expect(JSON.parse(entry.details)).toEqual({ from: 5, to: 8 });
    expect(words((await facilitator.get(`/programmes/${fixture.programme.id}/dashboard`)).text)).toContain("Groups of fewer than 8 respondents are hidden");
  });

  it("a manager cannot change it at all", async () => {
    const csrf = await manager.csrfFrom(programmePage());
    expect((await manager.submit(programmePage(), { intent: "set-min-cell-size", minCellSize: "10" }, { csrf })).status).toBe(403);
    expect(words((await manager.get(programmePage())).text)).not.toContain("Every change is written to the audit log");
    expect(await stored()).toBe(8);
    expect(await audits()).toHaveLength(1);
  });

  it("nobody may set it below 3, not even an administrator, through either form", async () => {
    for (const value of ["2", "1", "0", "-4", "", "2.5"]) {
      const reply = await set(admin, value);
      expect(reply.status).toBe(400);
      expect(reply.text).toMatch(/id="f-minCellSize-error"[^>]*>(The minimum cell size must be at least 3|Enter a whole number)/);
    }
    const full = await admin.submit(programmePage(), { intent: "update-programme", name: "Survey Programme", country: "Kenya", description: "", minCellSize: "2" });
    expect(full.status).toBe(400);
    expect(await stored()).toBe(8);
    expect(await audits()).toHaveLength(1);
    await expect(createProgramme(t.db, { name: "Scripted", country: "", description: "", minCellSize: 1 })).rejects.toThrow(MinCellSizeError);
  });

  it("an administrator sets 3: audited, and the dashboards and the API show the group of four", async () => {
    const reply = await set(admin, "3");
    expect(reply.status).toBe(200);
    expect(await stored()).toBe(3);
    const entries = await audits();
    expect(entries).toHaveLength(2);
    expect(JSON.parse(entries[1].details)).toEqual({ from: 8, to: 3 });
    expect(entries[1].actor_name).toContain("Site Admin");

    expect((await byGender()).man).toMatchObject({ n: 4, suppressed: false });
    expect((await byGender()).woman).toMatchObject({ n: 12, suppressed: false });
    const dashboard = words((await manager.get(`/programmes/${fixture.programme.id}/dashboard`)).text);
    expect(dashboard).toContain("Groups of fewer than 3 respondents are hidden");
    expect(words((await manager.get(programmePage())).text)).toContain("Figures standing on fewer than 3 respondents are hidden");

    const log = words((await admin.get("/admin/audit?action=programme")).text);
    expect(log).toContain("programme.min_cell_size");
    expect(log).toContain("from: 8 · to: 3");
    expect(log).toContain("from: 5 · to: 8");
  });

  it("migration 0010 lifts a programme stored below 3 to 3", async () => {
    const migration = m0010_response_quotas(dialect);
    await migration.down!(t.db);
    await t.db.updateTable("programmes").set({ min_cell_size: 1 }).where("id", "=", fixture.programme.id).execute();
    await migration.up(t.db);
    expect(await stored()).toBe(3);
  });
});
