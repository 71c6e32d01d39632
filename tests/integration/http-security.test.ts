// Sign-in and safety over real HTTP against the production build, on each database.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aUser } from "../support/fixtures";
import { issueSetupCode } from "../../app/models/setup-code.server";

describeEachDatabase("sign-in and safety over HTTP", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a new installation shows the first-run page, once, and it creates an administrator", async () => {
    const browser = new HttpClient(server.url);
    const home = await browser.get("/");
    expect(home.status).toBe(302);
    expect(home.location).toBe("/setup");
    const setup = await browser.get("/setup");
    expect(setup.status).toBe(200);
    expect(setup.text).toContain("Create administrator");

    expect(setup.text).toContain("setup code");

    // The code the server prints in its console at start (serve.ts issues it the same way).
    const setupCode = (await issueSetupCode(t.db))!;
    const tooShort = await browser.submit("/setup", { setupCode, displayName: "Ada", email: "ada@example.org", password: "short" });
    expect(tooShort.status).toBe(400);
    expect(tooShort.text).toContain("The password is too short: use at least 12 characters");

    const created = await browser.submit("/setup", {
      setupCode,
      displayName: "Ada Admin",
      email: "ada@example.org",
      password: "a long enough password",
    });
    expect(created.status).toBe(302);
    expect(created.location).toBe("/admin");
    const admin = await browser.get("/admin");
    expect(admin.status).toBe(200);
    expect(admin.text).toContain("Ada Admin");

    const again = await new HttpClient(server.url).get("/setup");
    expect(again.status).toBe(302);
    expect(again.location).toBe("/login");
  });

  it("answers the health check with the database in use", async () => {
    const reply = await new HttpClient(server.url).get("/healthz");
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ status: "ok", database: dialect, checks: { database: { ok: true }, writes: { ok: true } } });
  });

  it("sends the security headers and session cookie flags", async () => {
    const user = await aUser(t.db, "Header Check");
    const browser = new HttpClient(server.url);
    const login = await browser.get("/login");
    const csp = login.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(login.headers.get("x-content-type-options")).toBe("nosniff");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(login.text).toContain(`nonce="${nonce}"`);

    const signedIn = await browser.signIn(user.email, user.password);
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith("sps_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // plain http here; https adds Secure
  });

  it("refuses a wrong password with a clear message, then throttles the account", async () => {
    const user = await aUser(t.db, "Throttled Person");
    const browser = new HttpClient(server.url);
    const wrong = await browser.submit("/login", { email: user.email, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain("The email or password is not right.");
    for (let i = 0; i < 4; i++) await browser.submit("/login", { email: user.email, password: `guess ${i}` });
    const blocked = await browser.submit("/login", { email: user.email, password: user.password });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toMatch(/Too many failed sign-in attempts\. .*try again in 1[45] minutes/);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(browser.cookies.has("sps_session")).toBe(false);
  });

  it("refuses a form without the CSRF token, or from another site, and changes nothing", async () => {
    const admin = await aUser(t.db, "Admin Csrf", { admin: true });
    const browser = new HttpClient(server.url);
    await browser.signIn(admin.email, admin.password);
    const fields = { intent: "create-programme", name: "Forged Programme", country: "", description: "", minCellSize: "5" };

    const noToken = await browser.submit("/admin", fields, { csrf: null });
    expect(noToken.status).toBe(403);
    const badToken = await browser.submit("/admin", fields, { csrf: "forged" });
    expect(badToken.status).toBe(403);
    const token = await browser.csrfFrom("/admin");
    const noOrigin = await browser.submit("/admin", fields, { csrf: token, origin: null });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.json().error.message).toMatch(/Origin/);
    const foreign = await browser.submit("/admin", fields, { csrf: token, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);

    const count = await t.db.selectFrom("programmes").select((eb) => eb.fn.countAll<number>().as("n")).where("name", "=", "Forged Programme").executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);

    const genuine = await browser.submit("/admin", fields, { csrf: token });
    expect(genuine.status).toBe(302);
    expect(genuine.location).toMatch(/^\/programmes\//);
  });

  it("a deactivated user's session stops working at once", async () => {
    const admin = await aUser(t.db, "Admin Deact", { admin: true });
    const worker = await aUser(t.db, "Leaving Worker");
    const adminBrowser = new HttpClient(server.url);
    const workerBrowser = new HttpClient(server.url);
    await adminBrowser.signIn(admin.email, admin.password);
    await workerBrowser.signIn(worker.email, worker.password);
    expect((await workerBrowser.get("/settings")).status).toBe(200);

    const done = await adminBrowser.submit(`/admin/users/${worker.id}`, { intent: "deactivate" });
    expect(done.status).toBe(200);
    expect(done.text).toContain("deactivated and signed out everywhere");

    const after = await workerBrowser.get("/settings");
    expect(after.status).toBe(302);
    expect(after.location).toMatch(/^\/login/);
    const relogin = await new HttpClient(server.url).submit("/login", { email: worker.email, password: worker.password });
    expect(relogin.status).toBe(401);
    expect(relogin.text).toContain("deactivated");
  });

  it("signing out ends the session on the server", async () => {
    const user = await aUser(t.db, "Signs Out");
    const browser = new HttpClient(server.url);
    await browser.signIn(user.email, user.password);
    const stolen = browser.cookies.get("sps_session")!;
    const out = await browser.submit("/logout", {}, { page: "/settings" });
    expect(out.status).toBe(302);
    const thief = new HttpClient(server.url);
    thief.cookies.set("sps_session", stolen);
    expect((await thief.get("/settings")).status).toBe(302);
  });

  it("an API token authenticates /api/v1 and stops working when revoked in settings", async () => {
    const user = await aUser(t.db, "Api User");
    const p = await aProgramme(t.db, "API Programme", [{ userId: user.id, role: "manager" }]);
    const browser = new HttpClient(server.url);
    await browser.signIn(user.email, user.password);
    const created = await browser.submit("/settings", { intent: "create-token", name: "M&E system", scopes: "aggregates", days: "30" });
    const token = /data-testid="new-token">([^<]+)</.exec(created.text)![1];
    expect(token).toMatch(/^sps_/);

    const api = new HttpClient(server.url);
    const auth = { Authorization: `Bearer ${token}` };
    const list = await api.get("/api/v1/programmes", auth);
    expect(list.status).toBe(200);
    expect(list.json().programmes.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await api.get(`/api/v1/programmes/${p.id}`, auth)).json().communities).toHaveLength(1);

    const settings = await browser.get("/settings");
    expect(settings.text).not.toContain(token); // shown once only
    const tokenId = /name="tokenId" value="([^"]+)"/.exec(settings.text)![1];
    await browser.submit("/settings", { intent: "revoke-token", tokenId });
    const refused = await api.get("/api/v1/programmes", auth);
    expect(refused.status).toBe(401);
    expect(refused.json().error.message).toMatch(/revoked/);
    expect((await api.get("/api/v1/programmes")).status).toBe(401);
  });

  it("a person who is not a member cannot see a programme through pages or the API", async () => {
    const member = await aUser(t.db, "Member");
    const outsider = await aUser(t.db, "Outsider");
    const p = await aProgramme(t.db, "Private Programme", [{ userId: member.id, role: "facilitator" }]);

    const memberBrowser = new HttpClient(server.url);
    await memberBrowser.signIn(member.email, member.password);
    expect((await memberBrowser.get(`/programmes/${p.id}`)).text).toContain("Private Programme");

    const outsiderBrowser = new HttpClient(server.url);
    await outsiderBrowser.signIn(outsider.email, outsider.password);
    const home = await outsiderBrowser.get("/");
    expect(home.text).not.toContain("Private Programme");
    const direct = await outsiderBrowser.get(`/programmes/${p.id}`);
    expect(direct.status).toBe(404);
    expect(direct.text).not.toContain("Private Programme");
    const viaApi = await outsiderBrowser.get(`/api/v1/programmes/${p.id}`);
    expect(viaApi.status).toBe(404);
    expect((await outsiderBrowser.get("/api/v1/programmes")).json().programmes).toEqual([]);
    expect((await outsiderBrowser.get("/admin")).status).toBe(403);
  });
});

describeEachDatabase("health check when the database is gone", (dialect) => {
  it("answers 503 when the database cannot be reached", async () => {
    const t = await freshDatabase(dialect);
    const server = await startServer(t);
    try {
      expect((await new HttpClient(server.url).get("/healthz")).status).toBe(200);
      await t.close();
      const reply = await new HttpClient(server.url).get("/healthz");
      expect(reply.status).toBe(503);
      expect(reply.json()).toMatchObject({ status: "unavailable", database: dialect, checks: { database: { ok: false } } });
      expect(reply.json().failing).toContain("database");
    } finally {
      await server.close();
      await t.drop();
    }
  });
});
