// An attacker guesses passwords: in parallel, from one address, against one account, and across
// several server processes on one database. Every guess is counted before its password is checked,
// so no more than the limit are ever checked. And the passwords people choose are not guessable.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aUser, PASSWORD } from "../support/fixtures";
import { DEMO_ACCOUNTS } from "../../app/demo/demo.server";
import { ACCOUNT_LIMITS, ADDRESS_LIMITS } from "../../app/models/login-throttle.server";
import { openPostgres, openSqlite, type Db } from "../../db/connect";
import { passwordProblem } from "../../app/models/passwords.server";

const PER_ACCOUNT = ACCOUNT_LIMITS[0].max;

/** Fires `count` sign-ins at once, each with its own CSRF-carrying browser (the attacker scripts them). */
async function parallelGuesses(urls: string[], email: string, count: number, password = (i: number) => `wrong guess number ${i}`) {
  const browsers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const b = new HttpClient(urls[i % urls.length]);
      return { b, csrf: await b.csrfFrom("/login") };
    }),
  );
  const replies = await Promise.all(browsers.map(({ b, csrf }, i) => b.submit("/login", { email, password: password(i) }, { csrf })));
  return replies.map((r) => r.status);
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

describeEachDatabase("sign-in throttle under parallel guessing", (dialect) => {
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

  it(`100 parallel guesses at one account from one address: exactly ${PER_ACCOUNT} reach the password check`, async () => {
    const victim = await aUser(t.db, "Guessed Victim");
    const statuses = await parallelGuesses([server.url], victim.email, 100);
    const counts = tally(statuses);
    expect(counts[401]).toBe(PER_ACCOUNT);
    expect(counts[429]).toBe(100 - PER_ACCOUNT);
    expect(statuses.every((s) => [401, 429].includes(s))).toBe(true);

    // The database shows the same: no more than the limit were counted as checked failures.
    const rows = await t.db.selectFrom("login_attempts").select(["succeeded"]).where("email", "=", victim.email).execute();
    expect(rows).toHaveLength(PER_ACCOUNT);

    // Even the right password is now told to wait, with Retry-After: the account is paused.
    const refused = await new HttpClient(server.url).submit("/login", { email: victim.email, password: victim.password });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(14 * 60);
    expect(refused.text).toContain("Too many failed sign-in attempts");
  });

  it("a refused guess does not extend the pause: the attempts made while paused are not stored", async () => {
    const victim = await aUser(t.db, "Paused Person");
    const browser = new HttpClient(server.url);
    for (let i = 0; i < PER_ACCOUNT; i++) expect((await browser.submit("/login", { email: victim.email, password: `nope ${i}` })).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await browser.submit("/login", { email: victim.email, password: `nope again ${i}` })).status).toBe(429);
    const rows = await t.db.selectFrom("login_attempts").select("id").where("email", "=", victim.email).execute();
    expect(rows).toHaveLength(PER_ACCOUNT);
  });

  it("backoff: after the first pause has passed, fewer guesses bring a longer one", async () => {
    const victim = await aUser(t.db, "Backoff Person");
    // Five failures from 20 minutes ago (the first pause is over) and five from 40 minutes ago.
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    const old = [...Array(5)].map((_, i) => ({ email: victim.email, address: "198.51.100.9", succeeded: 0, at: ago(40 + i) }));
    const recent = [...Array(5)].map((_, i) => ({ email: victim.email, address: "198.51.100.9", succeeded: 0, at: ago(20 + i) }));
    await t.db.insertInto("login_attempts").values([...old, ...recent]).execute();
    const browser = new HttpClient(server.url);
    const paused = await browser.submit("/login", { email: victim.email, password: victim.password });
    expect(paused.status).toBe(429);
    // Ten failures in the last hour: the pause lasts until the oldest of them is an hour old (~16 minutes).
    expect(Number(paused.headers.get("retry-after"))).toBeGreaterThan(15 * 60);
  });
});

describeEachDatabase("sign-in throttle across two server processes on one database", (dialect) => {
  let t: TestDb;
  let second: Db;
  let servers: RunningServer[];
  beforeAll(async () => {
    t = await freshDatabase(dialect);
    // A second, independent connection pool stands for a second server process on the same database.
    second = dialect === "sqlite" ? openSqlite(t.url.slice("file:".length)) : openPostgres(t.url, 8);
    servers = [await startServer(t), await startServer(second)];
  });
  afterAll(async () => {
    for (const s of servers ?? []) await s.close();
    await second?.close();
    await t?.drop();
  });

  it("100 parallel guesses spread over two servers are cut off at the limit too", async () => {
    const victim = await aUser(t.db, "Two Servers Victim");
    const counts = tally(await parallelGuesses(servers.map((s) => s.url), victim.email, 100));
    expect(counts[401]).toBe(PER_ACCOUNT);
    expect(counts[429]).toBe(100 - PER_ACCOUNT);
  });

  it("one address trying many accounts is cut off at the address limit, on both servers", async () => {
    const people = await Promise.all([...Array(30)].map((_, i) => aUser(t.db, `Sprayed ${i}`)));
    const browsers = await Promise.all(
      people.map(async (p, i) => {
        const b = new HttpClient(servers[i % 2].url);
        return { b, p, csrf: await b.csrfFrom("/login") };
      }),
    );
    // The previous test's failures came from this address too: only the room left is checked.
    const before = await t.db.selectFrom("login_attempts").select("id").where("succeeded", "=", 0).execute();
    const statuses = await Promise.all(browsers.map(({ b, p, csrf }) => b.submit("/login", { email: p.email, password: "Spring2026 guess" }, { csrf }).then((r) => r.status)));
    const counts = tally(statuses);
    expect(counts[401]).toBe(ADDRESS_LIMITS[0].max - before.length);
    expect(counts[429]).toBe(30 - (ADDRESS_LIMITS[0].max - before.length));
  });
});

describeEachDatabase("weak passwords are refused wherever a password is set", (dialect) => {
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

  it("an administrator creating or resetting an account, and a person changing their own, get the field's error and nothing changes", async () => {
    const admin = await aUser(t.db, "Policy Admin", { admin: true });
    const web = new HttpClient(server.url);
    await web.signIn(admin.email, admin.password);
    for (const weak of ["aaaaaaaaaa", "1234567890", "password12", "          ", "aaaaaaaaaaaa"]) {
      const made = await web.submit("/admin", { intent: "create-user", displayName: "New Person", email: "new.person@example.org", password: weak });
      expect(made.status, JSON.stringify(weak)).toBe(400);
      expect(made.text).toMatch(/The password (is too short|is too easy to guess|cannot be only spaces)/);
      expect(made.text).toMatch(/id="f-password-error"/);
    }
    expect(await t.db.selectFrom("users").select("id").where("email", "=", "new.person@example.org").execute()).toEqual([]);
    const named = await web.submit("/admin", { intent: "create-user", displayName: "Zainab Hassan", email: "zainab.hassan@example.org", password: "zainab.hassan" });
    expect(named.text).toContain("it contains your name, your email or the name of this site");

    const worker = await aUser(t.db, "Policy Worker");
    const reset = await web.submit(`/admin/users/${worker.id}`, { intent: "reset-password", password: "qwertyuiop12" });
    expect(reset.status).toBe(400);
    expect(reset.text).toContain("The password is too easy to guess: it is a commonly used password with small changes");
    const own = new HttpClient(server.url);
    await own.signIn(worker.email, worker.password);
    const changed = await own.submit("/settings", { intent: "password", current: worker.password, password: "password1234" });
    expect(changed.status).toBe(400);
    expect(changed.text).toContain("The password is too easy to guess");
    // Still the old password.
    await new HttpClient(server.url).signIn(worker.email, worker.password);
    const good = await own.submit("/settings", { intent: "password", current: worker.password, password: "kettle under the mango tree" });
    expect(good.status).toBe(200);
    expect(good.text).toContain("Password changed");
  });
});

it("the password policy refuses the passwords the attacker tried, naming the field, and accepts passphrases", () => {
  for (const weak of ["aaaaaaaaaa", "1234567890", "password12", "          ", "password1234", "qwertyuiop12", "aaaaaaaaaaaa", "123456789012"]) {
    const problem = passwordProblem(weak);
    expect(problem, weak).toMatch(/^The password /);
  }
  expect(passwordProblem("ada.lovelace@example.org", ["ada.lovelace@example.org"])).toMatch(/too easy to guess/);
  for (const good of ["correct horse battery", "a long enough password", "tea at the river gate"]) expect(passwordProblem(good), good).toBeNull();
  // The demo's printed passwords and the test fixtures' pass the policy they would meet on a form.
  for (const a of DEMO_ACCOUNTS) expect(passwordProblem(a.password, [a.email, a.name]), a.email).toBeNull();
  expect(passwordProblem(PASSWORD)).toBeNull();
});
