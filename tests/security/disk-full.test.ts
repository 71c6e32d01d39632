// The server's disk fills up while tablets sync and people sign in. Writes are answered 503 with
// Retry-After (JSON on the API, a plain page elsewhere), /healthz names the failing check, the
// log names the real cause, dashboards keep answering from the figures they had, and everything
// works again, with nothing lost, once space is freed.
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openSqlite, type Db } from "../../db/connect";
import { adminQuery, freshDatabase, type TestDb } from "../support/databases";
import { hasPostgres } from "../support/environment";
import { migrateToLatest } from "../../db/migrate";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { tinyDisk, type TinyDisk } from "../support/tiny-disk";

const response = () => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-11-20T10:15:00.000Z", language: "en", answers: sdg16Answers() });

describe("a full disk", () => {
  let disk: TinyDisk;
  let database: Db;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  const sync = (responses: unknown[]) =>
    fetch(`${server.url}/api/v1/links/${fixture.link.token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ responses }),
    });

  beforeAll(async () => {
    disk = tinyDisk(32);
    database = openSqlite(path.join(disk.dir, "app.sqlite"));
    await migrateToLatest(database.db, "sqlite");
    server = await startServer(database);
    fixture = await aPublishedSurvey(database.db);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
    disk?.remove();
  });

  it("is answered with 503s naming no internals, reported by /healthz, logged with its cause, and recovered from", async () => {
    const facilitator = new HttpClient(server.url);
    await facilitator.signIn(fixture.facilitator.email, fixture.facilitator.password);
    const series = `/api/v1/surveys/${fixture.surveyId}/indicators/safe_after_dark_official/series?period=round`;
    expect((await sync(Array.from({ length: 12 }, response))).status).toBe(200);
    const before = await facilitator.get(series);
    expect(before.status).toBe(200);

    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      errors.push(args.map((a) => (a instanceof Error ? `${a.message} ${(a as { code?: string }).code ?? ""}` : String(a))).join(" "));
    });
    disk.fill(database.sqlite!);
    const batch = Array.from({ length: 40 }, response);
    try {
      const refused = await sync(batch);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
      const body = await refused.json();
      expect(body.error.status).toBe(503);
      expect(body.error.message).toContain("try again");

      // A page that writes (signing in makes a session): a plain page, not "Unexpected Server Error".
      const signIn = await new HttpClient(server.url).submit("/login", { email: fixture.facilitator.email, password: fixture.facilitator.password });
      expect(signIn.status).toBe(503);
      expect(signIn.headers.get("content-type")).toMatch(/text\/html/);
      expect(signIn.text).toContain("Temporarily unavailable");
      expect(signIn.text).not.toMatch(/SQLITE|stack|at .*\.ts/);

      const health = await new HttpClient(server.url).get("/healthz");
      expect(health.status).toBe(503);
      const report = health.json();
      expect(report.status).toBe("unavailable");
      expect(report.failing).toContain("writes");
      expect(report.checks.database.ok).toBe(true);
      expect(report.checks.writes.error).toContain("SQLITE_FULL");

      // Reading goes on: the series answers from the figures it had.
      const during = await facilitator.get(series);
      expect(during.status).toBe(200);
      expect(during.json()).toEqual(before.json());
    } finally {
      disk.free(database.sqlite!);
      spy.mockRestore();
    }
    const log = errors.join("\n");
    expect(log).toContain("SQLITE_FULL");
    expect(log).not.toContain("cannot rollback");

    // Space is back: the tablet's retry of the very same batch is taken whole.
    expect((await new HttpClient(server.url).get("/healthz")).status).toBe(200);
    const retried = await sync(batch);
    expect(retried.status).toBe(200);
    expect((await retried.json()).results.every((r: { status: string }) => r.status === "created")).toBe(true);
    await new HttpClient(server.url).signIn(fixture.facilitator.email, fixture.facilitator.password);
    const after = await facilitator.get(series);
    expect(after.status).toBe(200);
    expect(after.json()).not.toEqual(before.json()); // the 40 responses count now
  });
});

// The same on PostgreSQL: the database stops taking connections (its connection limit is set to
// 0 and its sessions ended), as when the server is restarting or out of connection slots.
describe.skipIf(!hasPostgres())("a PostgreSQL database that refuses connections", () => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  beforeAll(async () => {
    t = await freshDatabase("postgres");
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("is answered 503 with Retry-After, named by /healthz, and recovered from", async () => {
    const name = new URL(t.url).pathname.slice(1);
    const sync = (responses: unknown[]) =>
      fetch(`${server.url}/api/v1/links/${fixture.link.token}/responses`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ responses }) });
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const batch = [response(), response()];
    try {
      await adminQuery(`ALTER DATABASE ${name} CONNECTION LIMIT 0`);
      await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      const refused = await sync(batch);
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await refused.json()).error.status).toBe(503);
      const health = await new HttpClient(server.url).get("/healthz");
      expect(health.status).toBe(503);
      expect(health.json().failing).toContain("database");
      expect(health.json().checks.database.error).toMatch(/connections/);
    } finally {
      await adminQuery(`ALTER DATABASE ${name} CONNECTION LIMIT -1`);
      spy.mockRestore();
    }
    expect((await new HttpClient(server.url).get("/healthz")).status).toBe(200);
    const retried = await sync(batch);
    expect(retried.status).toBe(200);
    expect((await retried.json()).results.map((r: { status: string }) => r.status)).toEqual(["created", "created"]);
  });
});
