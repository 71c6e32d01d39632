// Behind one reverse proxy (TRUST_PROXY=1) an attacker forges X-Forwarded-For on every try: the
// address the sign-in throttle and the link rate limits count is still the one the proxy saw. A
// forwarded https gives cookies `Secure`; without TRUST_PROXY the headers are not believed at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aUser } from "../support/fixtures";
import { parseTrustProxy } from "../../app/server/trust-proxy";
import { ADDRESS_LIMITS } from "../../app/models/login-throttle.server";

const MAX_FAILURES_PER_ADDRESS = ADDRESS_LIMITS[0].max;

describe("TRUST_PROXY", () => {
  it("takes Express's forms: a hop count or addresses and subnets; refuses 'true' and nonsense", () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy("")).toBe(false);
    expect(parseTrustProxy("1")).toBe(1);
    expect(parseTrustProxy("2")).toBe(2);
    expect(parseTrustProxy("loopback, 10.0.0.0/8,192.168.1.5")).toBe("loopback,10.0.0.0/8,192.168.1.5");
    expect(() => parseTrustProxy("true")).toThrow(/number of proxies/);
    expect(() => parseTrustProxy("banana")).toThrow(/TRUST_PROXY/);
  });
});

describe("behind one trusted proxy", () => {
  let t: TestDb;
  let proxied: RunningServer;
  let direct: RunningServer;
  beforeAll(async () => {
    t = await freshDatabase("sqlite");
    proxied = await startServer(t, { trustProxy: 1 });
    direct = await startServer(t);
    await aUser(t.db, "First Person"); // an installation past its first run
  });
  afterAll(async () => {
    await proxied?.close();
    await direct?.close();
    await t?.drop();
  });

  /** What the proxy passes on: whatever the client claimed, then the address it really saw. */
  const viaProxy = (forged: string, real: string) => ({ "X-Forwarded-For": `${forged}, ${real}`, "X-Forwarded-Proto": "https" });

  it("a new forged X-Forwarded-For on every try does not get past the per-address sign-in limit", async () => {
    const real = "203.0.113.7";
    let last = 0;
    for (let i = 0; i <= MAX_FAILURES_PER_ADDRESS; i++) {
      const browser = new HttpClient(proxied.url);
      const csrf = await browser.csrfFrom("/login");
      const body = new URLSearchParams({ email: `nobody.${i}@example.org`, password: "wrong password", csrf });
      const reply = await browser.request("/login", {
        method: "POST",
        body,
        headers: { "Content-Type": "application/x-www-form-urlencoded", ...viaProxy(`198.51.100.${i}`, real) },
        origin: "https://" + new URL(proxied.url).host,
      });
      last = reply.status;
      if (i < MAX_FAILURES_PER_ADDRESS) expect(reply.status).toBe(401);
    }
    expect(last).toBe(429);
    const addresses = await t.db.selectFrom("login_attempts").select("address").distinct().execute();
    expect(addresses.map((a) => a.address)).toEqual([real]);
  });

  it("cookies get Secure when the trusted proxy forwards https, and not when the header comes straight from a client", async () => {
    const user = await aUser(t.db, "Proxy Person");
    const secureOrigin = "https://" + new URL(proxied.url).host;
    const browser = new HttpClient(proxied.url);
    const page = await browser.get("/login", viaProxy("198.51.100.1", "203.0.113.8"));
    expect(page.headers.getSetCookie().find((c) => c.startsWith("sps_csrf="))).toMatch(/;\s*Secure/);
    const csrf = /name="csrf" value="([^"]*)"/.exec(page.text)![1];
    const signedIn = await browser.request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: user.email, password: user.password, csrf }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...viaProxy("198.51.100.1", "203.0.113.8") },
      origin: secureOrigin,
    });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.getSetCookie().find((c) => c.includes("session"))).toMatch(/;\s*Secure/);

    // Without TRUST_PROXY the same headers are a client's claims: no Secure, and the socket's address counts.
    const plain = await new HttpClient(direct.url).get("/login", viaProxy("198.51.100.1", "203.0.113.8"));
    expect(plain.headers.getSetCookie().find((c) => c.startsWith("sps_csrf="))).not.toMatch(/Secure/);
  });
});
