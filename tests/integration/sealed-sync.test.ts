// Sealed responses and tablet arming over real HTTP, on each database: what a tablet seals with the
// bundle's key is opened at sync and stored exactly once (a retry, even sealed afresh, is a duplicate),
// and shows in the export and the dashboard series; a changed envelope is rejected naming "sealed";
// the anonymous bundle carries no PIN check value; only the programme's facilitators (or an
// administrator) get it from the arming endpoint, which signs the browser session out.
import { randomUUID } from "node:crypto";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aPublishedSurvey, aUser, sdg16Answers, aLink } from "../support/fixtures";
import { createApiToken } from "../../app/models/api-tokens.server";
import { checkPin } from "../../app/models/collection-links.server";
import { setMembership } from "../../app/models/programmes.server";
import { ingestOpened } from "../../app/models/programme-keys.server";
import { runImport } from "../../app/exchange/import.server";
import { listAudit } from "../../app/models/audit.server";
import { fromBase64url, openSealed, sealResponse, toBase64url, type SealingKey } from "../../app/collector/seal";

const PIN = "482916";

describeEachDatabase("sealed responses and arming", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  let key: SealingKey;
  let facilitatorToken: string;

  const response = (over: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    surveyVersion: 1,
    collectedAt: "2026-03-10T09:00:00.000Z",
    language: "en",
    answers: sdg16Answers(),
    ...over,
  });
  const post = async (token: string, responses: unknown[]) => {
    const res = await fetch(`${server.url}/api/v1/links/${token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ responses }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: { id: string; status: string; errors?: { path: string; message: string }[] }[] }).results;
  };
  const countOf = async (id: string) =>
    Number((await t.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("id", "=", id).executeTakeFirstOrThrow()).n);
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db, { pin: PIN });
    facilitatorToken = (await createApiToken(t.db, fixture.facilitator.id, "export", { scopes: ["aggregates", "raw", "submit"] })).token;
    const bundle = await (await fetch(`${server.url}/api/v1/links/${fixture.link.token}`)).json();
    key = bundle.sealing;
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  describe("the anonymous link bundle", () => {
    it("carries the programme's public key and whether there is a PIN, but not the PIN's check value", async () => {
      const res = await fetch(`${server.url}/api/v1/links/${fixture.link.token}`);
      const text = await res.text();
      const bundle = JSON.parse(text);
      expect(bundle.link).toMatchObject({ mode: "kiosk", hasPin: true });
      expect(bundle.link).not.toHaveProperty("kioskPin");
      expect(fromBase64url(bundle.sealing.publicKey)).toHaveLength(32);
      expect(bundle.sealing.kid).toMatch(/^[A-Za-z0-9_-]{16}$/);
      const stored = (await t.db.selectFrom("collection_links").select("kiosk_pin").where("id", "=", fixture.link.id).executeTakeFirstOrThrow()).kiosk_pin!;
      const [, , salt, hash] = stored.split(":");
      for (const secret of [stored, salt, hash]) expect(text).not.toContain(secret);
      // The collector page's server-rendered HTML (with its loader data) has none of it either.
      const page = await (await fetch(`${server.url}/c/${fixture.link.token}`)).text();
      expect(page).toContain(bundle.sealing.publicKey);
      for (const secret of [salt, hash]) expect(page).not.toContain(secret);
      // The private key is the server's: it is in no reply.
      const row = await t.db.selectFrom("programme_keys").selectAll().where("programme_id", "=", fixture.programme.id).executeTakeFirstOrThrow();
      expect(row.kid).toBe(bundle.sealing.kid);
      expect(text).not.toContain(row.private_key);
      expect(page).not.toContain(row.private_key);
    });

    it("gives every link of a programme the same key, made once, and another programme another key", async () => {
      const second = await aLink(t.db, { surveyId: fixture.surveyId, mode: "self", label: "Poster", createdBy: fixture.facilitator.id });
      const [a, b] = await Promise.all(
        [fixture.link.token, second.token].map(async (tok) => (await (await fetch(`${server.url}/api/v1/links/${tok}`)).json()).sealing),
      );
      expect(a).toEqual(key);
      expect(b).toEqual(key);
      const other = await aPublishedSurvey(t.db);
      const otherKey = (await (await fetch(`${server.url}/api/v1/links/${other.link.token}`)).json()).sealing;
      expect(otherKey.kid).not.toBe(key.kid);
      const keys = await t.db.selectFrom("programme_keys").select("kid").where("programme_id", "=", fixture.programme.id).execute();
      expect(keys).toHaveLength(1);
    });
  });

  describe("sealed responses through the sync API", () => {
    const codes = ["1", "2", "2", "3", "4", "1"];
    let first: ReturnType<typeof response> & { id: string };

    it("are opened and stored once; a retry of the same or a freshly sealed copy is a duplicate; other content a conflict", async () => {
      const plain = codes.map((c, i) => response({ answers: sdg16Answers({ safe_after_dark: c, gender: i % 2 ? "man" : "woman" }) }));
      first = plain[0];
      const sealed = plain.map((r) => sealResponse(key, r));
      const body = JSON.stringify({ responses: sealed });
      expect(body).not.toContain("safe_after_dark");
      const results = await post(fixture.link.token, sealed);
      expect(results).toEqual(plain.map((r) => ({ id: r.id, status: "created" })));
      expect(await post(fixture.link.token, [sealed[0]])).toEqual([{ id: first.id, status: "duplicate" }]);
      expect(await post(fixture.link.token, [sealResponse(key, first)])).toEqual([{ id: first.id, status: "duplicate" }]);
      // The same response sent plain by another client is the same content: a duplicate too.
      expect(await post(fixture.link.token, [first])).toEqual([{ id: first.id, status: "duplicate" }]);
      const changedResponse = { ...first, answers: sdg16Answers({ safe_after_dark: "4", gender: "woman" }) };
      const changed = sealResponse(key, changedResponse);
      expect((await post(fixture.link.token, [changed]))[0]).toMatchObject({ id: first.id, status: "conflict" });
      expect(await countOf(first.id)).toBe(1);
      const row = await t.db.selectFrom("responses").selectAll().where("id", "=", first.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.answers).safe_after_dark).toBe("1");
      expect(row.link_id).toBe(fixture.link.id);
    });

    it("show in the raw export and in the dashboard series", async () => {
      const csv = await fetch(`${server.url}/api/v1/surveys/${fixture.surveyId}/responses.csv`, { headers: bearer(facilitatorToken) });
      expect(csv.status).toBe(200);
      const rows = Papa.parse<string[]>((await csv.text()).replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;
      const header = rows[0];
      const idCol = header.findIndex((h) => h === "response_id" || h === "id");
      const mine = rows.filter((r) => r[idCol] === first.id);
      expect(mine).toHaveLength(1);
      expect(mine[0][header.indexOf("safe_after_dark")]).toBe("1");

      const series = await fetch(`${server.url}/api/v1/surveys/${fixture.surveyId}/indicators/safe_after_dark_official/series`, { headers: bearer(facilitatorToken) });
      expect(series.status).toBe(200);
      const { points } = (await series.json()) as { points: { n: number; value: number }[] };
      expect(points).toHaveLength(1);
      expect(points[0].n).toBe(codes.length);
      expect(points[0].value).toBeCloseTo(codes.filter((c) => c === "1" || c === "2").length / codes.length, 12);
    });

    it("rejects a tampered, foreign-key or id-swapped item with path \"sealed\", stores nothing of it, and keeps its neighbours", async () => {
      const good = response();
      const victim = response();
      const sealed = sealResponse(key, victim).sealed;
      const ct = fromBase64url(sealed.ct);
      ct[10] ^= 1;
      const tampered = { id: victim.id, sealed: { ...sealed, ct: toBase64url(ct) } };
      const otherProgrammeKey = (await (await fetch(`${server.url}/api/v1/links/${(await aPublishedSurvey(t.db)).link.token}`)).json()).sealing;
      const foreign = sealResponse(otherProgrammeKey, response());
      const swapped = sealResponse(key, response(), randomUUID());
      const malformed = { id: randomUUID(), sealed: "not an envelope" };
      const results = await post(fixture.link.token, [tampered, sealResponse(key, good), foreign, swapped, malformed]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "created", "rejected", "rejected", "rejected"]);
      expect(results[0]).toEqual({ id: victim.id, status: "rejected", errors: [{ path: "sealed", message: expect.stringMatching(/could not be opened/) }] });
      expect(results[2].errors![0]).toMatchObject({ path: "sealed", message: expect.stringMatching(/not a key of this programme/) });
      expect(results[3].errors![0]).toEqual({ path: "sealed", message: "The id inside the sealed response is not the id outside it." });
      expect(results[4].errors![0]).toMatchObject({ path: "sealed", message: expect.stringMatching(/sealed must be an object/) });
      expect(await countOf(victim.id)).toBe(0);
      expect(await countOf(swapped.id)).toBe(0);
      expect(await countOf(good.id)).toBe(1);
    });

    it("checks the opened response like any other: a sealed invalid answer is rejected by the survey core, naming the answer", async () => {
      const bad = response({ answers: sdg16Answers({ safe_after_dark: "7" }) });
      const [r] = await post(fixture.link.token, [sealResponse(key, bad)]);
      expect(r).toMatchObject({ id: bad.id, status: "rejected", errors: [expect.objectContaining({ path: "answers.safe_after_dark" })] });
      expect(await countOf(bad.id)).toBe(0);
    });

    it("a saved queue file's sealed items are opened by the Data page's import, stored once, and shown in the export", async () => {
      const queued = response({ answers: sdg16Answers({ safe_after_dark: "3" }) });
      const text = JSON.stringify({ responses: [sealResponse(key, queued)], sessions: [], refusals: [] });
      const input = { surveyId: fixture.surveyId, programmeId: fixture.programme.id, fileName: "Tablet 1.json", text, encoding: "utf-8" as const, bom: false, defaultCommunityId: fixture.programme.communityId, defaultRoundId: fixture.roundId };
      const dry = await runImport(t.db, { ...input, commit: false });
      expect(dry.problems).toEqual([]);
      const done = await runImport(t.db, { ...input, commit: true });
      expect(done.problems).toEqual([]);
      expect(await countOf(queued.id)).toBe(1);
      const again = await runImport(t.db, { ...input, commit: true });
      expect(again.problems).toEqual([]);
      expect(await countOf(queued.id)).toBe(1);
      const csv = await (await fetch(`${server.url}/api/v1/surveys/${fixture.surveyId}/responses.csv`, { headers: bearer(facilitatorToken) })).text();
      const row = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), { header: true }).data.find((r) => r.response_id === queued.id);
      expect(row?.safe_after_dark).toBe("3");
      // Only the programme's own keys open: the same file under another programme is refused.
      const other = await aProgramme(t.db, "Elsewhere");
      const refused = await ingestOpened(t.db, other.id, JSON.parse(text).responses, () => Promise.resolve([]));
      expect(refused[0]).toMatchObject({ status: "rejected", errors: [{ path: "sealed" }] });
    });

    it("still takes plain responses from other clients exactly as before", async () => {
      const plain = response();
      expect(await post(fixture.link.token, [plain])).toEqual([{ id: plain.id, status: "created" }]);
    });

    it("a sealed response opens only with the stored private key (and the tablet never needs it)", async () => {
      const row = await t.db.selectFrom("programme_keys").selectAll().where("kid", "=", key.kid).executeTakeFirstOrThrow();
      const r = response();
      expect(openSealed(row.private_key, sealResponse(key, r))).toEqual(r);
    });
  });

  describe("arming a tablet", () => {
    const arm = (client: HttpClient, headers: Record<string, string> = {}, origin?: string | null) =>
      client.request(`/api/v1/links/${fixture.link.token}/arming`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json", ...headers }, origin });

    it("gives a facilitator of the programme the PIN's check value and signs that browser out", async () => {
      const web = new HttpClient(server.url);
      await web.signIn(fixture.facilitator.email, fixture.facilitator.password);
      expect(web.cookies.has("sps_session")).toBe(true);
      const reply = await arm(web);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("cache-control")).toBe("no-store");
      const body = reply.json();
      expect(body).toMatchObject({ linkId: fixture.link.id, signedOut: true });
      expect(checkPin(body.kioskPin, PIN)).toBe(true);
      // Signed out: the cookie is cleared and the session is gone on the server.
      expect(web.cookies.has("sps_session")).toBe(false);
      expect((await web.get("/settings")).status).toBe(302);
      expect((await arm(web)).status).toBe(401);
      const audit = await listAudit(t.db, { action: "link.arm" });
      expect(audit[0]).toMatchObject({ action: "link.arm", actorId: fixture.facilitator.id, details: { linkId: fixture.link.id, signedOut: true } });
    });

    it("gives it to an administrator, and to a facilitator's API token (which stays valid)", async () => {
      const admin = await aUser(t.db, "Site Admin", { admin: true });
      const web = new HttpClient(server.url);
      await web.signIn(admin.email, admin.password);
      expect((await arm(web)).status).toBe(200);
      const api = new HttpClient(server.url);
      const first = await arm(api, bearer(facilitatorToken), null);
      expect(first.status).toBe(200);
      expect(first.json().signedOut).toBe(false);
      expect((await arm(api, bearer(facilitatorToken), null)).status).toBe(200);
    });

    it("refuses a manager of the programme, a facilitator of another programme, and anyone not signed in (403/401), and signs them out too", async () => {
      const manager = await aUser(t.db, "Programme Manager");
      await setMembership(t.db, { userId: manager.id, programmeId: fixture.programme.id, role: "manager" });
      const stranger = await aUser(t.db, "Other Facilitator");
      await aProgramme(t.db, "Other programme", [{ userId: stranger.id, role: "facilitator" }]);
      for (const person of [manager, stranger]) {
        const web = new HttpClient(server.url);
        await web.signIn(person.email, person.password);
        const reply = await arm(web);
        expect(reply.status).toBe(403);
        expect(reply.json().error.message).toMatch(/facilitator of this link's programme/);
        expect(reply.text).not.toContain("pbkdf2");
        expect(web.cookies.has("sps_session")).toBe(false);
      }
      const anonymous = await arm(new HttpClient(server.url));
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).not.toMatch(/pbkdf2/);
    });

    it("refuses a signed-in request from another site or without a JSON body, and keeps GET for nothing", async () => {
      const web = new HttpClient(server.url);
      await web.signIn(fixture.facilitator.email, fixture.facilitator.password);
      expect((await arm(web, {}, "https://evil.example")).status).toBe(403);
      const form = await web.request(`/api/v1/links/${fixture.link.token}/arming`, { method: "POST", body: "a=1", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      expect(form.status).toBe(403);
      expect((await web.get(`/api/v1/links/${fixture.link.token}/arming`)).status).toBe(405);
      // Still signed in: nothing was handed out.
      expect(web.cookies.has("sps_session")).toBe(true);
    });

    it("answers 409 for a link without a PIN, naming the field", async () => {
      const poster = await aLink(t.db, { surveyId: fixture.surveyId, mode: "self", label: "Poster 2", createdBy: fixture.facilitator.id });
      const reply = await new HttpClient(server.url).request(`/api/v1/links/${poster.token}/arming`, {
        method: "POST",
        body: "{}",
        headers: { "Content-Type": "application/json", ...bearer(facilitatorToken) },
        origin: null,
      });
      expect(reply.status).toBe(409);
      expect(reply.json().error).toMatchObject({ path: "pin" });
    });
  });
});
