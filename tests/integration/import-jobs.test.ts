// Imports as jobs, on each database: a job killed with SIGKILL mid-import resumes in a restarted
// server and ends with every row stored once and its figures whole; an oversized chunked upload is
// refused while it is still arriving; nobody sees, runs or discards another person's upload; a job
// that fails says so in the audit log.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Kysely } from "kysely";
import { describeEachDatabase, freshDatabase, TMP_DIR, type TestDb } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";
import { HttpClient } from "../support/http-client";
import { aUser } from "../support/fixtures";
import { aMarketSurvey, untilJob } from "../support/exchange";
import { AGGREGATE_TABLES, recomputeAggregates } from "../../app/models/aggregates.server";
import { createImportJob, sweepUndecidedJobs } from "../../app/exchange/import-jobs.server";
import { setMembership } from "../../app/models/programmes.server";
import { listAudit } from "../../app/models/audit.server";
import { createSurvey } from "../../app/models/surveys.server";
import type { Database } from "../../db/schema";

const IMPORT_DIR = path.join(TMP_DIR, "imports");

/** Every aggregate table of a survey as sorted canonical rows, stored and recomputed from the stored responses. */
async function figuresStoredAndRecomputed(db: Kysely<Database>, surveyId: string) {
  const canon = (r: object) =>
    JSON.stringify(
      Object.entries(r)
        .map(([k, v]) => [k, /^(n|excluded|missing|score_sum|score_sq|rank_points|survey_version|from_session)$/.test(k) ? Number(v) : v])
        .sort(),
    );
  const acc = await recomputeAggregates(db, surveyId);
  const stored = Object.fromEntries(
    await Promise.all(AGGREGATE_TABLES.map(async (tb) => [tb.table, ((await (db as any).selectFrom(tb.table).selectAll().where("survey_id", "=", surveyId).execute()) as object[]).map(canon).sort()])),
  );
  const fresh = Object.fromEntries(AGGREGATE_TABLES.map((tb) => [tb.table, (tb.rows(acc) as object[]).map(canon).sort()]));
  return { stored, fresh };
}

/** A paper-data CSV of `n` rows with their own ids, spread over days and answers. */
function paperCsv(n: number) {
  const genders = ["woman", "man"];
  const lines = ["response_id,collected_at,safe_market,visits,reported,gender"];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    ids.push(id);
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(`${id},2026-0${1 + (i % 9)}-${day}T10:00:00.000Z,${1 + (i % 4)},${i % 7},0,${genders[i % 2]}`);
  }
  return { text: lines.join("\n") + "\n", ids };
}

/** `npm start` as a separate process, on this database, running import jobs. */
function startServerProcess(url: string, extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "app/cli/serve.ts"], {
    env: { ...process.env, DATABASE_URL: url, PORT: "0", HOST: "127.0.0.1", IMPORT_DIR, NODE_ENV: "production", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}
const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));

describeEachDatabase("import jobs", (dialect) => {
  let t: TestDb;
  let server: RunningServer;
  const before = process.env.IMPORT_DIR;

  beforeAll(async () => {
    process.env.IMPORT_DIR = IMPORT_DIR;
    t = await freshDatabase(dialect);
    server = await startServer(t);
  });
  afterAll(async () => {
    await server?.close().catch(() => {});
    await t?.drop();
    if (before === undefined) delete process.env.IMPORT_DIR;
    else process.env.IMPORT_DIR = before;
  });

  it("refuses a chunked upload over the cap while it arrives, after at most the cap's bytes, and keeps nothing", async () => {
    const s = await aMarketSurvey(t.db);
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    const csrf = await web.csrfFrom(`/surveys/${s.surveyId}/data`);
    const cap = 2 * 1024 * 1024;
    const previous = process.env.IMPORT_MAX_BYTES;
    process.env.IMPORT_MAX_BYTES = String(cap);
    const filesBefore = fs.existsSync(IMPORT_DIR) ? fs.readdirSync(IMPORT_DIR).length : 0;
    try {
      const boundary = "----sps" + randomUUID();
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.csv"\r\nContent-Type: text/csv\r\n\r\nresponse_id,safe_market\r\n`;
      const line = Buffer.from(`${randomUUID()},2\r\n`.repeat(2000));
      const planned = 200 * 1024 * 1024;
      const url = new URL(`${server.url}/surveys/${s.surveyId}/data`);
      const result = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: {
              "Content-Type": `multipart/form-data; boundary=${boundary}`,
              "Transfer-Encoding": "chunked",
              Origin: server.url,
              Cookie: [...web.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
            },
          },
          (res) => {
            answered = true;
            const at = sent;
            let body = "";
            res.on("data", (d) => (body += d));
            res.on("end", () => {
              req.destroy();
              resolve({ status: res.statusCode!, body, sent: at });
            });
          },
        );
        req.on("error", (err) => (answered ? undefined : reject(err)));
        req.write(head);
        const pump = () => {
          while (!answered && sent < planned) {
            sent += line.length;
            if (!req.write(line)) return void req.once("drain", pump);
          }
          if (!answered) req.end();
        };
        pump();
      });
      expect(result.status).toBe(413);
      expect(result.body).toContain("The file is larger than 2 MB");
      // The answer came long before the body ended: the server stopped reading at the cap
      // (what the client had written beyond it sat in the two sockets' buffers).
      expect(result.sent).toBeLessThan(cap + 16 * 1024 * 1024);
      expect(await t.db.selectFrom("import_jobs").select("id").where("survey_id", "=", s.surveyId).execute()).toHaveLength(0);
      expect(fs.existsSync(IMPORT_DIR) ? fs.readdirSync(IMPORT_DIR).length : 0).toBe(filesBefore);
      // The server still answers.
      expect((await web.get("/healthz")).status).toBe(200);
    } finally {
      if (previous === undefined) delete process.env.IMPORT_MAX_BYTES;
      else process.env.IMPORT_MAX_BYTES = previous;
    }
  });

  it("one facilitator cannot see, run, cancel or discard another's upload", async () => {
    const s = await aMarketSurvey(t.db);
    const other = await aUser(t.db, "Other Facilitator");
    await setMembership(t.db, { programmeId: s.programme.id, userId: other.id, role: "facilitator" });
    const owner = new HttpClient(server.url);
    await owner.signIn(s.facilitator.email, s.facilitator.password);
    const csrf = await owner.csrfFrom(`/surveys/${s.surveyId}/data`);
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("collectedOn", "2026-11-19");
    form.set("file", new Blob(["safe_market;gender\n2;woman\n3;man\n"], { type: "text/csv" }), "private.csv");
    expect((await owner.request(`/surveys/${s.surveyId}/data`, { method: "POST", body: form })).status).toBe(302);
    const { id: jobId } = await t.db.selectFrom("import_jobs").select("id").where("survey_id", "=", s.surveyId).executeTakeFirstOrThrow();
    await untilJob(t.db, jobId, "checked");
    expect((await owner.get(`/surveys/${s.surveyId}/data`)).text).toContain("private.csv");
    expect((await owner.get(`/surveys/${s.surveyId}/data/jobs/${jobId}`)).status).toBe(200);

    const intruder = new HttpClient(server.url);
    await intruder.signIn(other.email, other.password);
    const page = await intruder.get(`/surveys/${s.surveyId}/data`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("private.csv");
    expect(page.text).not.toContain(jobId);
    expect((await intruder.get(`/surveys/${s.surveyId}/data/jobs/${jobId}`)).status).toBe(404);
    const page2 = `/surveys/${s.surveyId}/data`;
    expect((await intruder.submit(page2, { intent: "import", jobId })).status).toBe(410);
    expect((await intruder.submit(page2, { intent: "cancel", jobId })).status).toBe(410);
    expect((await intruder.submit(page2, { intent: "discard", jobId })).status).toBe(404);
    const after = await t.db.selectFrom("import_jobs").select(["state", "cancel_requested"]).where("id", "=", jobId).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ state: "checked", cancel_requested: 0 });
    expect(await t.db.selectFrom("responses").select("id").where("survey_id", "=", s.surveyId).execute()).toHaveLength(0);
    // The owner still decides.
    expect((await owner.submit(page2, { intent: "discard", jobId }, { csrf })).status).toBe(200);
    expect((await listAudit(t.db, { action: "import.discarded", surveyId: s.surveyId }))[0]).toMatchObject({ actorId: s.facilitator.id });
  });

  it("a cancelled import stops before its next transaction: what it stored stays, counted, and the report and audit log say so", async () => {
    const s = await aMarketSurvey(t.db);
    const { text } = paperCsv(20_000);
    fs.mkdirSync(IMPORT_DIR, { recursive: true });
    const key = randomUUID().replace(/-/g, "");
    fs.writeFileSync(path.join(IMPORT_DIR, key), text);
    const jobId = await createImportJob(t.db, {
      surveyId: s.surveyId,
      programmeId: s.programme.id,
      userId: s.facilitator.id,
      file: { key, fileName: "long.csv", bytes: text.length },
      options: { version: "", collectedOn: "", community: s.programme.communityId, round: "", mapping: {} },
    });
    await t.db.updateTable("import_jobs").set({ state: "import_queued" }).where("id", "=", jobId).execute();
    while ((await t.db.selectFrom("import_jobs").select("rows_stored").where("id", "=", jobId).executeTakeFirstOrThrow()).rows_stored === 0) await new Promise((r) => setTimeout(r, 10));
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    expect((await web.submit(`/surveys/${s.surveyId}/data`, { intent: "cancel", jobId })).status).toBe(302);
    await untilJob(t.db, jobId, "cancelled");
    const stored = (await t.db.selectFrom("responses").select("id").where("survey_id", "=", s.surveyId).execute()).length;
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(20_000);
    const job = await t.db.selectFrom("import_jobs").selectAll().where("id", "=", jobId).executeTakeFirstOrThrow();
    expect(job.rows_stored).toBe(stored);
    expect(JSON.parse(job.report!).notes.join(" ")).toContain(`the ${stored} row(s) stored before the cancel stay stored`);
    const figures = await figuresStoredAndRecomputed(t.db, s.surveyId);
    expect(figures.stored).toEqual(figures.fresh);
    expect((await listAudit(t.db, { action: "import.cancelled", surveyId: s.surveyId }))[0]).toMatchObject({ actorId: s.facilitator.id, details: { created: stored } });
    expect((await web.get(`/surveys/${s.surveyId}/data`)).text).toContain("stored before the cancel stay stored");
  });

  it("a dry run nobody decided on for a week is discarded: its file deleted, the audit log saying so", async () => {
    const s = await aMarketSurvey(t.db);
    fs.mkdirSync(IMPORT_DIR, { recursive: true });
    const key = randomUUID().replace(/-/g, "");
    fs.writeFileSync(path.join(IMPORT_DIR, key), "safe_market\n2\n");
    const jobId = await createImportJob(t.db, {
      surveyId: s.surveyId,
      programmeId: s.programme.id,
      userId: s.facilitator.id,
      file: { key, fileName: "forgotten.csv", bytes: 14 },
      options: { version: "", collectedOn: "", community: "", round: "", mapping: {} },
    });
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600_000).toISOString();
    await t.db.updateTable("import_jobs").set({ state: "checked", updated_at: eightDaysAgo }).where("id", "=", jobId).execute();
    expect(await sweepUndecidedJobs(t.db)).toBeGreaterThanOrEqual(1);
    expect((await t.db.selectFrom("import_jobs").select("state").where("id", "=", jobId).executeTakeFirstOrThrow()).state).toBe("discarded");
    expect(fs.existsSync(path.join(IMPORT_DIR, key))).toBe(false);
    expect((await listAudit(t.db, { action: "import.discarded", surveyId: s.surveyId }))[0]).toMatchObject({ target: 'file "forgotten.csv"' });
  });

  it("a job that fails leaves its audit entry, and the page says what went wrong", async () => {
    const s = await aMarketSurvey(t.db);
    // A survey not yet published: there is nothing to import into.
    const draft = await createSurvey(t.db, { programmeId: s.programme.id, definition: s.definition, createdBy: s.facilitator.id });
    const web = new HttpClient(server.url);
    await web.signIn(s.facilitator.email, s.facilitator.password);
    const csrf = await web.csrfFrom(`/surveys/${draft}/data`);
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("file", new Blob(["safe_market\n2\n"], { type: "text/csv" }), "early.csv");
    expect((await web.request(`/surveys/${draft}/data`, { method: "POST", body: form })).status).toBe(302);
    const { id: jobId } = await t.db.selectFrom("import_jobs").select("id").where("survey_id", "=", draft).executeTakeFirstOrThrow();
    await untilJob(t.db, jobId, "failed").catch(() => {});
    const job = await t.db.selectFrom("import_jobs").select(["state", "error"]).where("id", "=", jobId).executeTakeFirstOrThrow();
    expect(job.state).toBe("failed");
    expect(job.error).toContain("no published version");
    const audit = await listAudit(t.db, { action: "import.failed", surveyId: draft });
    expect(audit[0]).toMatchObject({ actorId: s.facilitator.id, target: 'file "early.csv"', details: { job: jobId, error: expect.stringContaining("no published version") } });
    expect((await web.get(`/surveys/${draft}/data`)).text).toContain("no published version");
  });
  it("a job killed with SIGKILL mid-import resumes after a restart: every row stored once, figures equal to a recomputation", async () => {
    // The server processes below must be the only ones running jobs on the database.
    await server.close();
    const s = await aMarketSurvey(t.db);
    const { text, ids } = paperCsv(6000);
    fs.mkdirSync(IMPORT_DIR, { recursive: true });
    const key = randomUUID().replace(/-/g, "");
    fs.writeFileSync(path.join(IMPORT_DIR, key), text);
    const jobId = await createImportJob(t.db, {
      surveyId: s.surveyId,
      programmeId: s.programme.id,
      userId: s.facilitator.id,
      file: { key, fileName: "paper.csv", bytes: text.length },
      options: { version: "", collectedOn: "", community: s.programme.communityId, round: "", mapping: {} },
    });
    await t.db.updateTable("import_jobs").set({ state: "import_queued" }).where("id", "=", jobId).execute();
    // Small windows and short transactions: the kill lands between windows' worth of committed batches.
    const env = { IMPORT_WINDOW: "1000", IMPORT_STORE_MS: "2" };
    const first = startServerProcess(t.url, env);
    try {
      const progress = () => t.db.selectFrom("import_jobs").select(["rows_stored", "resume_row", "state"]).where("id", "=", jobId).executeTakeFirstOrThrow();
      for (let p = await progress(); p.resume_row === 0 || p.rows_stored <= p.resume_row - 1; p = await progress()) {
        if (p.state === "done" || p.state === "failed") throw new Error(`the job ended (${p.state}) before it could be killed`);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      first.kill("SIGKILL");
      await exited(first);
    }
    const killed = await t.db.selectFrom("import_jobs").select(["state", "rows_stored", "resume_row"]).where("id", "=", jobId).executeTakeFirstOrThrow();
    expect(killed.state).toBe("importing");
    const storedAtKill = (await t.db.selectFrom("responses").select("id").where("survey_id", "=", s.surveyId).execute()).length;
    expect(storedAtKill).toBeGreaterThan(0);
    expect(storedAtKill).toBeLessThan(ids.length);
    // Whatever was committed came with its figures: never a half-counted dashboard.
    const atKill = await figuresStoredAndRecomputed(t.db, s.surveyId);
    expect(atKill.stored).toEqual(atKill.fresh);

    const second = startServerProcess(t.url);
    try {
      await untilJob(t.db, jobId, "done", 120_000);
    } finally {
      second.kill("SIGTERM");
      await exited(second);
    }
    const stored = await t.db.selectFrom("responses").select(["id", "import_ref"]).where("survey_id", "=", s.surveyId).execute();
    expect(stored.length).toBe(ids.length);
    expect(new Set(stored.map((r) => r.id))).toEqual(new Set(ids));
    const job = await t.db.selectFrom("import_jobs").selectAll().where("id", "=", jobId).executeTakeFirstOrThrow();
    const report = JSON.parse(job.report!);
    expect(report).toMatchObject({ rows: ids.length, valid: ids.length, stored: ids.length, duplicates: 0, conflicts: 0, invalid: 0 });
    expect(job.rows_stored).toBe(ids.length);
    const end = await figuresStoredAndRecomputed(t.db, s.surveyId);
    expect(end.stored).toEqual(end.fresh);
    // Every response is counted once in the headline margin: as many as were stored.
    const margin = (end.fresh.agg_indicator_margins as string[]).map((r) => JSON.parse(r) as [string, unknown][]).map((r) => Object.fromEntries(r));
    const headline = margin.filter((m) => m.dimension === "" && m.indicator_id === s.definition.indicators[0].id);
    expect(headline.reduce((sum, m) => sum + Number(m.n) + Number(m.excluded) + Number(m.missing), 0)).toBe(ids.length);
    expect((await listAudit(t.db, { action: "import.responses", surveyId: s.surveyId }))[0]).toMatchObject({ details: { job: jobId, created: ids.length } });
    expect(fs.existsSync(path.join(IMPORT_DIR, key))).toBe(false);
  }, 180_000);

});
