// Crafted input an attacker (or a broken client) sends: each is answered with a 4xx that names
// the field, never a 500, and the rest of a batch goes on.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";

const response = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  surveyVersion: 1,
  collectedAt: new Date(Date.now() - 3600_000).toISOString(),
  language: "en",
  answers: sdg16Answers(),
  ...over,
});

function nested(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

describeEachDatabase("crafted input is answered, not thrown", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/links/${fixture.link.token}/responses`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
  const count = async () =>
    Number((await t.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("survey_id", "=", fixture.surveyId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a 50,000-level nested answer on a stored id is rejected naming the field, and the rest of the batch is taken", async () => {
    const stored = response();
    expect((await post(JSON.stringify({ responses: [stored] }))).status).toBe(200);
    const fresh = response();
    // Built as text: JSON.stringify itself cannot go 50,000 levels deep.
    const body = `{"responses":[{"id":"${stored.id}","surveyVersion":1,"collectedAt":"${stored.collectedAt}","language":"en","answers":{"safe_after_dark":${nested(50_000)}}},${JSON.stringify(fresh)}]}`;
    const res = await post(body);
    expect(res.status).toBe(200);
    const { results } = await res.json();
    expect(results[0]).toMatchObject({ id: stored.id, status: "rejected" });
    expect(results[0].errors[0].path).toBe("answers.safe_after_dark");
    expect(results[1]).toEqual({ id: fresh.id, status: "created" });
  });

  it("too many answers, or a text longer than any answer, are rejected by the shape check", async () => {
    const many = response({ answers: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`q${i}`, "1"])) });
    const long = response({ answers: sdg16Answers({ safe_after_dark: "x".repeat(20_000) }) });
    const { results } = await (await post(JSON.stringify({ responses: [many, long] }))).json();
    expect(results[0]).toMatchObject({ status: "rejected", errors: [{ path: "answers" }] });
    expect(results[1]).toMatchObject({ status: "rejected", errors: [{ path: "answers.safe_after_dark" }] });
  });

  it("the same UUID in capitals is a duplicate of the stored response, echoing the id as sent", async () => {
    const a = response();
    expect((await (await post(JSON.stringify({ responses: [a] }))).json()).results[0].status).toBe("created");
    const before = await count();
    const upper = { ...a, id: a.id.toUpperCase() };
    const { results } = await (await post(JSON.stringify({ responses: [upper] }))).json();
    expect(results).toEqual([{ id: upper.id, status: "duplicate" }]);
    expect(await count()).toBe(before);
    // And with other content, a conflict: nothing overwritten.
    const changed = { ...upper, answers: sdg16Answers({ safe_after_dark: "4" }) };
    expect((await (await post(JSON.stringify({ responses: [changed] }))).json()).results[0].status).toBe("conflict");
  });

  it("a session id in capitals names the same session", async () => {
    const session = randomUUID();
    const sessions = await fetch(`${server.url}/api/v1/links/${fixture.link.token}/sessions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sessions: [{ id: session.toUpperCase(), heldOn: "2026-11-20", groupDescription: "women", participantCount: 8, notes: "", updatedAt: new Date().toISOString() }] }),
    });
    expect(sessions.status).toBe(200);
    const r = response({ sessionId: session });
    expect((await (await post(JSON.stringify({ responses: [r] }))).json()).results[0].status).toBe("created");
    const rows = await t.db.selectFrom("fg_sessions").select("id").where("link_id", "=", fixture.link.id).execute();
    expect(rows.map((x) => x.id)).toEqual([session]);
  });

  it("collectedAt far in the past, before the link existed, or ahead of the clock is rejected naming collectedAt", async () => {
    const linkMade = Date.parse((await t.db.selectFrom("collection_links").select("created_at").where("id", "=", fixture.link.id).executeTakeFirstOrThrow()).created_at);
    const bad = [
      "0001-01-01T00:00:00Z",
      "1900-01-01T00:00:00Z",
      new Date(linkMade - 3 * 86400_000).toISOString(),
      new Date(Date.now() + 3 * 86400_000).toISOString(),
    ].map((collectedAt) => response({ collectedAt }));
    const ok = response({ collectedAt: new Date(Date.now() + 3600_000).toISOString() }); // a tablet an hour fast
    const { results } = await (await post(JSON.stringify({ responses: [...bad, ok] }))).json();
    for (const r of results.slice(0, 4)) expect(r).toMatchObject({ status: "rejected", errors: [{ path: "collectedAt" }] });
    expect(results[4].status).toBe("created");
  });

  it("a JSON body that starts with a byte-order mark is read", async () => {
    const r = response();
    const res = await post(`\uFEFF${JSON.stringify({ responses: [r] })}`);
    expect(res.status).toBe(200);
    expect((await res.json()).results[0]).toEqual({ id: r.id, status: "created" });
  });

  it("sign-in with a body that is not a form, or a malformed one, is a 4xx page", async () => {
    const browser = new HttpClient(server.url);
    await browser.get("/login"); // the anonymous CSRF cookie
    const plain = await browser.request("/login", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "email=a@example.org&password=x" });
    expect(plain.status).toBe(415);
    expect(plain.text).toContain("application/x-www-form-urlencoded");
    const json = await browser.request("/login", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(json.status).toBe(415);
    const broken = await browser.request("/login", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=XyZ" },
      body: '--XyZ\r\nContent-Disposition: form-data; name="email"\r\n\r\nno end boundary',
    });
    expect(broken.status).toBe(400);
    const noBoundary = await browser.request("/login", { method: "POST", headers: { "Content-Type": "multipart/form-data" }, body: "x" });
    expect(noBoundary.status).toBe(400);
  });

  it("a next with CR or LF never makes a 500, signed in or not", async () => {
    const user = await aUser(t.db, "Crafted Next");
    const signedInBrowser = new HttpClient(server.url);
    await signedInBrowser.signIn(user.email, user.password);
    for (const next of ["/\r\nSet-Cookie: x=1", "/a\rb", "/%0d%0aLocation: //evil.example"]) {
      const browser = new HttpClient(server.url);
      const anonymous = await browser.submit("/login?next=" + encodeURIComponent(next), { email: user.email, password: user.password, next }, { page: "/login" });
      expect(anonymous.status, JSON.stringify(next)).toBeLessThan(500);
      expect(anonymous.headers.get("set-cookie") ?? "").not.toMatch(/(^|, )x=1/);
      const signedIn = await signedInBrowser.get("/login?next=" + encodeURIComponent(next));
      expect(signedIn.status, JSON.stringify(next)).toBeLessThan(500);
      expect(signedIn.location ?? "").not.toMatch(/[\r\n]/);
    }
  });
});
