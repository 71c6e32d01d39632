// An attacker sends a signed-in person a sign-in link whose `next` leads to another site. Every
// payload ends on this site's own origin (or on /), before and after signing in, and none gives a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aUser } from "../support/fixtures";
import { sameOriginPath } from "../../app/redirects";

const PAYLOADS = [
  "/\\evil.example/b",
  "/\\\\evil.example",
  "/\t/evil.example",
  "/\\/evil.example",
  "//evil.example",
  "///evil.example",
  "https://evil.example/",
  "http:evil.example",
  "javascript:alert(1)",
  "/%0d%0aSet-Cookie:x=1",
  "/\r\nLocation: https://evil.example",
  "/\n/evil.example",
  "\\\\evil.example",
  " //evil.example",
  "/@evil.example",
  "evil.example",
];

/** Where a browser at `base` would really go for this Location header. */
const landsOn = (location: string, base: string) => new URL(location, base);

describe("redirect targets after sign-in", () => {
  let t: TestDb;
  let server: RunningServer;
  let person: Awaited<ReturnType<typeof aUser>>;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    server = await startServer(t);
    person = await aUser(t.db, "Redirected Person");
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("every payload, sent to the sign-in form, sends the person to a path on this site", async () => {
    for (const next of PAYLOADS) {
      const browser = new HttpClient(server.url);
      const reply = await browser.submit("/login", { email: person.email, password: person.password, next });
      expect(reply.status, JSON.stringify(next)).toBe(302);
      const target = landsOn(reply.location!, server.url);
      expect(target.origin, JSON.stringify(next)).toBe(server.url);
      expect(reply.location!.startsWith("/") && !reply.location!.startsWith("//"), JSON.stringify(next)).toBe(true);
    }
  });

  it("every payload in the link of an already signed-in person stays on this site too, never a 500", async () => {
    const browser = new HttpClient(server.url);
    await browser.signIn(person.email, person.password);
    for (const next of PAYLOADS) {
      const reply = await browser.get(`/login?next=${encodeURIComponent(next)}`);
      expect(reply.status, JSON.stringify(next)).toBe(302);
      expect(landsOn(reply.location!, server.url).origin, JSON.stringify(next)).toBe(server.url);
    }
  });

  it("a genuine path, with its query, is followed after sign-in", async () => {
    const browser = new HttpClient(server.url);
    const reply = await browser.submit("/login", { email: person.email, password: person.password, next: "/settings?tab=tokens#api" });
    expect(reply.location).toBe("/settings?tab=tokens#api");
  });

  it("the rule itself: resolved against the origin, only same-origin paths survive", () => {
    const origin = "https://surveys.example.org";
    for (const next of PAYLOADS) expect(new URL(sameOriginPath(next, origin), origin).origin, JSON.stringify(next)).toBe(origin);
    expect(sameOriginPath("/programmes/1?x=%2F%2Fevil", origin)).toBe("/programmes/1?x=%2F%2Fevil");
    expect(sameOriginPath(null, origin)).toBe("/");
  });
});
