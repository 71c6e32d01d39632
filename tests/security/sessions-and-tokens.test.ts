// What a stolen or forgotten credential is worth: sessions end after 12 idle hours and 7 days at
// most, the cookie over https carries the __Host- prefix, nothing signed in is stored by a cache,
// and an API token does only what it was made for, until it expires.
import { afterAll, beforeAll, expect, it } from "vitest";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser } from "../support/fixtures";
import { createApp } from "../../app/server/app";
import { createApiToken } from "../../app/models/api-tokens.server";
import { listAudit } from "../../app/models/audit.server";
import { migrateToLatest, migrateUpTo } from "../../db/migrate";
import { sha256 } from "../../app/models/sessions.server";

const HOUR = 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** The production build behind a TLS-terminating proxy that says so (X-Forwarded-Proto: https). */
async function startBehindHttpsProxy(t: TestDb) {
  const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
  const server = createApp({ database: t, build, trustProxy: 1 }).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    origin: `https://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describeEachDatabase("sessions and API tokens", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("over https the session cookie is __Host-sps_session (Secure, Path=/, no Domain); a plain-named cookie is not accepted there", async () => {
    const proxy = await startBehindHttpsProxy(t);
    try {
      const user = await aUser(t.db, "Https Person");
      const https = { "X-Forwarded-Proto": "https" };
      const browser = new HttpClient(proxy.url);
      const page = await browser.get("/login", https);
      const csrf = /name="csrf" value="([^"]*)"/.exec(page.text)![1];
      const signedIn = await browser.request("/login", {
        method: "POST",
        body: new URLSearchParams({ email: user.email, password: user.password, csrf }),
        headers: { ...https, "Content-Type": "application/x-www-form-urlencoded" },
        origin: proxy.origin,
      });
      expect(signedIn.status).toBe(302);
      const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith("__Host-sps_session="))!;
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(cookie).toMatch(/Max-Age=604800/); // 7 days, the absolute limit
      expect((await browser.get("/settings", https)).status).toBe(200);

      // A cookie without the prefix could have been planted by a sibling host or over http: ignored.
      const value = browser.cookies.get("__Host-sps_session")!;
      const planted = new HttpClient(proxy.url);
      planted.cookies.set("sps_session", value);
      expect((await planted.get("/settings", https)).status).toBe(302);
    } finally {
      await proxy.close();
    }
    // Over plain http the plain name is used (the prefix needs Secure).
    const user = await aUser(t.db, "Http Person");
    const plain = await new HttpClient(server.url).signIn(user.email, user.password);
    expect(plain.headers.getSetCookie().some((c) => c.startsWith("sps_session=") && !/Secure/.test(c))).toBe(true);
  });

  it("a session ends after 12 hours unused, and 7 days after sign-in however busy", async () => {
    const user = await aUser(t.db, "Session Person");
    const signIn = async () => {
      const b = new HttpClient(server.url);
      await b.signIn(user.email, user.password);
      return { b, id: sha256(b.cookies.get("sps_session")!) };
    };
    const idle = await signIn();
    await t.db.updateTable("sessions").set({ last_seen_at: ago(12 * HOUR + 60_000) }).where("id", "=", idle.id).execute();
    expect((await idle.b.get("/settings")).location).toMatch(/^\/login/);

    const busy = await signIn();
    // Used a minute ago, but signed in more than 7 days ago (and its stored expiry from the old 14-day rule).
    await t.db
      .updateTable("sessions")
      .set({ created_at: ago(7 * 24 * HOUR + 60_000), last_seen_at: ago(60_000), expires_at: new Date(Date.now() + 7 * 24 * HOUR).toISOString() })
      .where("id", "=", busy.id)
      .execute();
    expect((await busy.b.get("/settings")).location).toMatch(/^\/login/);

    // In use: the idle limit moves on with use, but never past 7 days from sign-in.
    const active = await signIn();
    await t.db.updateTable("sessions").set({ created_at: ago(7 * 24 * HOUR - HOUR), last_seen_at: ago(HOUR) }).where("id", "=", active.id).execute();
    expect((await active.b.get("/settings")).status).toBe(200);
    const row = await t.db.selectFrom("sessions").selectAll().where("id", "=", active.id).executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at)).toBeLessThanOrEqual(Date.parse(row.created_at) + 7 * 24 * HOUR);
    expect(Date.parse(row.expires_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it("every signed-in response says no-store — pages, the JSON API, the codebook, definition.json — while static files stay cacheable", async () => {
    const browser = new HttpClient(server.url);
    await browser.signIn(fixture.facilitator.email, fixture.facilitator.password);
    const { surveyId } = fixture;
    const paths = [
      "/",
      "/settings",
      `/programmes/${fixture.programme.id}`,
      `/surveys/${surveyId}`,
      "/api/v1/me",
      "/api/v1/programmes",
      "/api/v1/surveys",
      `/api/v1/surveys/${surveyId}/codebook.json`,
      `/api/v1/surveys/${surveyId}/codebook.csv`,
      `/surveys/${surveyId}/definition.json`,
      "/api/v1/no-such-endpoint",
    ];
    for (const p of paths) {
      const reply = await browser.get(p);
      expect(reply.status, p).toBeLessThan(500);
      expect(reply.headers.get("cache-control"), p).toBe("no-store");
    }
    const { token } = await createApiToken(t.db, fixture.facilitator.id, "cache check", { scopes: ["aggregates"] });
    const api = await new HttpClient(server.url).get(`/api/v1/surveys/${surveyId}/codebook.json`, { Authorization: `Bearer ${token}` });
    expect(api.status).toBe(200);
    expect(api.headers.get("cache-control")).toBe("no-store");

    const home = await browser.get("/");
    const asset = /(\/assets\/[^"]+\.js)"/.exec(home.text)![1];
    const file = await browser.get(asset);
    expect(file.status).toBe(200);
    expect(file.headers.get("cache-control")).toMatch(/immutable/);
  });

  it("a token made in settings has the scope and lifetime chosen; outside them it is refused with the reason", async () => {
    const browser = new HttpClient(server.url);
    await browser.signIn(fixture.facilitator.email, fixture.facilitator.password);
    const page = await browser.get("/settings");
    expect(page.text).toContain("Read raw data");
    expect(page.text).toContain('name="days"');

    const none = await browser.submit("/settings", { intent: "create-token", name: "no scope", days: "30" });
    expect(none.status).toBe(400);
    expect(none.text).toContain("Choose at least one thing the token may do.");
    const badDays = await browser.submit("/settings", { intent: "create-token", name: "forever", scopes: "aggregates", days: "100000" });
    expect(badDays.status).toBe(400);
    expect(badDays.text).toContain("Choose how long the token works.");

    const created = await browser.submit("/settings", { intent: "create-token", name: "Donor dashboard", scopes: "aggregates", days: "7" });
    const token = /data-testid="new-token">([^<]+)</.exec(created.text)![1];
    const auth = { Authorization: `Bearer ${token}` };
    const api = new HttpClient(server.url);
    const { surveyId } = fixture;

    expect((await api.get("/api/v1/programmes", auth)).status).toBe(200);
    expect((await api.get(`/api/v1/surveys/${surveyId}/codebook.json`, auth)).status).toBe(200);
    // The finding: an aggregates token cannot download raw responses, even its owner's.
    const raw = await api.get(`/api/v1/surveys/${surveyId}/responses.csv`, auth);
    expect(raw.status).toBe(403);
    expect(raw.json().error).toMatchObject({ status: 403, reason: "scope", scope: "raw" });
    expect(raw.json().error.message).toMatch(/may not read raw data/);
    const arm = await api.request(`/api/v1/links/${fixture.link.token}/arming`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: "{}", origin: null });
    expect(arm.status).toBe(403);
    expect(arm.json().error).toMatchObject({ reason: "scope", scope: "submit" });

    // The settings page shows what it may do and until when.
    const listed = await browser.get("/settings");
    expect(listed.text).toContain("Donor dashboard");
    expect(listed.text).toMatch(/<td>aggregated figures<\/td>/); // the scope, in the page's language
    const row = await t.db.selectFrom("api_tokens").selectAll().where("name", "=", "Donor dashboard").executeTakeFirstOrThrow();
    expect(Math.abs(Date.parse(row.expires_at!) - (Date.now() + 7 * 24 * HOUR))).toBeLessThan(10 * 60_000);

    // Past its expiry, it is refused with 401 and says so.
    await t.db.updateTable("api_tokens").set({ expires_at: ago(60_000) }).where("id", "=", row.id).execute();
    const expired = await api.get("/api/v1/programmes", auth);
    expect(expired.status).toBe(401);
    expect(expired.json().error).toMatchObject({ status: 401, reason: "expired" });
    expect(expired.json().error.message).toMatch(/expired on \d{4}-\d\d-\d\d/);

    // Creation and revocation are in the audit log, with scope and expiry.
    await browser.submit("/settings", { intent: "revoke-token", tokenId: row.id });
    const audit = await listAudit(t.db, { limit: 50 });
    const made = audit.find((e) => e.action === "token.create" && e.target === 'token "Donor dashboard"');
    expect(made?.details).toMatchObject({ tokenId: row.id, scopes: ["aggregates"] });
    expect(audit.some((e) => e.action === "token.revoke" && (e.details as { tokenId?: string }).tokenId === row.id)).toBe(true);
  });

  it("a raw-data token downloads responses but cannot read the figures it was not given", async () => {
    const { token } = await createApiToken(t.db, fixture.facilitator.id, "R script", { scopes: ["raw"], days: 30 });
    const auth = { Authorization: `Bearer ${token}` };
    const api = new HttpClient(server.url);
    expect((await api.get(`/api/v1/surveys/${fixture.surveyId}/responses.csv`, auth)).status).toBe(200);
    const series = await api.get("/api/v1/surveys", auth);
    expect(series.status).toBe(403);
    expect(series.json().error).toMatchObject({ reason: "scope", scope: "aggregates" });
    expect((await api.get("/api/v1/me", auth)).status).toBe(200);
  });

  it("tokens made before scopes existed keep reading aggregates for 90 days after the upgrade, and nothing more", async () => {
    await migrateUpTo(t.db, dialect, "0012_aggregate_stamps");
    const token = "sps_an-old-token-from-before-the-upgrade";
    await t.db
      .insertInto("api_tokens")
      .values({ id: "00000000-0000-4000-8000-000000000013", user_id: fixture.facilitator.id, name: "old", token_hash: sha256(token), prefix: token.slice(0, 10), created_at: ago(400 * 24 * HOUR), last_used_at: null, revoked_at: null } as never)
      .execute();
    await migrateToLatest(t.db, dialect);
    const row = await t.db.selectFrom("api_tokens").selectAll().where("name", "=", "old").executeTakeFirstOrThrow();
    expect(row.scopes).toBe("aggregates");
    expect(Math.abs(Date.parse(row.expires_at!) - (Date.now() + 90 * 24 * HOUR))).toBeLessThan(10 * 60_000);
    const auth = { Authorization: `Bearer ${token}` };
    const api = new HttpClient(server.url);
    expect((await api.get("/api/v1/programmes", auth)).status).toBe(200);
    expect((await api.get(`/api/v1/surveys/${fixture.surveyId}/responses.csv`, auth)).status).toBe(403);
  });
});
