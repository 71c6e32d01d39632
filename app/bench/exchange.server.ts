// Data in and out at scale: a raw CSV export of BENCH_RESPONSES (default 1,000,000) responses,
// measured in a child process so its peak memory is its own; an import of BENCH_IMPORT_ROWS
// (default 100,000) CSV rows — stored with their dashboard figures — while separate processes ask
// /healthz every 20 ms and make a small write every 100 ms; an import job killed mid-way and
// resumed by a restarted server; and an import of the whole export (1,000,000 rows) in a child
// process, for its peak memory (BENCH_IMPORT_1M=0 leaves that out).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { openSqlite, ping } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import type { Dialect } from "~db/portable";
import { createUser } from "~/models/users.server";
import { createCommunity, createProgramme } from "~/models/programmes.server";
import { createRound } from "~/models/rounds.server";
import { createSurvey, publishDraft } from "~/models/surveys.server";
import { getTemplate } from "~/survey-templates.server";
import { exportResponsesCsv } from "~/exchange/export.server";
import { runImport } from "~/exchange/import.server";
import { createImportJob } from "~/exchange/import-jobs.server";
import { filePieces } from "./exchange-import.child";
import { contentHash } from "~/models/responses.server";
import type { SurveyDefinition } from "~/survey";
import { communitySecurityAnswers } from "./ingest.server";
import { round, type Bench } from "./measure";

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const here = path.dirname(fileURLToPath(import.meta.url));

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Generator = (
  db: ReturnType<typeof openSqlite>,
  dialect: Dialect,
  opts: { responses: number; rounds: number; communities: number; seed: number },
) => Promise<{ surveyId: string; programmeId: string }>;

/**
 * Loads RESPONSES responses: with the dashboards' generator when it exists (its own programme,
 * survey and aggregates), otherwise directly into the given survey. Returns where they went.
 */
export async function loadResponses(
  handle: ReturnType<typeof openSqlite>,
  survey: { id: string; programmeId: string; definition: SurveyDefinition; communityIds: string[]; roundId: string },
): Promise<{ surveyId: string; programmeId: string; generator: boolean }> {
  const generatorFile = path.join(here, "generator.server.ts");
  if (fs.existsSync(generatorFile)) {
    const mod = (await import(pathToFileURL(generatorFile).href)) as { generateResponses?: Generator };
    if (mod.generateResponses) {
      const made = await mod.generateResponses(handle, "sqlite", { responses: RESPONSES, rounds: 3, communities: 6, seed: 42 });
      return { surveyId: made.surveyId, programmeId: made.programmeId, generator: true };
    }
  }
  const rand = mulberry32(42);
  const insert = handle.sqlite!.prepare(
    `insert into responses (id, survey_id, survey_version, link_id, session_id, community_id, round_id, language, collected_at,
     submitted_at, content_hash, answers, source) values (?, ?, 1, null, null, ?, ?, 'en', ?, ?, ?, ?, 'bench')`,
  );
  const many = handle.sqlite!.transaction((n: number, offset: number) => {
    for (let i = 0; i < n; i++) {
      const answers = communitySecurityAnswers(survey.definition, rand);
      const at = new Date(Date.UTC(2026, 0, 1) + (offset + i) * 20_000).toISOString();
      const id = randomUUID();
      const hash = contentHash({ id, surveyVersion: 1, collectedAt: at, language: "en", sessionId: null, answers });
      insert.run(id, survey.id, survey.communityIds[(offset + i) % survey.communityIds.length], survey.roundId, at, at, hash, JSON.stringify(answers));
    }
  });
  for (let done = 0; done < RESPONSES; done += 20_000) many(Math.min(20_000, RESPONSES - done), done);
  return { surveyId: survey.id, programmeId: survey.programmeId, generator: false };
}

function runChild(file: string, surveyId: string, script = "exchange-export.child.ts", ...more: string[]): Promise<{ rows: number; seconds: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, script), file, surveyId, ...more], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out.trim().split("\n").pop()!)) : reject(new Error(`${script} exited with ${code}`))));
  });
}

/** A separate process asking `url` every `everyMs` ms; reports the slowest answer when told to stop. */
function startProber(url: string, everyMs = 20) {
  const script = `
    let max = 0, n = 0, stop = false;
    process.stdin.on("data", () => { stop = true; });
    (async () => {
      let errors = 0;
      while (!stop) {
        const t0 = performance.now();
        try {
          await fetch(${JSON.stringify(url)}).then((r) => r.text());
        } catch {
          errors++;
        }
        max = Math.max(max, performance.now() - t0); n++;
        await new Promise((r) => setTimeout(r, ${everyMs}));
      }
      process.stdout.write(JSON.stringify({ max, n, errors }));
      process.exit(0);
    })();`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const done = new Promise<{ max: number; n: number; errors: number }>((resolve) =>
    child.on("exit", () => resolve(out ? JSON.parse(out) : { max: NaN, n: 0, errors: -1 })),
  );
  return {
    stop() {
      child.stdin.write("stop\n");
      return done;
    },
  };
}

export async function setup(handle: ReturnType<typeof openSqlite>) {
  await migrateToLatest(handle.db, "sqlite");
  const user = await createUser(handle.db, { email: "bench@example.org", displayName: "Bench", password: "bench password 1" });
  const programmeId = await createProgramme(handle.db, { name: "Bench", country: "Kenya", description: "", minCellSize: 5 });
  const communityIds: string[] = [];
  for (let i = 0; i < 6; i++) communityIds.push(await createCommunity(handle.db, { programmeId, name: `Community ${i + 1}`, region: "" }));
  const roundId = await createRound(handle.db, { programmeId, name: "Baseline", kind: "baseline", startsOn: "2026-01-01", endsOn: "2026-12-31" });
  const definition = structuredClone(getTemplate("community_security")?.definition ?? getTemplate("sdg16_core")!.definition);
  const id = await createSurvey(handle.db, { programmeId, definition, createdBy: user.id });
  await publishDraft(handle.db, id, user.id);
  return { user, programmeId, communityIds, roundId, definition, exportSurveyId: id };
}

/** A fresh published survey in the loaded survey's programme, so names of communities and rounds match. */
async function importTarget(handle: ReturnType<typeof openSqlite>, programmeId: string, definition: SurveyDefinition, userId: string) {
  const id = await createSurvey(handle.db, { programmeId, definition: structuredClone(definition), createdBy: userId });
  const published = await publishDraft(handle.db, id, userId);
  if (!published.ok) throw new Error("the import survey did not publish");
  return id;
}

/**
 * An import job run by a real server process (`npm start`), killed with SIGKILL once it has
 * committed a window and a batch more, then a fresh server on the same file: the seconds from
 * that start to the resumed job's next stored batch.
 */
async function measureResume(
  handle: ReturnType<typeof openSqlite>,
  dbFile: string,
  dir: string,
  target: { programmeId: string; definition: SurveyDefinition; userId: string; importFile: string },
) {
  const surveyId = await importTarget(handle, target.programmeId, target.definition, target.userId);
  const importDir = path.join(dir, "imports");
  fs.mkdirSync(importDir, { recursive: true });
  const key = randomUUID().replace(/-/g, "");
  fs.copyFileSync(target.importFile, path.join(importDir, key));
  const jobId = await createImportJob(handle.db, {
    surveyId,
    programmeId: target.programmeId,
    userId: target.userId,
    file: { key, fileName: "resume.csv", bytes: fs.statSync(target.importFile).size },
    options: { version: "", collectedOn: "", community: "", round: "", mapping: {} },
  });
  await handle.db.updateTable("import_jobs").set({ state: "import_queued" }).where("id", "=", jobId).execute();
  const root = path.resolve(here, "../..");
  const serve = () =>
    spawn(process.execPath, ["--import", "tsx", path.join(root, "app/cli/serve.ts")], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${dbFile}`, PORT: "0", HOST: "127.0.0.1", IMPORT_DIR: importDir, NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  const job = () => handle.db.selectFrom("import_jobs").select(["rows_stored", "resume_row", "state", "rows_read"]).where("id", "=", jobId).executeTakeFirstOrThrow();
  const exited = (c: ReturnType<typeof spawn>) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once("exit", () => r())));
  const first = serve();
  let j = await job();
  // Half way: a window or more committed, and part of the next.
  const rows = IMPORT_ROWS;
  while (j.rows_stored < rows / 2 || j.rows_stored <= j.resume_row - 1) {
    if (j.state === "done" || j.state === "failed") throw new Error(`the resume bench's job ended (${j.state}) before it was killed`);
    await new Promise((r) => setTimeout(r, 20));
    j = await job();
  }
  first.kill("SIGKILL");
  await exited(first);
  const storedAtKill = (await job()).rows_stored;
  const t0 = performance.now();
  const second = serve();
  try {
    for (;;) {
      j = await job();
      if (j.rows_stored > storedAtKill || j.state === "done") break;
      if (j.state === "failed") throw new Error("the resumed job failed");
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - t0) / 1000;
    // Let it finish: the rest of the bench needs the database to itself.
    while ((await job()).state !== "done") await new Promise((r) => setTimeout(r, 100));
    return { seconds, rows, storedAtKill };
  } finally {
    second.kill("SIGTERM");
    await exited(second);
  }
}

export const exchangeBench: Bench = {
  name: "exchange",
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-exchange-"));
    const file = path.join(dir, "bench.sqlite");
    const handle = openSqlite(file);
    try {
      const s = await setup(handle);
      const loaded = await loadResponses(handle, { id: s.exportSurveyId, programmeId: s.programmeId, definition: s.definition, communityIds: s.communityIds, roundId: s.roundId });
      const surveyId = loaded.surveyId;
      const importSurveyId = await importTarget(handle, loaded.programmeId, s.definition, s.user.id);
      handle.sqlite!.pragma("wal_checkpoint(TRUNCATE)");
      const exported = await runChild(file, surveyId);

      // The import file: the first IMPORT_ROWS rows of an export of the loaded survey, ids removed so
      // every row gets an id derived from the file (the slower path).
      const lines: string[] = [];
      for await (const piece of exportResponsesCsv(handle.db, surveyId, { chunkSize: 5000 })) {
        for (const line of piece.split("\r\n")) if (line && lines.length <= IMPORT_ROWS) lines.push(line.slice(line.indexOf(",") + 1));
        if (lines.length > IMPORT_ROWS) break;
      }
      const importFile = path.join(dir, "import-100k.csv");
      fs.writeFileSync(importFile, lines.join("\r\n") + "\r\n");
      const fromFile = { text: "", stream: () => filePieces(importFile), encoding: "utf-8" as const, bom: false };
      const server = http.createServer(async (req, res) => {
        if (req.url === "/write") {
          // What a sign-in or a tablet's sync does meanwhile: a small write transaction.
          await handle.db
            .transaction()
            .execute((trx) => trx.insertInto("login_attempts").values({ email: "probe@example.org", address: "127.0.0.1", succeeded: 1, at: new Date().toISOString() }).execute());
          res.writeHead(200).end("ok");
          return;
        }
        const ok = await ping(handle.db);
        res.writeHead(ok ? 200 : 503, { "Content-Type": "application/json" }).end(JSON.stringify({ status: ok ? "ok" : "unavailable" }));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      const port = (server.address() as { port: number }).port;
      // The importer's own work (parse, match, convert, validate, duplicate checks) without storing.
      const d0 = performance.now();
      const dry = await runImport(handle.db, { surveyId: importSurveyId, programmeId: loaded.programmeId, fileName: "bench.csv", ...fromFile, commit: false });
      const drySeconds = (performance.now() - d0) / 1000;
      const prober = startProber(`http://127.0.0.1:${port}/healthz`);
      const writeProber = startProber(`http://127.0.0.1:${port}/write`, 100);
      await new Promise((r) => setTimeout(r, 300));
      // How long the server's own thread was ever busy at once: a probe's wait beyond this is the
      // machine's two cores being shared (by the import's threads, the kernel's writes and the probes).
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      const t0 = performance.now();
      const report = await runImport(handle.db, {
        surveyId: importSurveyId,
        programmeId: loaded.programmeId,
        fileName: "bench.csv",
        ...fromFile,
        commit: true,
      });
      const importSeconds = (performance.now() - t0) / 1000;
      loop.disable();
      const probe = await prober.stop();
      const writeProbe = await writeProber.stop();
      server.close();
      if (report.valid !== lines.length - 1) throw new Error(`import stored ${report.valid} of ${lines.length - 1} rows: ${JSON.stringify(report.problems.slice(0, 3))}`);
      // The time counts the dashboards' figures too: nothing may be left for a later fold.
      const pending = handle.sqlite!.prepare("select count(*) as n from responses where survey_id = ? and aggregated = 0").get(importSurveyId) as { n: number };
      const counted = handle.sqlite!.prepare("select sum(n + excluded + missing) as n from agg_indicator_margins where survey_id = ? and dimension = '' and indicator_id = ?").get(importSurveyId, s.definition.indicators[0].id) as { n: number };
      if (pending.n !== 0 || counted.n !== report.valid) throw new Error(`after the import ${pending.n} responses wait for their figures and the dashboards count ${counted.n} of ${report.valid}`);

      const resume = await measureResume(handle, file, dir, { programmeId: loaded.programmeId, definition: s.definition, userId: s.user.id, importFile });

      let big: { rows: number; seconds: number; peakRssMb: number } | null = null;
      if (process.env.BENCH_IMPORT_1M !== "0") {
        // The whole export (ids removed) as one file, imported into a fresh survey by a process of its own.
        const bigFile = path.join(dir, "import-1m.csv");
        const out = fs.createWriteStream(bigFile);
        for await (const piece of exportResponsesCsv(handle.db, surveyId, { chunkSize: 5000 })) {
          const rows = piece.split("\r\n").filter(Boolean).map((line) => line.slice(line.indexOf(",") + 1));
          if (!out.write(rows.join("\r\n") + "\r\n")) await new Promise<void>((r) => out.once("drain", () => r()));
        }
        await new Promise<void>((r) => out.end(() => r()));
        const bigSurveyId = await importTarget(handle, loaded.programmeId, s.definition, s.user.id);
        handle.sqlite!.pragma("wal_checkpoint(TRUNCATE)");
        big = await runChild(file, bigSurveyId, "exchange-import.child.ts", loaded.programmeId, bigFile);
        fs.rmSync(bigFile, { force: true });
      }
      return [
        { name: "export_rows_per_s", value: Math.round(exported.rows / exported.seconds), unit: `rows/s (${exported.rows} responses${loaded.generator ? ", dashboards' generator" : ""})` },
        { name: "export_peak_rss_mb", value: round(exported.peakRssMb, 1), unit: "MB (whole export process, peak RSS)" },
        { name: "import_100k_s", value: round(importSeconds, 2), unit: `s (${report.valid} rows)` },
        { name: "import_100k_dry_run_s", value: round(drySeconds, 2), unit: `s (${dry.valid} rows checked, nothing stored)` },
        { name: "import_max_stall_ms", value: round(probe.max, 1), unit: `ms (slowest of ${probe.n} GET /healthz from another process during the import${probe.errors ? `, ${probe.errors} failed` : ""})` },
        { name: "import_max_loop_delay_ms", value: round(loop.max / 1e6, 1), unit: "ms (longest the server's thread was busy at once during the import)" },
        {
          name: "import_max_write_ms",
          value: round(writeProbe.max, 1),
          unit: `ms (slowest of ${writeProbe.n} small write transactions from another process during the import${writeProbe.errors ? `, ${writeProbe.errors} failed` : ""})`,
        },
        { name: "import_resume_s", value: round(resume.seconds, 2), unit: `s (from restarting a server killed mid-import to the resumed job's first stored batch; ${resume.rows} rows, killed at ${resume.storedAtKill} stored)` },
        ...(big
          ? [
              { name: "import_1m_peak_rss_mb", value: round(big.peakRssMb, 1), unit: `MB (whole import process, peak RSS, ${big.rows} rows from a file on disk)` },
              { name: "import_1m_s", value: round(big.seconds, 1), unit: `s (${big.rows} rows with their figures, into a database of ${RESPONSES + IMPORT_ROWS} responses)` },
            ]
          : []),
      ];
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
