// Data in and out, on each database over real HTTP: raw exports and who may take them, imports of
// the files people really upload (with a dry run), exclusions, the audit log.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { describeEachDatabase, freshDatabase, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aPublishedSurvey, aUser, sdg16Answers } from "../support/fixtures";
import { aMarketSurvey, marketAnswers, marketSurvey, storeResponses } from "../support/exchange";
import { createApiToken } from "../../app/models/api-tokens.server";
import { createSurvey, getVersion, publishDraft } from "../../app/models/surveys.server";
import { runImport, type ImportReport } from "../../app/exchange/import.server";
import { decodeUpload } from "../../app/exchange/decode";
import { importDir } from "../../app/exchange/uploads.server";
import { untilJob } from "../support/exchange";
import { listAudit } from "../../app/models/audit.server";
import { summarise, type Answers, type SurveyDefinition } from "../../app/survey";
import { apiSeries } from "../../app/dashboard/api.server";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";

const parse = (text: string) => Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: true }).data;

async function storedAnswers(db: Kysely<Database>, surveyId: string): Promise<Answers[]> {
  const rows = await db.selectFrom("responses").select("answers").where("survey_id", "=", surveyId).where("excluded_at", "is", null).execute();
  return rows.map((r) => JSON.parse(r.answers));
}
async function figures(db: Kysely<Database>, surveyId: string, def: SurveyDefinition) {
  const answers = await storedAnswers(db, surveyId);
  return Object.fromEntries(def.indicators.map((ind) => [ind.id, summarise(def, ind, answers)]));
}
const countOf = async (db: Kysely<Database>, surveyId: string) =>
  Number((await db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("survey_id", "=", surveyId).executeTakeFirstOrThrow()).n);

async function importText(
  db: Kysely<Database>,
  s: { surveyId: string; programme: { id: string } },
  fileName: string,
  content: string | Uint8Array,
  options: Partial<Parameters<typeof runImport>[1]> = {},
): Promise<ImportReport> {
  const decoded = decodeUpload(typeof content === "string" ? new TextEncoder().encode(content) : content);
  return runImport(db, { surveyId: s.surveyId, programmeId: s.programme.id, fileName, ...decoded, commit: false, ...options });
}

describeEachDatabase("data in and out", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  let s: Awaited<ReturnType<typeof aMarketSurvey>>;

  beforeAll(async () => {
    t = await freshDatabase(dialect);
    server = await startServer(t);
    s = await aMarketSurvey(t.db);
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  describe("export", () => {
    it("gives stable columns, 0/1 columns per option (q/code), one column per rank, codes or labels, and leaves excluded responses out", async () => {
      const [a, b, gone] = await storeResponses(t.db, { surveyId: s.surveyId, communityId: s.programme.communityId, roundId: s.roundId }, [
        marketAnswers(),
        marketAnswers({ reported: "1", reported_to: "police", threats: ["harassment"], top_threats: ["harassment"], gender: "man", visits: 0 }),
        marketAnswers({ safe_market: "4" }),
      ]);
      await t.db.updateTable("responses").set({ excluded_at: new Date().toISOString(), excluded_reason: "Test run", excluded_by: s.facilitator.id }).where("id", "=", gone).execute();
      const web = new HttpClient(server.url);
      await web.signIn(s.facilitator.email, s.facilitator.password);
      const res = await web.get(`/api/v1/surveys/${s.surveyId}/responses.csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/csv/);
      const rows = parse(res.text);
      expect(rows[0]).toEqual([
        "response_id", "survey_version", "collected_at", "submitted_at", "community", "round", "session_id", "language", "device", "facilitator",
        "safe_market", "threats/theft", "threats/harassment", "threats/gangs", "top_threats_1", "top_threats_2", "visits", "reported", "reported_to", "comment", "gender",
      ]);
      const byId = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(rows[0].map((h, i) => [h, r[i]]))]));
      expect(byId.has(gone)).toBe(false);
      expect(byId.get(a)).toMatchObject({ safe_market: "2", "threats/theft": "1", "threats/harassment": "0", "threats/gangs": "1", top_threats_1: "gangs", top_threats_2: "theft", visits: "4", reported_to: "", survey_version: "1", language: "en" });
      expect(byId.get(a)!.community).toBe("Data Programme village");
      expect(byId.get(b)).toMatchObject({ reported: "1", reported_to: "police", "threats/harassment": "1", top_threats_2: "", visits: "0" });

      const fr = parse((await web.get(`/api/v1/surveys/${s.surveyId}/responses.csv?labels=fr&bom=1`)).text);
      const frRow = fr.find((r) => r[0] === b)!;
      expect(frRow[fr[0].indexOf("safe_market")]).toBe("Sûr");
      expect(frRow[fr[0].indexOf("reported_to")]).toBe("La police");
      expect(frRow[fr[0].indexOf("top_threats_1")]).toBe("Harcèlement");
      expect(frRow[fr[0].indexOf("threats/harassment")]).toBe("1");

      const raw = await fetch(`${server.url}/api/v1/surveys/${s.surveyId}/responses.csv?bom=1`, { headers: { Cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
      const bytes = new Uint8Array(await raw.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

      const audit = await listAudit(t.db, { action: "export.responses", surveyId: s.surveyId });
      expect(audit).toHaveLength(3);
      expect(audit[0]).toMatchObject({ actorId: s.facilitator.id, details: { bom: true } });
    });

    it("neutralises every cell a spreadsheet would run as a formula", async () => {
      const nasty = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-3+4", "@SUM(A1:A9)", "\tTabbed", "\rReturn", "=1+1\nsecond line"];
      const ids = await storeResponses(t.db, { surveyId: s.surveyId, communityId: null, roundId: null }, nasty.map((comment) => marketAnswers({ comment })));
      const web = new HttpClient(server.url);
      await web.signIn(s.facilitator.email, s.facilitator.password);
      const rows = parse((await web.get(`/api/v1/surveys/${s.surveyId}/responses.csv`)).text);
      const col = rows[0].indexOf("comment");
      for (const [i, id] of ids.entries()) {
        const cell = rows.find((r) => r[0] === id)![col];
        expect(cell, JSON.stringify(nasty[i])).toBe(`'${nasty[i]}`);
      }
      // Numbers stay numbers: a count of 0 is not a formula.
      expect(rows.find((r) => r[0] === ids[0])![rows[0].indexOf("visits")]).toBe("4");
    });

    it("refuses raw responses to a manager on the page and through the API, and records nothing for them", async () => {
      const before = (await listAudit(t.db, { action: "export.responses" })).length;
      const web = new HttpClient(server.url);
      await web.signIn(s.manager.email, s.manager.password);
      expect((await web.get(`/surveys/${s.surveyId}/data`)).status).toBe(403);
      const api = await web.get(`/api/v1/surveys/${s.surveyId}/responses.csv`);
      expect(api.status).toBe(403);
      expect(api.json().error.message).toMatch(/facilitators and administrators/);
      const { token } = await createApiToken(t.db, s.manager.id, "analysis", { scopes: ["aggregates", "raw"] });
      expect((await fetch(`${server.url}/api/v1/surveys/${s.surveyId}/responses.csv`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(403);
      const stranger = await aUser(t.db, "Stranger");
      const other = await createApiToken(t.db, stranger.id, "x", { scopes: ["raw"] });
      expect((await fetch(`${server.url}/api/v1/surveys/${s.surveyId}/responses.csv`, { headers: { Authorization: `Bearer ${other.token}` } })).status).toBe(404);
      expect((await fetch(`${server.url}/api/v1/surveys/${s.surveyId}/responses.csv`)).status).toBe(401);
      expect((await listAudit(t.db, { action: "export.responses" })).length).toBe(before);
      // The facilitator's API token works, and is audited.
      const own = await createApiToken(t.db, s.facilitator.id, "R script", { scopes: ["raw"] });
      const ok = await fetch(`${server.url}/api/v1/surveys/${s.surveyId}/responses.csv`, { headers: { Authorization: `Bearer ${own.token}` } });
      expect(ok.status).toBe(200);
      await ok.text();
      expect((await listAudit(t.db, { action: "export.responses" })).length).toBe(before + 1);
    });

    it("writes a codebook with every language, code and version, as JSON and CSV", async () => {
      const web = new HttpClient(server.url);
      await web.signIn(s.manager.email, s.manager.password);
      const book = (await web.get(`/api/v1/surveys/${s.surveyId}/codebook.json`)).json();
      const threats = book.questions.find((q: { id: string }) => q.id === "threats");
      expect(threats).toMatchObject({ type: "multiple", versions: [1], columns: ["threats/theft", "threats/harassment", "threats/gangs"] });
      expect(threats.label).toEqual({ en: "Which threats worry you?", fr: "Quelles menaces vous inquiètent ?" });
      expect(threats.options[1]).toEqual({ code: "harassment", label: { en: "Harassment", fr: "Harcèlement" } });
      const csv = parse((await web.get(`/api/v1/surveys/${s.surveyId}/codebook.csv`)).text);
      expect(csv[0]).toEqual(["question_id", "type", "columns", "versions", "label_en", "label_fr", "option_code", "option_label_en", "option_label_fr"]);
      expect(csv).toContainEqual(["gender", "single", "", "", "", "", "man", "Man", "Homme"]);
    });
  });

  describe("import", () => {
    let target: Awaited<ReturnType<typeof aMarketSurvey>>;
    beforeAll(async () => {
      target = await aMarketSurvey(t.db);
    });

    const header = "safe_market;threats;top_threats_1;top_threats_2;visits;reported;reported_to;comment;gender;collected_at;community";

    it("reads a BOM, semicolons, Windows line endings, quoted newlines, ragged rows and empty trailing lines", async () => {
      const community = (await t.db.selectFrom("communities").select("name").where("id", "=", target.programme.communityId).executeTakeFirstOrThrow()).name;
      const lines = [
        header,
        `2;theft gangs;gangs;theft;4;0;;"two\r\nlines; with a semicolon";woman;2026-11-20;${community}`,
        `Very unsafe;harassment;;;1;Yes;The police;;Man;20/11/2026`, // ragged: no community cell
        `1;;;;0;0;;;woman;2026-11-21 08:30;${community};surplus`,
        "",
        ";;;;;;;;;;",
        "",
      ];
      const report = await importText(t.db, target, "paper.csv", "\uFEFF" + lines.join("\r\n") + "\r\n\r\n");
      expect(report.bom).toBe(true);
      expect(report.rows).toBe(3);
      expect(report.valid).toBe(3);
      expect(report.invalid).toBe(0);
      expect(report.problems).toEqual([expect.objectContaining({ row: 4, reason: "extra cells" })]);
      expect(report.columns.every((c) => c.target !== null)).toBe(true);
      expect(await countOf(t.db, target.surveyId)).toBe(0); // a dry run stores nothing
    });

    it("reports each problem with its row, column and reason, then imports only the valid rows", async () => {
      const csv = [
        "response_id\tsafe_market\treported\treported_to\tgender\tvisits\tcollected_at",
        "paper-1\t2\t0\t\twoman\t3\t2026-11-20", // fine
        "paper-2\t7\t0\t\twoman\t3\t2026-11-20", // unknown option
        "paper-3\t2\t0\t\t\t3\t2026-11-20", // missing required
        "paper-4\t2\t0\tpolice\twoman\t3\t2026-11-20", // hidden by skip logic
        "paper-5\t2\t0\t\twoman\t3\t31/02/2026", // bad date
        "paper-6\t2\t0\t\twoman\tmany\t2026-11-20", // wrong type
        "paper-7\tVery safe\tNo\t\tFemme\t2\t2026-11-20", // labels, English and French
      ].join("\n");
      const dry = await importText(t.db, target, "tabs.tsv", csv);
      const reasons = dry.problems.map((p) => [p.row, p.column, p.reason]);
      expect(reasons).toEqual([
        [3, "safe_market", "unknown option"],
        [4, "gender", "missing required answer"],
        [5, "reported_to", "hidden by skip logic"],
        [6, "collected_at", "bad date"],
        [7, "visits", "wrong type"],
      ]);
      expect(dry).toMatchObject({ rows: 7, valid: 2, invalid: 5 });
      const done = await importText(t.db, target, "tabs.tsv", csv, { commit: true });
      expect(done).toMatchObject({ valid: 2, invalid: 5, committed: true });
      const stored = await t.db.selectFrom("responses").selectAll().where("survey_id", "=", target.surveyId).where("source", "=", "import").execute();
      expect(stored.map((r) => JSON.parse(r.answers).safe_market).sort()).toEqual(["1", "2"]);
      // Re-importing the same file adds nothing.
      const again = await importText(t.db, target, "tabs.tsv", csv, { commit: true });
      expect(again).toMatchObject({ valid: 0, duplicates: 2 });
      expect(await countOf(t.db, target.surveyId)).toBe(2);
    });

    it("stores rows with their dashboard figures at once, once each, even when the same file is imported twice at the same moment", async () => {
      const own = await aMarketSurvey(t.db);
      const head = "response_id,safe_market,reported,gender,visits,collected_at";
      const body = Array.from({ length: 1500 }, (_, i) => `row-${i},${(i % 4) + 1},0,${["woman", "man"][i % 2]},${i % 5},2026-${String((i % 3) + 9).padStart(2, "0")}-15`);
      // A repeated row is a duplicate; the same id with other answers is a conflict: only the first counts.
      const csv = [head, ...body, body[7], "row-8,4,0,man,1,2026-09-15"].join("\n");
      const dry = await importText(t.db, own, "twice.csv", csv);
      expect(dry).toMatchObject({ rows: 1502, valid: 1500, duplicates: 1, conflicts: 1 });
      expect(dry.problems).toEqual([expect.objectContaining({ row: 1503, reason: "conflict" })]);

      const [a, b] = await Promise.all([
        importText(t.db, own, "twice.csv", csv, { commit: true, defaultCommunityId: own.lakeside, defaultRoundId: own.roundId }),
        importText(t.db, own, "twice.csv", csv, { commit: true, defaultCommunityId: own.lakeside, defaultRoundId: own.roundId }),
      ]);
      expect(a.valid + b.valid).toBe(1500);
      expect(a.duplicates + b.duplicates).toBe(1500 + 2);
      expect(await countOf(t.db, own.surveyId)).toBe(1500);
      // Nothing waits for a later fold: the figures came in with the rows, each row counted once.
      const pending = await t.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("survey_id", "=", own.surveyId).where("aggregated", "=", 0).executeTakeFirstOrThrow();
      expect(Number(pending.n)).toBe(0);
      const def = own.definition;
      const total = await t.db
        .selectFrom("agg_indicator_margins")
        .select((eb) => eb.fn.sum<number>(sql<number>`n + excluded + missing`).as("n"))
        .where("survey_id", "=", own.surveyId)
        .where("dimension", "=", "")
        .where("indicator_id", "=", def.indicators[0].id)
        .executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(1500);
      const expected = Object.entries(await figures(t.db, own.surveyId, def)).map(([id, f]) => [id, { n: f.n, sum: f.sum, sumSquares: f.sumSquares, missing: f.missing }]);
      expect(await figuresFromDashboards(own.surveyId)).toEqual(Object.fromEntries(expected));
    });

    /** The dashboards' headline sums, read from their aggregates, in the shape `figures` gives. */
    async function figuresFromDashboards(surveyId: string) {
      const rows = await t.db
        .selectFrom("agg_indicator_margins")
        .select(["indicator_id", (eb) => eb.fn.sum<number>("n").as("n"), (eb) => eb.fn.sum<number>("score_sum").as("sum"), (eb) => eb.fn.sum<number>("score_sq").as("sq"), (eb) => eb.fn.sum<number>("missing").as("missing")])
        .where("survey_id", "=", surveyId)
        .where("dimension", "=", "")
        .groupBy("indicator_id")
        .execute();
      return Object.fromEntries(rows.map((r) => [r.indicator_id, { n: Number(r.n), sum: Number(r.sum), sumSquares: Number(r.sq), missing: Number(r.missing) }]));
    }

    it("detects a Latin-1 (windows-1252) file, converts it and says so", async () => {
      const text = "safe_market,reported,gender,comment,collected_at\r\n2,0,woman,Très sûr près du café,2026-11-20\r\n";
      const bytes = Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
      const report = await importText(t.db, target, "latin1.csv", bytes, { commit: true });
      expect(report.encoding).toBe("windows-1252");
      expect(report.notes.join(" ")).toMatch(/not valid UTF-8.*Windows-1252/);
      expect(report.valid).toBe(1);
      const row = await t.db.selectFrom("responses").select("answers").where("survey_id", "=", target.surveyId).orderBy("submitted_at", "desc").executeTakeFirstOrThrow();
      expect(JSON.parse(row.answers).comment).toBe("Très sûr près du café");
    });

    it("maps a KoboToolbox export (group paths, _uuid, _submission_time, labels) without manual work", async () => {
      const uuid = randomUUID();
      const csv = [
        ["start", "end", "market/safe_market", "market/threats", "market/threats/theft", "market/threats/harassment", "market/threats/gangs", "How many times did you go to the market last month?", "reported", "about/What is your gender?", "_id", "_uuid", "_submission_time", "_index", "_validation_status"],
        ["2026-11-20T09:00:00.000+03:00", "2026-11-20T09:07:00.000+03:00", "Safe", "theft gangs", "1", "0", "1", "5", "No", "Woman", "123", uuid, "2026-11-21T10:00:00", "1", ""],
        ["2026-11-20T09:10:00.000+03:00", "2026-11-20T09:15:00.000+03:00", "Very unsafe", "harassment", "0", "1", "0", "", "No", "Man", "124", randomUUID(), "2026-11-21T10:00:01", "2", ""],
      ].map((r) => r.map((c) => `"${c}"`).join(",")).join("\n");
      const report = await importText(t.db, target, "kobo.csv", csv, { commit: true });
      expect(report.columns.filter((c) => c.target === null)).toEqual([]);
      expect(report).toMatchObject({ valid: 2, invalid: 0 });
      const stored = await t.db.selectFrom("responses").selectAll().where("id", "=", uuid).executeTakeFirstOrThrow();
      expect(JSON.parse(stored.answers)).toEqual({ safe_market: "2", threats: ["theft", "gangs"], visits: 5, reported: "0", gender: "woman" });
      expect(stored.collected_at).toBe("2026-11-20T06:07:00.000Z");
    });

    it("takes a tablet's saved queue file through the same path", async () => {
      const r = (answers: Record<string, unknown>) => ({ id: randomUUID(), surveyVersion: 1, collectedAt: "2026-11-20T10:00:00Z", language: "fr", sessionId: null, answers });
      const body = { responses: [r(marketAnswers()), r(marketAnswers({ safe_market: "8" }))], sessions: [{ id: randomUUID() }], refusals: [] };
      const report = await importText(t.db, target, "queue.json", JSON.stringify(body), { commit: true });
      expect(report).toMatchObject({ format: "queue", rows: 2, valid: 1, invalid: 1 });
      expect(report.problems[0]).toMatchObject({ row: 2, column: "answers.safe_market", reason: "unknown option" });
      const again = await importText(t.db, target, "queue.json", JSON.stringify(body), { commit: true });
      expect(again).toMatchObject({ valid: 0, duplicates: 1 });
    });

    it("works through the page: upload, dry run, hand mapping, import, audit", async () => {
      const own = await aMarketSurvey(t.db);
      const web = new HttpClient(server.url);
      await web.signIn(own.facilitator.email, own.facilitator.password);
      const csrf = await web.csrfFrom(`/surveys/${own.surveyId}/data`);
      const form = new FormData();
      form.set("csrf", csrf);
      form.set("intent", "upload");
      form.set("collectedOn", "2026-11-19");
      form.set("file", new Blob(["Q1 market;Sex;reported\n2;woman;0\n3;man;0\n"], { type: "text/csv" }), "paper.csv");
      const uploaded = await web.request(`/surveys/${own.surveyId}/data`, { method: "POST", body: form });
      expect(uploaded.status).toBe(302);
      // The dry run is the job's first step; the page shows its report once it has run.
      const job = await t.db.selectFrom("import_jobs").select(["id", "file_key"]).where("survey_id", "=", own.surveyId).executeTakeFirstOrThrow();
      await untilJob(t.db, job.id, "checked");
      const dry = await web.get(`/surveys/${own.surveyId}/data`);
      expect(dry.text).toContain("Dry run of");
      expect(dry.text).toMatch(/column\(s\) match no question/);
      expect(dry.text).toContain(`name="jobId" value="${job.id}"`);
      const imported = await web.submit(
        `/surveys/${own.surveyId}/data`,
        { intent: "import", jobId: job.id, collectedOn: "2026-11-19", "map.0": "q:safe_market", "map.1": "q:gender" },
        { csrf },
      );
      expect(imported.status).toBe(302);
      await untilJob(t.db, job.id, "done");
      expect((await web.get(`/surveys/${own.surveyId}/data`)).text).toContain("Imported");
      expect(await countOf(t.db, own.surveyId)).toBe(2);
      const audit = await listAudit(t.db, { action: "import.responses", surveyId: own.surveyId });
      expect(audit[0]).toMatchObject({ actorId: own.facilitator.id, details: { created: 2 } });
      // The uploaded file is gone once imported.
      expect(fs.existsSync(path.join(importDir(), job.file_key))).toBe(false);
    });
  });

  describe("round trip", () => {
    it("export, import into a copy of the survey: the same indicator figures", async () => {
      const src = await aPublishedSurvey(t.db);
      const rnd = (n: number, k: number) => ((n * 7919 + k * 104729) % 1000) / 1000;
      const answers = Array.from({ length: 120 }, (_, n) => {
        const pick = (codes: string[], k: number) => codes[Math.floor(rnd(n, k) * codes.length)];
        const report = pick(["1", "0"], 5);
        return JSON.parse(
          JSON.stringify(
            sdg16Answers({
              safe_after_dark: pick(["1", "2", "3", "4", "5", "99"], 1),
              safe_daytime: pick(["1", "2", "3", "4"], 2),
              trust_police: pick(["1", "2", "3", "4", "99"], 3),
              trust_courts: pick(["1", "2", "3", "4"], 4),
              would_report_crime: report,
              report_to: report === "1" ? pick(["police", "community_leader", "no_one"], 6) : undefined,
              gender: pick(["woman", "man", "other"], 7),
              age_band: n % 9 === 0 ? undefined : pick(["18_24", "25_34", "35_49"], 8),
            }),
          ),
        );
      });
      await storeResponses(t.db, { surveyId: src.surveyId, communityId: src.programme.communityId, roundId: src.roundId }, answers);
      const web = new HttpClient(server.url);
      await web.signIn(src.facilitator.email, src.facilitator.password);
      const csv = (await web.get(`/api/v1/surveys/${src.surveyId}/responses.csv?bom=1`)).text;

      const copyId = await createSurvey(t.db, { programmeId: src.programme.id, definition: structuredClone(src.definition), createdBy: src.facilitator.id });
      expect((await publishDraft(t.db, copyId, src.facilitator.id)).ok).toBe(true);
      const report = await runImport(t.db, { surveyId: copyId, programmeId: src.programme.id, fileName: "export.csv", ...decodeUpload(new TextEncoder().encode(csv)), commit: true });
      expect(report).toMatchObject({ rows: 120, valid: 120, invalid: 0 });
      const def = (await getVersion(t.db, src.surveyId, 1))!;
      expect(await figures(t.db, copyId, def)).toEqual(await figures(t.db, src.surveyId, def));
      // The dashboards' own series (from their aggregates) agree too, overall and by gender.
      for (const indicator of def.indicators) {
        for (const by of ["", "gender"]) {
          const params = new URLSearchParams(by ? { by } : {});
          const a = await apiSeries(t.db, src.facilitator.viewer, src.surveyId, indicator.id, params);
          const b = await apiSeries(t.db, src.facilitator.viewer, copyId, indicator.id, params);
          expect(a!.points.length).toBeGreaterThan(0);
          expect(b!.points, `${indicator.id} by ${by || "total"}`).toEqual(a!.points);
        }
      }
      const copied = await t.db.selectFrom("responses").select(["community_id", "round_id"]).where("survey_id", "=", copyId).execute();
      expect(copied.every((r) => r.community_id === src.programme.communityId && r.round_id === src.roundId)).toBe(true);
    });
  });

  describe("exclusions", () => {
    it("a facilitator excludes a session and a response with a reason; figures and exports change, and restoring undoes it", async () => {
      const own = await aMarketSurvey(t.db);
      const sessionId = randomUUID();
      const place = { surveyId: own.surveyId, communityId: own.programme.communityId, roundId: own.roundId };
      const [single] = await storeResponses(t.db, place, [marketAnswers({ safe_market: "4" }), marketAnswers({ safe_market: "1" })]);
      await storeResponses(t.db, place, [marketAnswers({ safe_market: "3" }), marketAnswers({ safe_market: "3" }), marketAnswers({ safe_market: "4" })], { sessionId });
      const def = marketSurvey();
      const before = await figures(t.db, own.surveyId, def);
      expect(before.feel_safe_market).toMatchObject({ n: 5, sum: 1 });

      const web = new HttpClient(server.url);
      await web.signIn(own.facilitator.email, own.facilitator.password);
      const page = `/surveys/${own.surveyId}/data`;
      expect((await web.submit(page, { intent: "exclude-session", sessionId, reason: "other", note: "" })).status).toBe(400);
      const ex = await web.submit(page, { intent: "exclude-session", sessionId, reason: "test_run", note: "rehearsal" });
      expect(ex.text).toContain("3 responses left the figures");
      await web.submit(page, { intent: "exclude-response", responseId: single, reason: "duplicate", note: "" });
      expect((await figures(t.db, own.surveyId, def)).feel_safe_market).toMatchObject({ n: 1, sum: 1 });
      // The dashboards' aggregates moved in the same transaction (the dashboard hides cells this small).
      const dashboardN = async () =>
        Number((await sql<{ n: number }>`select coalesce(sum(n), 0) as n from agg_indicator_cells where survey_id = ${own.surveyId} and indicator_id = 'feel_safe_market'`.execute(t.db)).rows[0].n);
      expect(await dashboardN()).toBe(1);
      const listed = (await web.get(page)).text;
      expect(listed).toContain("Test run: rehearsal");
      expect(listed).toContain("Duplicate found later");
      const exported = parse((await web.get(`/api/v1/surveys/${own.surveyId}/responses.csv`)).text);
      expect(exported).toHaveLength(2);
      expect(await countOf(t.db, own.surveyId)).toBe(5); // still stored

      await web.submit(page, { intent: "restore-session", sessionId });
      await web.submit(page, { intent: "restore-response", responseId: single });
      expect(await figures(t.db, own.surveyId, def)).toEqual(before);
      expect(await dashboardN()).toBe(5);
      const actions = (await listAudit(t.db, { surveyId: own.surveyId })).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["exclude.session", "exclude.response", "restore.session", "restore.response"]));
      // A manager cannot exclude.
      const mgr = new HttpClient(server.url);
      await mgr.signIn(own.manager.email, own.manager.password);
      const csrf = await mgr.csrfFrom(`/surveys/${own.surveyId}`);
      expect((await mgr.submit(page, { intent: "exclude-response", responseId: single, reason: "test_run" }, { csrf })).status).toBe(403);
    });
  });

  describe("audit log", () => {
    it("administrators read it, filtered by action; nobody can change it", async () => {
      const admin = await aUser(t.db, "Audit Admin", { admin: true });
      const web = new HttpClient(server.url);
      await web.signIn(admin.email, admin.password);
      const page = await web.get("/admin/audit?action=export");
      expect(page.status).toBe(200);
      expect(page.text).toContain("export.responses");
      expect(page.text).not.toContain("import.responses</code>");
      const mgr = new HttpClient(server.url);
      await mgr.signIn(s.manager.email, s.manager.password);
      expect((await mgr.get("/admin/audit")).status).toBe(403);
      await expect(sql`UPDATE audit_log SET actor_name = 'someone else'`.execute(t.db)).rejects.toThrow(/audit log cannot be changed/);
      await expect(sql`DELETE FROM audit_log`.execute(t.db)).rejects.toThrow(/audit log cannot be changed/);
    });

    it("records publishing, memberships and tokens", async () => {
      const admin = await aUser(t.db, "Access Admin", { admin: true });
      const web = new HttpClient(server.url);
      await web.signIn(admin.email, admin.password);
      const person = await aUser(t.db, "New Member");
      await web.submit(`/programmes/${s.programme.id}`, { intent: "set-member", email: person.email, role: "manager" });
      await web.submit(`/programmes/${s.programme.id}`, { intent: "remove-member", userId: person.id });
      await web.submit("/settings", { intent: "create-token", name: "laptop", scopes: "aggregates" });
      const definition = { ...marketSurvey(), title: { en: "Market safety, second version", fr: "Sécurité au marché, deuxième version" } };
      const published = await web.submit(`/surveys/${s.surveyId}/edit`, { intent: "publish", definition: JSON.stringify(definition) }, { page: `/surveys/${s.surveyId}` });
      expect(published.status).toBe(302);
      const actions = (await listAudit(t.db, { limit: 20 })).filter((e) => e.actorId === admin.id).map((e) => e.action);
      expect(actions).toEqual(["survey.publish", "token.create", "membership.remove", "membership.set"]);
      expect((await listAudit(t.db, { action: "survey.publish" }))[0]).toMatchObject({ surveyId: s.surveyId, details: { version: 2 } });
    });
  });
});
