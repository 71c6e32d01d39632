// The public sync API over real HTTP, on each database: every status and whole-request error.
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { aPublishedSurvey, sdg16Answers } from "../support/fixtures";
import { publishDraft, saveDraft, setSurveyStatus } from "../../app/models/surveys.server";
import { revokeLink } from "../../app/models/collection-links.server";
import { validateAnswers } from "../../app/survey";

const response = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  surveyVersion: 1,
  collectedAt: "2026-11-20T10:15:00.000Z",
  language: "en",
  answers: sdg16Answers(),
  ...over,
});

describeEachDatabase("the sync API", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let fixture: Awaited<ReturnType<typeof aPublishedSurvey>>;
  const post = (token: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/links/${token}/responses`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const count = async (surveyId: string) =>
    Number((await t.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("survey_id", "=", surveyId).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    fixture = await aPublishedSurvey(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it("created, then duplicate on a retry, conflict on changed content, in input order", async () => {
    const token = fixture.link.token;
    const a = response();
    const b = response({ language: "ar" });
    const first = await post(token, { responses: [a, b] });
    expect(first.status).toBe(200);
    expect((await first.json()).results).toEqual([
      { id: a.id, status: "created" },
      { id: b.id, status: "created" },
    ]);
    const before = await count(fixture.surveyId);
    const retry = await (await post(token, { responses: [b, a] })).json();
    expect(retry.results.map((r: { status: string }) => r.status)).toEqual(["duplicate", "duplicate"]);
    const changed = { ...a, answers: sdg16Answers({ safe_after_dark: "4" }) };
    const conflict = await (await post(token, { responses: [changed] })).json();
    expect(conflict.results[0]).toMatchObject({ id: a.id, status: "conflict" });
    expect(await count(fixture.surveyId)).toBe(before);
    const stored = await t.db.selectFrom("responses").selectAll().where("id", "=", a.id).executeTakeFirstOrThrow();
    expect(JSON.parse(stored.answers).safe_after_dark).toBe("2"); // not overwritten
    expect(stored.community_id).toBe(fixture.programme.communityId);
    expect(stored.round_id).toBe(fixture.roundId);
  });

  it("rejects what the survey core rejects, naming the path, and stores nothing of it", async () => {
    const token = fixture.link.token;
    const cases: [string, Record<string, unknown>, string][] = [
      ["unknown question", { answers: sdg16Answers({ favourite_colour: "blue" }) }, "answers.favourite_colour"],
      ["invalid code", { answers: sdg16Answers({ safe_after_dark: "7" }) }, "answers.safe_after_dark"],
      ["missing required", { answers: sdg16Answers({ gender: undefined }) }, "answers.gender"],
      ["hidden by skip logic", { answers: sdg16Answers({ would_report_crime: "0", report_to: "police" }) }, "answers.report_to"],
      ["wrong type", { answers: sdg16Answers({ trust_police: ["3"] }) }, "answers.trust_police"],
      ["unknown version", { surveyVersion: 9 }, "surveyVersion"],
      ["unknown language", { language: "xx" }, "language"],
      ["id not a uuid", { id: "abc" }, "id"],
      ["session id not a uuid", { sessionId: "group-1" }, "sessionId"],
    ];
    const before = await count(fixture.surveyId);
    const body = { responses: cases.map(([, over]) => response(JSON.parse(JSON.stringify(over)))) };
    const res = await (await post(token, body)).json();
    expect(res.results).toHaveLength(cases.length);
    res.results.forEach((r: { status: string; errors: { path: string }[] }, i: number) => {
      expect(r.status, cases[i][0]).toBe("rejected");
      expect(r.errors.map((e) => e.path), cases[i][0]).toContain(cases[i][2]);
    });
    expect(await count(fixture.surveyId)).toBe(before);
  });

  it("agrees with validateAnswers on every answer set, error for error", async () => {
    const token = fixture.link.token;
    const sets = [
      sdg16Answers(),
      sdg16Answers({ would_report_crime: "0", report_to: undefined }),
      sdg16Answers({ age_band: undefined, disability: undefined }),
      sdg16Answers({ safe_daytime: "99", trust_courts: "" }),
      sdg16Answers({ report_to: ["police"] }),
      sdg16Answers({ intro: "1" }),
      {},
    ].map((s) => JSON.parse(JSON.stringify(s)));
    const body = { responses: sets.map((answers) => response({ answers })) };
    const res = await (await post(token, body)).json();
    sets.forEach((answers, i) => {
      const core = validateAnswers(fixture.definition, answers);
      expect(res.results[i].status).toBe(core.ok ? "created" : "rejected");
      if (!core.ok) expect(res.results[i].errors).toEqual(core.errors);
    });
    // One implementation: the checks every response goes through import the core's function, the
    // sync API and the file import both run those checks, and nothing in app/ redefines it.
    const read = (file: string) => fs.readFileSync(path.resolve(file), "utf8");
    expect(read("app/models/response-checks.ts")).toMatch(/import \{[^}]*validateAnswers[^}]*\} from "~\/survey"/);
    expect(read("app/models/responses.server.ts")).toMatch(/import \{[^}]*answerErrors[^}]*\} from "\.\/response-checks"/);
    expect(read("app/exchange/row-check.ts")).toMatch(/import \{[^}]*answerErrors[^}]*\} from "~\/models\/response-checks"/);
    const definitions = execGrep("app", /function validateAnswers\b/);
    expect(definitions).toEqual(["app/survey/validate.ts"]);
  });

  it("answers 400 for a malformed body and 413 for too many responses", async () => {
    const token = fixture.link.token;
    const bad = await post(token, "{not json");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not valid JSON/);
    const wrongShape = await post(token, { items: [] });
    expect(wrongShape.status).toBe(400);
    expect((await wrongShape.json()).error.path).toBe("responses");
    const tooMany = await post(token, { responses: Array.from({ length: 501 }, () => response()) });
    expect(tooMany.status).toBe(413);
    const big = await post(token, JSON.stringify({ responses: [], pad: "x".repeat(5 * 1024 * 1024 + 10) }));
    expect(big.status).toBe(413);
  });

  it("answers 401 for unknown, revoked and expired links, and 410 for a closed survey", async () => {
    expect((await post("no-such-token", { responses: [] })).status).toBe(401);
    const other = await aPublishedSurvey(t.db, { mode: "self" });
    await revokeLink(t.db, other.surveyId, other.link.id);
    const revoked = await post(other.link.token, { responses: [response()] });
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toMatch(/revoked/);
    const expiring = await aPublishedSurvey(t.db);
    await t.db.updateTable("collection_links").set({ expires_at: "2020-01-01T00:00:00.000Z" }).where("id", "=", expiring.link.id).execute();
    expect((await post(expiring.link.token, { responses: [response()] })).status).toBe(401);
    const closing = await aPublishedSurvey(t.db);
    await setSurveyStatus(t.db, closing.surveyId, "closed");
    const closed = await post(closing.link.token, { responses: [response()] });
    expect(closed.status).toBe(410);
    expect(await count(closing.surveyId)).toBe(0);
  });

  it("a version unknown a moment ago is accepted once it is published", async () => {
    const early = response({ surveyVersion: 2 });
    const first = await (await post(fixture.link.token, { responses: [early] })).json();
    expect(first.results[0]).toMatchObject({ status: "rejected", errors: [{ path: "surveyVersion" }] });
    await saveDraft(t.db, fixture.surveyId, fixture.definition, fixture.facilitator.id);
    expect(await publishDraft(t.db, fixture.surveyId, fixture.facilitator.id)).toEqual({ ok: true, version: 2 });
    const again = await (await post(fixture.link.token, { responses: [early] })).json();
    expect(again.results[0].status).toBe("created");
  });

  it("a capped link rejects responses beyond its limit", async () => {
    const capped = await aPublishedSurvey(t.db, { maxResponses: 2 });
    const res = await (await post(capped.link.token, { responses: [response(), response(), response()] })).json();
    expect(res.results.map((r: { status: string }) => r.status)).toEqual(["created", "created", "rejected"]);
    expect(res.results[2].errors[0].message).toMatch(/limit of 2/);
  });

  it("two tablets sending the same response at once store it once", async () => {
    const shared = response();
    const replies = await Promise.all([1, 2, 3, 4].map(() => post(fixture.link.token, { responses: [shared] }).then((r) => r.json())));
    const statuses = replies.map((r) => r.results[0].status).sort();
    expect(statuses.filter((s) => s === "created")).toHaveLength(1);
    expect(statuses.filter((s) => s === "duplicate")).toHaveLength(3);
    const rows = await t.db.selectFrom("responses").select("id").where("id", "=", shared.id).execute();
    expect(rows).toHaveLength(1);
  });

  it("sessions and refusals sync by id: refusals store no answers and count once", async () => {
    const sessionId = randomUUID();
    const refusal = { id: randomUUID(), sessionId, recordedOn: "2026-11-20" };
    const body = {
      sessions: [{ id: sessionId, heldOn: "2026-11-20", groupDescription: "women 18–35", participantCount: 12, notes: "", updatedAt: "2026-11-20T09:00:00Z" }],
      refusals: [refusal],
    };
    const url = `${server.url}/api/v1/links/${fixture.link.token}/sessions`;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    }
    const later = { ...body, sessions: [{ ...body.sessions[0], notes: "Water point was the main worry.", updatedAt: "2026-11-20T12:00:00Z" }], refusals: [] };
    await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(later) });
    const session = await t.db.selectFrom("fg_sessions").selectAll().where("id", "=", sessionId).executeTakeFirstOrThrow();
    expect(session).toMatchObject({ group_description: "women 18–35", participant_count: 12, notes: "Water point was the main worry." });
    // Not marked public: the group label is the facilitator's note. Marking it public is kept.
    expect(Number(session.group_public)).toBe(0);
    const shown = { ...later, sessions: [{ ...later.sessions[0], groupPublic: true, updatedAt: "2026-11-20T13:00:00Z" }] };
    await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(shown) });
    expect(Number((await t.db.selectFrom("fg_sessions").select("group_public").where("id", "=", sessionId).executeTakeFirstOrThrow()).group_public)).toBe(1);
    expect(session.community_id).toBe(fixture.programme.communityId);
    const refusals = await t.db.selectFrom("refusals").selectAll().where("session_id", "=", sessionId).execute();
    expect(refusals).toHaveLength(1);
    expect(Object.keys(refusals[0]).sort()).toEqual(["id", "link_id", "recorded_on", "session_id", "survey_id"]);

    const inSession = response({ sessionId });
    expect((await (await post(fixture.link.token, { responses: [inSession] })).json()).results[0].status).toBe("created");
  });

  describe("rate limiting", () => {
    it("is applied per link and address, with Retry-After", async () => {
      // The limit is generous for tablets syncing; a flood from one address is refused.
      let limited: Response | undefined;
      for (let i = 0; i < 700 && !limited; i++) {
        const res = await fetch(`${server.url}/api/v1/links/flood-${dialect}/responses`, { method: "POST", body: "{}" });
        if (res.status === 429) limited = res;
        else await res.body?.cancel();
      }
      expect(limited?.status).toBe(429);
      expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
    });
  });
});

function execGrep(dir: string, pattern: RegExp): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(entry.name) && pattern.test(fs.readFileSync(p, "utf8"))) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}
