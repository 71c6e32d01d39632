// Response quotas, on each database, across two real server processes sharing it: one person with
// a community link floods it from one address through both processes at once; exactly the limit
// is stored, the rest is refused whole with 429 and Retry-After and not stored; after the minute
// the tablet's retry passes; the day's limit holds; another address is not held back. The
// facilitator sees the refusals on the links page and lifts them (audited); a manager cannot.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { visibleText } from "../support/page-text";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { setMembership } from "../../app/models/programmes.server";
import { pruneQuotaRows, takeResponseQuota } from "../../app/models/quotas.server";

const PER_MINUTE = 40;
const PER_DAY = 70;
const FLOODER = "203.0.113.7";
const NEIGHBOUR = "198.51.100.9";

interface Child {
  url: string;
  process: ChildProcess;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** `npm start` in its own process: nothing in memory is shared with the test or the other server. */
async function startServerProcess(databaseUrl: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "app/cli/serve.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      // The test sends the flooder's address as a proxy would.
      TRUST_PROXY: "1",
      LINK_RESPONSES_PER_MINUTE: String(PER_MINUTE),
      LINK_RESPONSES_PER_DAY: String(PER_DAY),
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server process exited with ${child.exitCode}`);
    if (i > 600) throw new Error("the server process did not start");
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  return { url, process: child };
}

async function stop(child: Child | undefined) {
  if (!child || child.process.exitCode !== null) return;
  const exited = new Promise((r) => child.process.once("exit", r));
  child.process.kill("SIGTERM");
  await exited;
}

/** A page's text as a person reads it: no tags, no React's text separators. */
const words = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachDatabase("response quotas", (dialect) => {
  let t: TestDb;
  let one: Child;
  let two: Child;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let facilitator: HttpClient;
  let manager: HttpClient;
  let admin: HttpClient;
  let refusedIds: string[] = [];

  const response = () => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-11-20T10:15:00Z", language: "en", answers: sdg16Answers() });
  const send = (server: Child, responses: ReturnType<typeof response>[], from = FLOODER) =>
    fetch(`${server.url}/api/v1/links/${fixture.link.token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": from },
      body: JSON.stringify({ responses }),
    });
  const stored = async (ids?: string[]) => {
    let q = t.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("link_id", "=", fixture.link.id);
    if (ids) q = q.where("id", "in", ids);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const linksPage = () => `/surveys/${fixture.surveyId}/links`;

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    fixture = await aPublishedSurvey(t.db, { mode: "self", maxResponses: 2000 });
    const m = await aUser(t.db, "Programme Manager");
    await setMembership(t.db, { programmeId: fixture.programme.id, userId: m.id, role: "manager" });
    const a = await aUser(t.db, "Site Admin", { admin: true });
    [one, two] = await Promise.all([startServerProcess(t.url), startServerProcess(t.url)]);
    facilitator = new HttpClient(one.url);
    manager = new HttpClient(two.url);
    admin = new HttpClient(two.url);
    await facilitator.signIn(fixture.facilitator.email, fixture.facilitator.password);
    await manager.signIn(m.email, m.password);
    await admin.signIn(a.email, a.password);
  });
  afterAll(async () => {
    await Promise.all([stop(one), stop(two)]);
    await t?.drop();
  });

  it("two server processes flooded at once store exactly the minute's limit; the rest is refused with 429 and passes after the window", { timeout: 150_000 }, async () => {
    // Start early in a minute, so the whole flood falls in one window.
    if (new Date().getUTCSeconds() > 40) await sleep(61_000 - (Date.now() % 60_000));
    const batches = Array.from({ length: 12 }, () => Array.from({ length: 5 }, response));
    const replies = await Promise.all(batches.map((b, i) => send(i % 2 ? two : one, b)));

    const ok = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(PER_MINUTE / 5);
    expect(refused).toHaveLength(12 - PER_MINUTE / 5);
    for (const r of ok) expect(((await r.json()) as { results: { status: string }[] }).results.every((x) => x.status === "created")).toBe(true);
    const retryAfter = refused.map((r) => Number(r.headers.get("Retry-After")));
    for (const r of refused) {
      const body = (await r.json()) as { error: { status: number; message: string } };
      expect(body.error.status).toBe(429);
      expect(body.error.message).toContain(`at most ${PER_MINUTE} responses a minute`);
      expect(r.headers.get("Content-Type")).toContain("application/json");
    }
    for (const s of retryAfter) {
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThanOrEqual(60);
    }
    expect(await stored()).toBe(PER_MINUTE);
    refusedIds = batches.filter((_, i) => replies[i].status === 429).flat().map((r) => r.id);
    expect(await stored(refusedIds)).toBe(0);

    // Another address behind the same link is not held back by the flooder.
    expect((await send(one, [response()], NEIGHBOUR)).status).toBe(200);

    // The tablet keeps what was refused and retries after Retry-After: it passes now.
    await sleep(Math.max(...retryAfter) * 1000 + 300);
    const again = batches.filter((_, i) => replies[i].status === 429);
    const retried = await Promise.all(again.map((b, i) => send(i % 2 ? one : two, b)));
    expect(retried.map((r) => r.status)).toEqual(again.map(() => 200));
    expect(await stored(refusedIds)).toBe(refusedIds.length);
    expect(await stored()).toBe(PER_MINUTE + refusedIds.length + 1);
  });

  it("the day's limit holds across both processes, whatever the minute", { timeout: 60_000 }, async () => {
    // The flooder has sent 60 today; 15 more would cross 70: refused whole, nothing stored.
    const over = Array.from({ length: 15 }, response);
    const refused = await send(two, over);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(`at most ${PER_DAY} responses a day`);
    const wait = Number(refused.headers.get("Retry-After"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(await stored(over.map((r) => r.id))).toBe(0);
    // Exactly up to the day's limit still goes in.
    expect((await send(one, Array.from({ length: 10 }, response))).status).toBe(200);
    expect((await send(two, [response()])).status).toBe(429);
    // A batch larger than the minute's limit is refused whole, from the neighbour this time.
    const big = await send(one, Array.from({ length: PER_MINUTE + 5 }, response), NEIGHBOUR);
    expect(big.status).toBe(429);
    expect(await stored()).toBe(PER_DAY + 1);
  });

  it("the facilitator sees the refusals on the links page and lifts the limits for 24 hours; a manager sees them but cannot", { timeout: 60_000 }, async () => {
    // Refused today: 20 + 15 + 1 from the flooder, 45 from the neighbour.
    const seen = await manager.get(linksPage());
    expect(seen.status).toBe(200);
    expect(seen.text).toContain(`data-quota-refused="81"`);
    expect(words(seen.text)).toMatch(/Responses refused by the quota: 81 on \d{4}-\d{2}-\d{2} \(last at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\), from 2 addresses\./);
    expect(seen.text).toContain(`data-responses="${PER_DAY + 1}"`);
    expect(visibleText(seen.text)).not.toContain("Lift the limits");
    const csrf = await manager.csrfFrom(linksPage());
    expect((await manager.submit(linksPage(), { intent: "lift-quota", linkId: fixture.link.id }, { csrf })).status).toBe(403);
    expect(await t.db.selectFrom("link_quota_lifts").selectAll().execute()).toHaveLength(0);

    const page = await facilitator.get(linksPage());
    expect(words(page.text)).toContain("Lift the limits on “Tablet 1” for 24 hours");
    const lifted = await facilitator.submit(linksPage(), { intent: "lift-quota", linkId: fixture.link.id });
    expect(lifted.status).toBe(200);
    expect(lifted.text).toContain("are lifted until");
    const after = await manager.get(linksPage());
    expect(words(after.text)).toMatch(/Limits lifted until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC by Survey Facilitator\./);
    expect(visibleText(after.text)).not.toContain("Lift the limits on");

    const audit = await t.db.selectFrom("audit_log").selectAll().where("action", "=", "link.quota_lift").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: fixture.facilitator.id, survey_id: fixture.surveyId, programme_id: fixture.programme.id });
    expect(JSON.parse(audit[0].details)).toMatchObject({ linkId: fixture.link.id, hours: 24, refusedResponses: 81, refusedAddresses: 2 });
    const log = await admin.get("/admin/audit?action=link");
    expect(log.status).toBe(200);
    expect(log.text).toContain("link.quota_lift");
    expect(log.text).toContain("Survey Facilitator");
    expect(words(log.text)).toContain("refusedResponses: 81 · refusedAddresses: 2");

    // The flooder's queued responses now go in, through either process; the response cap still applies.
    const queued = Array.from({ length: 3 }, () => Array.from({ length: 5 }, response));
    const replies = await Promise.all(queued.map((b, i) => send(i % 2 ? two : one, b)));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await stored()).toBe(PER_DAY + 1 + 15);
    expect((await facilitator.get(linksPage())).text).toContain(`data-responses="${PER_DAY + 16}"`);
  });

  it("stores no address, counts a phone's IPv6 network as one, and prunes counters and the day's salt", async () => {
    const linkId = randomUUID();
    const day0 = Date.parse("2026-11-01T10:00:00.000Z");
    const limits = { perMinute: 5, perDay: 5 };
    for (const address of ["2001:db8:1:2::5", "2001:db8:1:2:aaaa::9"]) expect((await takeResponseQuota(t.db, linkId, address, 2, { now: day0, limits })).ok).toBe(true);
    expect((await takeResponseQuota(t.db, linkId, "2001:db8:1:2::77", 2, { now: day0, limits })).ok).toBe(false);
    const rows = () => t.db.selectFrom("response_quota_counts").selectAll().where("link_id", "=", linkId).orderBy("span").execute();
    const counted = await rows();
    expect(counted.map((r) => [r.span, Number(r.taken), Number(r.refused)])).toEqual([["day", 4, 2], ["minute", 4, 0]]);
    // Nothing of the address in any column but the link's own (random) id, which may hold "db8" by chance.
    expect(JSON.stringify(counted.map(({ link_id: _link, ...rest }) => rest))).not.toMatch(/2001|db8/);
    const salt = () => t.db.selectFrom("response_quota_salts").select("day").where("day", "=", "2026-11-01").execute();
    expect(await salt()).toHaveLength(1);

    await pruneQuotaRows(t.db, day0 + 3 * 60_000);
    expect((await rows()).map((r) => r.span)).toEqual(["day"]);
    expect(await salt()).toHaveLength(1);
    await pruneQuotaRows(t.db, day0 + 9 * 86_400_000);
    expect(await rows()).toHaveLength(0);
    expect(await salt()).toHaveLength(0);
  });
});
