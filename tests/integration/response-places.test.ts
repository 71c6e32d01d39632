// Every response counts where it was collected, and a link holder learns nothing about other
// surveys — on each database, over real HTTP. A facilitator's tablet session in Hodan at the
// Follow-up round reaches its responses, the raw export and the dashboards, whichever arrives
// first and when it changes later; a round assigned by date shows in the export; the repair
// migration fixes rows stored before; foreign or malformed session ids and import defaults are
// refused by name; another survey's response id behaves exactly like a new one.
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { describeEachDatabase, freshDatabase, TMP_DIR, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aProgramme, aUser, sdg16Answers, aLink } from "../support/fixtures";
import { openPostgres, openSqlite, type Db } from "../../db/connect";
import { migrateToLatest, migrateUpTo } from "../../db/migrate";
import { TEST_DATABASE_URL } from "../support/environment";
import { createCommunity } from "../../app/models/programmes.server";
import { createRound, deleteRound } from "../../app/models/rounds.server";
import { createSurvey, publishDraft } from "../../app/models/surveys.server";
import { createLink, resolveLink } from "../../app/models/collection-links.server";
import { createApiToken } from "../../app/models/api-tokens.server";
import { ingestResponses } from "../../app/models/responses.server";
import { listSessions, upsertSessions } from "../../app/models/sessions-fg.server";
import { exclude, restore } from "../../app/models/exclusions.server";
import { AGGREGATE_TABLES, foldPendingAggregates, recomputeAggregates, runRecordedRebuilds } from "../../app/models/aggregates.server";
import { ImportOptionError, runImport } from "../../app/exchange/import.server";
import { decodeUpload } from "../../app/exchange/decode";
import { getTemplate } from "../../app/survey-templates.server";
import pg from "pg";

const INDICATOR = "safe_after_dark_official";
/** Six answers: above the programme's minimum cell size of 5, so every figure is published. */
const SIX = ["1", "2", "2", "3", "1", "4"];

/** A programme with Hodan, two dated rounds (none covering May), the SDG 16 survey and its links. */
async function aField(db: Kysely<Database>) {
  const facilitator = await aUser(db, "Field Facilitator");
  const programme = await aProgramme(db, "Field Programme", [{ userId: facilitator.id, role: "facilitator" }]);
  const hodan = await createCommunity(db, { programmeId: programme.id, name: "Hodan", region: "Banadir" });
  const baseline = await createRound(db, { programmeId: programme.id, name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-03-31" });
  const followUp = await createRound(db, { programmeId: programme.id, name: "Follow-up", kind: "custom", startsOn: "2026-10-01", endsOn: "2026-12-31" });
  const definition = structuredClone(getTemplate("sdg16_core")!.definition);
  const surveyId = await createSurvey(db, { programmeId: programme.id, definition, createdBy: facilitator.id });
  if (!(await publishDraft(db, surveyId, facilitator.id)).ok) throw new Error("did not publish");
  const link = (over: Parameters<typeof createLink>[1] extends infer I ? Partial<I> : never) =>
    aLink(db, { surveyId, mode: "kiosk", label: "Tablet", createdBy: facilitator.id, ...over });
  const tablet = await link({});
  const bound = await link({ label: "Village tablet", communityId: programme.communityId });
  const phone = await link({ mode: "self", label: "Poster" });
  const token = (await createApiToken(db, facilitator.id, "analysis", { scopes: ["aggregates", "raw"] })).token;
  return { facilitator, programme, village: programme.communityId, hodan, baseline, followUp, surveyId, tablet, bound, phone, token };
}
type Field = Awaited<ReturnType<typeof aField>>;

const response = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  surveyVersion: 1,
  collectedAt: "2026-05-20T10:00:00.000Z",
  language: "en",
  answers: sdg16Answers(),
  ...over,
});
const six = (over: Record<string, unknown> = {}) => SIX.map((code) => response({ answers: sdg16Answers({ safe_after_dark: code }), ...over }));
const session = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  heldOn: "2026-05-20",
  groupDescription: "women 18–35",
  participantCount: 6,
  notes: "",
  updatedAt: "2026-05-20T09:00:00.000Z",
  ...over,
});

/** Every aggregate table of a survey, as sorted canonical rows (numbers as numbers on both databases). */
async function aggregatesOf(db: Kysely<Database>, surveyId: string) {
  const canon = (r: object) =>
    JSON.stringify(
      Object.entries(r)
        .map(([k, v]) => [k, /^(n|excluded|missing|score_sum|score_sq|rank_points|survey_version|from_session)$/.test(k) ? Number(v) : v])
        .sort(),
    );
  return Object.fromEntries(
    await Promise.all(AGGREGATE_TABLES.map(async (tb) => [tb.table, ((await (db as any).selectFrom(tb.table).selectAll().where("survey_id", "=", surveyId).execute()) as object[]).map(canon).sort()])),
  );
}
/** The stored figures equal a from-scratch recomputation: nothing counted twice, nothing lost. */
async function expectFiguresWhole(db: Kysely<Database>, surveyId: string) {
  await foldPendingAggregates(db);
  const acc = await recomputeAggregates(db, surveyId);
  const canon = (r: object) =>
    JSON.stringify(
      Object.entries(r)
        .map(([k, v]) => [k, /^(n|excluded|missing|score_sum|score_sq|rank_points|survey_version|from_session)$/.test(k) ? Number(v) : v])
        .sort(),
    );
  const fresh = Object.fromEntries(AGGREGATE_TABLES.map((tb) => [tb.table, (tb.rows(acc) as object[]).map(canon).sort()]));
  expect(await aggregatesOf(db, surveyId)).toEqual(fresh);
}

describeEachDatabase("where responses count", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  const post = async (token: string, kind: "responses" | "sessions", body: unknown) => {
    const res = await fetch(`${server.url}/api/v1/links/${token}/${kind}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return res.json();
  };
  const statuses = (reply: { results: { status: string }[] }) => reply.results.map((r) => r.status);
  /** The raw export as a person downloads it, one object per row keyed by column. */
  const exported = async (f: Field) => {
    const res = await fetch(`${server.url}/api/v1/surveys/${f.surveyId}/responses.csv`, { headers: { Authorization: `Bearer ${f.token}` } });
    expect(res.status).toBe(200);
    return Papa.parse<Record<string, string>>(await res.text(), { header: true, skipEmptyLines: true }).data;
  };
  /** The dashboards' series by community, from the public API. */
  const series = async (f: Field) => {
    const res = await fetch(`${server.url}/api/v1/surveys/${f.surveyId}/indicators/${INDICATOR}/series?period=round&by=community`, { headers: { Authorization: `Bearer ${f.token}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { points: { period: string; periodLabel: string; group: { community: string }; n: number | null }[] }).points.filter((p) => p.n !== 0);
  };
  const count = async (surveyId: string) =>
    Number((await t.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("survey_id", "=", surveyId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("a session sent first: its responses are stored, exported and counted in Hodan × Follow-up", async () => {
    const f = await aField(t.db);
    const sessionId = randomUUID();
    await post(f.tablet.token, "sessions", { sessions: [session(sessionId, { communityId: f.hodan, roundId: f.followUp })] });
    const items = six({ sessionId });
    expect(statuses(await post(f.tablet.token, "responses", { responses: items }))).toEqual(Array(6).fill("created"));

    const rows = await t.db.selectFrom("responses").select(["community_id", "round_id"]).where("session_id", "=", sessionId).execute();
    expect(rows).toEqual(Array(6).fill({ community_id: f.hodan, round_id: f.followUp }));
    const csv = await exported(f);
    expect(csv.map((r) => [r.community, r.round, r.session_id])).toEqual(Array(6).fill(["Hodan", "Follow-up", sessionId]));
    expect(await series(f)).toEqual([expect.objectContaining({ period: f.followUp, periodLabel: "Follow-up", group: { community: f.hodan }, n: 6 })]);
    const [listed] = await listSessions(t.db, [f.surveyId]);
    expect(listed).toMatchObject({ communityName: "Hodan", roundName: "Follow-up", responses: 6 });

    // A tablet bound to the village: the session's community is the link's, its round still counts.
    const boundSession = randomUUID();
    await post(f.bound.token, "sessions", { sessions: [session(boundSession, { communityId: f.hodan, roundId: f.followUp })] });
    expect(statuses(await post(f.bound.token, "responses", { responses: six({ sessionId: boundSession }) }))).toEqual(Array(6).fill("created"));
    const boundRows = await t.db.selectFrom("responses").select(["community_id", "round_id"]).where("session_id", "=", boundSession).execute();
    expect(boundRows).toEqual(Array(6).fill({ community_id: f.village, round_id: f.followUp }));
    expect((await exported(f)).filter((r) => r.session_id === boundSession).map((r) => r.round)).toEqual(Array(6).fill("Follow-up"));
    expect(await series(f)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ period: f.followUp, group: { community: f.village }, n: 6 }),
        expect.objectContaining({ period: f.followUp, group: { community: f.hodan }, n: 6 }),
      ]),
    );
    await expectFiguresWhole(t.db, f.surveyId);
  });

  it("a session changed after its responses moves them, folded, excluded or still pending, with their figures", async () => {
    const f = await aField(t.db);
    const sessionId = randomUUID();
    const link = (await resolveLink(t.db, f.tablet.token))!;
    // Responses arrive before their session: a bare session is made, in the link's (empty) place.
    const early = six({ sessionId }).slice(0, 3);
    expect(statuses({ results: await ingestResponses(t.db, link, early) })).toEqual(["created", "created", "created"]);
    await foldPendingAggregates(t.db);
    await exclude(t.db, f.facilitator.viewer, { id: f.surveyId, programmeId: f.programme.id }, { responseId: early[0].id }, "test_run", "");
    // Three more wait for the fold (its timer held) when the session arrives, an hour older than they are.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const late = six({ sessionId }).slice(3);
      expect(statuses({ results: await ingestResponses(t.db, link, late) })).toEqual(["created", "created", "created"]);
      const flags = await t.db.selectFrom("responses").select(["aggregated", "excluded_at"]).where("session_id", "=", sessionId).execute();
      expect(flags.map((r) => [Number(r.aggregated), r.excluded_at !== null]).sort()).toEqual([[0, false], [0, false], [0, false], [1, false], [1, false], [1, true]]);
      await upsertSessions(t.db, link, [session(sessionId, { communityId: f.hodan, roundId: f.followUp })], []);
    } finally {
      vi.runOnlyPendingTimers(); // the fold held back runs now, after the move
      vi.useRealTimers();
    }
    const rows = await t.db.selectFrom("responses").select(["community_id", "round_id"]).where("session_id", "=", sessionId).execute();
    expect(rows).toEqual(Array(6).fill({ community_id: f.hodan, round_id: f.followUp }));
    await expectFiguresWhole(t.db, f.surveyId);
    expect(await series(f)).toEqual([expect.objectContaining({ period: f.followUp, group: { community: f.hodan }, n: 5 })]);
    await restore(t.db, f.facilitator.viewer, { id: f.surveyId, programmeId: f.programme.id }, { responseId: early[0].id });
    expect(await series(f)).toEqual([expect.objectContaining({ period: f.followUp, group: { community: f.hodan }, n: 6 })]);

    // The facilitator corrects the session later, on the tablet: the responses and figures follow.
    await post(f.tablet.token, "sessions", { sessions: [session(sessionId, { communityId: f.village, roundId: f.baseline, updatedAt: "2026-05-21T08:00:00.000Z" })] });
    expect((await exported(f)).map((r) => [r.community, r.round])).toEqual(Array(6).fill(["Field Programme village", "Baseline"]));
    expect(await series(f)).toEqual([expect.objectContaining({ period: f.baseline, group: { community: f.village }, n: 6 })]);
    // An older copy of the session changes nothing.
    await post(f.tablet.token, "sessions", { sessions: [session(sessionId, { communityId: f.hodan, roundId: f.followUp, updatedAt: "2026-05-20T09:30:00.000Z" })] });
    expect(await series(f)).toEqual([expect.objectContaining({ period: f.baseline, group: { community: f.village }, n: 6 })]);
    await expectFiguresWhole(t.db, f.surveyId);
    const [listed] = await listSessions(t.db, [f.surveyId]);
    expect(listed).toMatchObject({ communityName: "Field Programme village", roundName: "Baseline", responses: 6 });
  });

  it("a round assigned by date is in the export's round column, and export and dashboards follow when rounds change", async () => {
    const f = await aField(t.db);
    const march = six({ collectedAt: "2026-03-10T09:00:00.000Z" });
    const june = six({ collectedAt: "2026-06-15T09:00:00.000Z" });
    expect(statuses(await post(f.phone.token, "responses", { responses: [...march, ...june] }))).toEqual(Array(12).fill("created"));
    const rounds = async () => Object.fromEntries((await exported(f)).map((r) => [r.response_id, r.round]));
    const byRound = async () => Object.fromEntries((await series(f)).map((p) => [p.periodLabel, p.n]));
    expect(await rounds()).toEqual(Object.fromEntries([...march.map((r) => [r.id, "Baseline"]), ...june.map((r) => [r.id, ""])]));
    expect(await byRound()).toEqual({ Baseline: 6, "No round": 6 });

    const midline = await createRound(t.db, { programmeId: f.programme.id, name: "Midline", kind: "midline", startsOn: "2026-06-01", endsOn: "2026-06-30" });
    expect(await rounds()).toEqual(Object.fromEntries([...march.map((r) => [r.id, "Baseline"]), ...june.map((r) => [r.id, "Midline"])]));
    expect(await byRound()).toEqual({ Baseline: 6, Midline: 6 });
    await deleteRound(t.db, f.programme.id, midline);
    expect(Object.values(await rounds()).filter((r) => r === "")).toHaveLength(6);
    expect(await byRound()).toEqual({ Baseline: 6, "No round": 6 });
    await expectFiguresWhole(t.db, f.surveyId);
  });

  it("refuses, naming sessionId and storing nothing: another link's or survey's session, a non-UUID, any on a community link", async () => {
    const f = await aField(t.db);
    const other = await aField(t.db);
    const theirs = randomUUID();
    await post(other.tablet.token, "sessions", { sessions: [session(theirs, { communityId: other.hodan })] });
    await post(other.tablet.token, "responses", { responses: six({ sessionId: theirs }) });
    const sameSurveysOtherLink = randomUUID();
    await post(f.bound.token, "sessions", { sessions: [session(sameSurveysOtherLink)] });
    const before = await count(f.surveyId);

    const cases: [string, string, Record<string, unknown>][] = [
      ["another survey's session", f.tablet.token, { sessionId: theirs }],
      ["another link's session", f.tablet.token, { sessionId: sameSurveysOtherLink }],
      ["a session id that is not a UUID", f.tablet.token, { sessionId: "group-1" }],
      ["any session on a community link", f.phone.token, { sessionId: randomUUID() }],
    ];
    for (const [what, token, over] of cases) {
      const item = response(over);
      const reply = await post(token, "responses", { responses: [item] });
      expect(reply.results, what).toEqual([{ id: item.id, status: "rejected", errors: [{ code: expect.stringMatching(/^(unknown_session|invalid_shape)$/), path: "sessionId", message: expect.any(String) }] }]);
    }
    expect(await count(f.surveyId)).toBe(before);
    expect(await t.db.selectFrom("fg_sessions").select("id").where("survey_id", "=", f.surveyId).execute()).toHaveLength(1);
    const [theirSession] = await listSessions(t.db, [other.surveyId]);
    expect(theirSession).toMatchObject({ id: theirs, responses: 6 });
    expect(await listSessions(t.db, [f.surveyId])).toEqual([expect.objectContaining({ id: sameSurveysOtherLink, responses: 0 })]);
  });

  it("another survey's response id through B's link behaves as a new id there; A's row and session stay as they were", async () => {
    const a = await aField(t.db);
    const b = await aField(t.db);
    const sessionId = randomUUID();
    await post(a.tablet.token, "sessions", { sessions: [session(sessionId, { communityId: a.hodan, roundId: a.followUp })] });
    const original = response({ sessionId });
    expect(statuses(await post(a.tablet.token, "responses", { responses: [original] }))).toEqual(["created"]);
    // Folded into the figures first (the server folds in the background too), so the row holds still.
    await foldPendingAggregates(t.db);
    const stored = await t.db.selectFrom("responses").selectAll().where("id", "=", original.id).executeTakeFirstOrThrow();

    // The exact same response, and one with other answers, through B's link: as for never-seen ids.
    const same = { ...original, sessionId: undefined };
    const changed = { ...same, answers: sdg16Answers({ safe_after_dark: "4" }) };
    const fresh = response();
    const freshChanged = { ...fresh, answers: sdg16Answers({ safe_after_dark: "4" }) };
    const first = await post(b.tablet.token, "responses", { responses: [same, fresh] });
    expect(first.results).toEqual([
      { id: original.id, status: "created" },
      { id: fresh.id, status: "created" },
    ]);
    const retry = await post(b.tablet.token, "responses", { responses: [same, fresh] });
    expect(retry.results).toEqual([
      { id: original.id, status: "duplicate" },
      { id: fresh.id, status: "duplicate" },
    ]);
    const conflicts = await post(b.tablet.token, "responses", { responses: [changed, freshChanged] });
    expect(conflicts.results.map((r: { id: string; status: string; errors: unknown }) => [r.id, r.status, r.errors])).toEqual([
      [original.id, "conflict", [{ code: "conflict", path: "", message: expect.any(String) }]],
      [fresh.id, "conflict", [{ code: "conflict", path: "", message: expect.any(String) }]],
    ]);
    expect(conflicts.results[0].errors).toEqual(conflicts.results[1].errors);
    // And A's session id through B's link is refused, so A's session counts cannot move.
    const intruder = await post(b.tablet.token, "responses", { responses: [response({ sessionId })] });
    expect(intruder.results[0]).toMatchObject({ status: "rejected", errors: [{ path: "sessionId" }] });

    expect(await t.db.selectFrom("responses").selectAll().where("id", "=", original.id).executeTakeFirstOrThrow()).toEqual(stored);
    expect(await count(a.surveyId)).toBe(1);
    expect(await count(b.surveyId)).toBe(2);
    expect((await listSessions(t.db, [a.surveyId]))[0]).toMatchObject({ id: sessionId, responses: 1 });
    // B's export holds both, each once, under ids of its own; A's export still holds A's.
    const bIds = (await exported(b)).map((r) => r.response_id);
    expect(bIds).toHaveLength(2);
    expect(bIds).toContain(fresh.id);
    expect(bIds).not.toContain(original.id);
    expect((await exported(a)).map((r) => r.response_id)).toEqual([original.id]);
  });

  it("an import's default community or round of another programme is refused, naming the field, and stores nothing", async () => {
    const f = await aField(t.db);
    const other = await aField(t.db);
    const csv = "safe_after_dark,safe_daytime,trust_police,trust_courts,would_report_crime,gender,age_band,disability\n2,1,3,2,0,woman,25_34,0\n";
    const input = { surveyId: f.surveyId, programmeId: f.programme.id, fileName: "paper.csv", ...decodeUpload(new TextEncoder().encode(csv)), collectedOn: "2026-05-20", commit: true };
    await expect(runImport(t.db, { ...input, defaultCommunityId: other.hodan })).rejects.toMatchObject({ field: "defaultCommunityId" });
    await expect(runImport(t.db, { ...input, defaultRoundId: other.followUp })).rejects.toBeInstanceOf(ImportOptionError);
    await expect(runImport(t.db, { ...input, defaultRoundId: other.followUp })).rejects.toMatchObject({ field: "defaultRoundId", message: expect.stringMatching(/^Round/) });
    // Even a caller naming the other programme: the survey's own programme decides.
    await expect(runImport(t.db, { ...input, programmeId: other.programme.id, defaultCommunityId: other.hodan })).rejects.toMatchObject({ field: "defaultCommunityId" });
    expect(await count(f.surveyId)).toBe(0);

    // Through the Data page, as a person would: the error names the field, nothing is kept.
    const web = new HttpClient(server.url);
    await web.signIn(f.facilitator.email, f.facilitator.password);
    const csrf = await web.csrfFrom(`/surveys/${f.surveyId}/data`);
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("intent", "upload");
    form.set("collectedOn", "2026-05-20");
    form.set("community", other.hodan);
    form.set("file", new Blob([csv], { type: "text/csv" }), "paper.csv");
    const reply = await web.request(`/surveys/${f.surveyId}/data`, { method: "POST", body: form });
    expect(reply.status).toBe(400);
    expect(reply.text).toContain("Community (rows without one): choose one of this programme&#x27;s communities.");
    expect(await count(f.surveyId)).toBe(0);
    expect(await t.db.selectFrom("import_jobs").select("id").where("survey_id", "=", f.surveyId).execute()).toHaveLength(0);

    // The programme's own choices import.
    const report = await runImport(t.db, { ...input, defaultCommunityId: f.hodan, defaultRoundId: f.followUp });
    expect(report).toMatchObject({ valid: 1, invalid: 0 });
    expect((await exported(f)).map((r) => [r.community, r.round])).toEqual([["Hodan", "Follow-up"]]);
  });
});

describeEachDatabase("the repair migration 0009", (dialect) => {
  let db: Db;
  let drop: () => Promise<void>;
  let server: RunningServer;

  beforeAll(async () => {
    // A database as it was before: migrated to 0008 only.
    const name = `t_0009_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
    if (dialect === "sqlite") {
      fs.mkdirSync(TMP_DIR, { recursive: true });
      const file = path.join(TMP_DIR, `${name}.sqlite`);
      db = openSqlite(file);
      drop = async () => {
        await db.close().catch(() => {});
        for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
      };
    } else {
      const admin = async (text: string) => {
        const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await client.connect();
        await client.query(text).finally(() => client.end());
      };
      await admin(`CREATE DATABASE ${name}`);
      const u = new URL(TEST_DATABASE_URL!);
      u.pathname = `/${name}`;
      db = openPostgres(u.toString(), 4);
      drop = async () => {
        await db.close().catch(() => {});
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      };
    }
    await migrateUpTo(db.db, dialect, "0008_sparse_response_indexes");
  });
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  it("gives stored responses their session's community and round, then their figures, and lets the tablet's record replace bare sessions", async () => {
    const d = db.db;
    // The rows of the tables as 0008 knew them, written as the old code wrote them.
    const facilitator = await aUser(d, "Old Facilitator");
    const programme = await aProgramme(d, "Old Programme", [{ userId: facilitator.id, role: "facilitator" }]);
    const now = new Date().toISOString();
    const hodan = await createCommunity(d, { programmeId: programme.id, name: "Hodan", region: "Banadir" });
    const followUp = await createRound(d, { programmeId: programme.id, name: "Follow-up", kind: "custom", startsOn: "2026-10-01", endsOn: "2026-12-31" });
    const definition = structuredClone(getTemplate("sdg16_core")!.definition);
    const surveyId = await createSurvey(d, { programmeId: programme.id, definition, createdBy: facilitator.id });
    // Version 1 as 0008 knew it: written directly, as today's publishDraft also freezes recorded voices (0021).
    await d.insertInto("survey_versions").values({ survey_id: surveyId, version: 1, definition: JSON.stringify(definition), published_by: facilitator.id, published_at: now }).execute();
    await d.updateTable("surveys").set({ latest_version: 1, draft_definition: null, draft_updated_at: null, draft_updated_by: null }).where("id", "=", surveyId).execute();
    // Links as 0008 knew them (no short code, no quota columns): written directly, not by today's createLink.
    const oldLink = async (label: string, communityId: string | null) => {
      const link = { id: randomUUID(), token: randomBytes(18).toString("base64url") };
      await d
        .insertInto("collection_links")
        .values({ id: link.id, survey_id: surveyId, token: link.token, mode: "kiosk", label, community_id: communityId, round_id: null, expires_at: null, revoked_at: null, max_responses: null, kiosk_pin: null, created_by: facilitator.id, created_at: "2026-01-01T00:00:00.000Z" } as never)
        .execute();
      return link;
    };
    const tablet = await oldLink("Tablet", null);
    const bound = await oldLink("Village tablet", programme.communityId);
    const session = (id: string, linkId: string, communityId: string | null, roundId: string | null, updatedAt: string) =>
      d.insertInto("fg_sessions").values({ id, link_id: linkId, survey_id: surveyId, community_id: communityId, round_id: roundId, held_on: "2026-05-20", group_description: "women", participant_count: 6, notes: "", created_at: now, updated_at: updatedAt }).execute();
    const s1 = randomUUID();
    const s2 = randomUUID();
    const bare = randomUUID();
    await session(s1, tablet.id, hodan, followUp, "2026-05-20T09:00:00.000Z");
    await session(s2, bound.id, programme.communityId, followUp, "2026-05-20T09:00:00.000Z");
    await d.insertInto("fg_sessions").values({ id: bare, link_id: tablet.id, survey_id: surveyId, community_id: null, round_id: null, held_on: "2026-05-20", group_description: "", participant_count: null, notes: "", created_at: now, updated_at: now }).execute();
    // Responses stored with the link's place only (the broken shape), folded into the figures as they were.
    const responses = [
      ...SIX.map((code) => ({ session: s1, linkId: tablet.id, community: null, code })),
      ...SIX.map((code) => ({ session: s2, linkId: bound.id, community: programme.communityId, code })),
      ...SIX.map((code) => ({ session: bare, linkId: tablet.id, community: null, code })),
    ];
    for (const r of responses) {
      const answers = sdg16Answers({ safe_after_dark: r.code });
      await d
        .insertInto("responses")
        .values({ id: randomUUID(), survey_id: surveyId, survey_version: 1, link_id: r.linkId, session_id: r.session, community_id: r.community, round_id: null, language: "en", collected_at: "2026-05-20T10:00:00.000Z", submitted_at: now, content_hash: randomUUID(), answers: JSON.stringify(answers), source: "api", excluded_at: null, excluded_reason: null, excluded_by: null, aggregated: 0 } as never)
        .execute();
    }
    // Folded as the old code folded them (it had no aggregate stamps yet): the cells, written as they are.
    const acc = await recomputeAggregates(d, surveyId);
    for (const t of AGGREGATE_TABLES) {
      const cells = t.rows(acc) as object[];
      for (let i = 0; i < cells.length; i += 200) await (d as any).insertInto(t.table).values(cells.slice(i, i + 200)).execute();
    }
    await d.updateTable("responses").set({ aggregated: 1 }).where("survey_id", "=", surveyId).execute();
    const before = await aggregatesOf(d, surveyId);

    await migrateToLatest(d, dialect);
    const rows = await d.selectFrom("responses").select(["session_id", "community_id", "round_id"]).where("survey_id", "=", surveyId).execute();
    const placeOf = (s: string) => rows.filter((r) => r.session_id === s).map((r) => [r.community_id, r.round_id]);
    expect(placeOf(s1)).toEqual(Array(6).fill([hodan, followUp]));
    expect(placeOf(s2)).toEqual(Array(6).fill([programme.communityId, followUp]));
    expect(placeOf(bare)).toEqual(Array(6).fill([null, null]));
    expect(await d.selectFrom("aggregate_rebuilds").select("survey_id").execute()).toEqual([{ survey_id: surveyId }]);
    // The figures are not rebuilt inside the migration: the start-up step does it.
    expect(await aggregatesOf(d, surveyId)).toEqual(before);
    expect(await runRecordedRebuilds(d)).toEqual([surveyId]);
    expect(await d.selectFrom("aggregate_rebuilds").select("survey_id").execute()).toEqual([]);
    expect(await runRecordedRebuilds(d)).toEqual([]);
    await expectFiguresWhole(d, surveyId);

    // What people see: the export and the dashboards' series.
    server = await startServer(db);
    const token = (await createApiToken(d, facilitator.id, "analysis", { scopes: ["aggregates", "raw"] })).token;
    const csv = Papa.parse<Record<string, string>>(await (await fetch(`${server.url}/api/v1/surveys/${surveyId}/responses.csv`, { headers: { Authorization: `Bearer ${token}` } })).text(), { header: true, skipEmptyLines: true }).data;
    const exportedPlace = (s: string) => csv.filter((r) => r.session_id === s).map((r) => [r.community, r.round]);
    expect(exportedPlace(s1)).toEqual(Array(6).fill(["Hodan", "Follow-up"]));
    expect(exportedPlace(s2)).toEqual(Array(6).fill(["Old Programme village", "Follow-up"]));
    const res = await fetch(`${server.url}/api/v1/surveys/${surveyId}/indicators/${INDICATOR}/series?period=round&by=community`, { headers: { Authorization: `Bearer ${token}` } });
    const points = ((await res.json()).points as { period: string; group: { community: string }; n: number }[]).filter((p) => p.n !== 0);
    expect(points).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ period: followUp, group: { community: hodan }, n: 6 }),
        expect.objectContaining({ period: followUp, group: { community: programme.communityId }, n: 6 }),
        expect.objectContaining({ period: "", group: { community: "" }, n: 6 }),
      ]),
    );
    expect(points).toHaveLength(3);

    // The bare session, stamped with the time it was made before 0009, now takes the tablet's record.
    const link = (await resolveLink(d, tablet.token))!;
    await upsertSessions(d, link, [{ id: bare, communityId: hodan, roundId: followUp, heldOn: "2026-05-20", groupDescription: "men", notes: "", updatedAt: "2026-05-20T08:00:00.000Z" }], []);
    const moved = await d.selectFrom("responses").select(["community_id", "round_id"]).where("session_id", "=", bare).execute();
    expect(moved).toEqual(Array(6).fill({ community_id: hodan, round_id: followUp }));
    await expectFiguresWhole(d, surveyId);
  });
});
