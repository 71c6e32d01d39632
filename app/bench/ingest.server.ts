// Ingest through the real HTTP API on SQLite: 4 concurrent clients sending batches of 100 responses
// of 15 answers (the community security template). The server runs in its own process, as in
// production, so the clients do not share its event loop.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openSqlite } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import { createUser } from "~/models/users.server";
import { createCommunity, createProgramme } from "~/models/programmes.server";
import { createSurvey, publishDraft } from "~/models/surveys.server";
import { createLink } from "~/models/collection-links.server";
import { getTemplate } from "~/survey-templates.server";
import type { SurveyDefinition } from "~/survey";
import { percentile, round, type Bench } from "./measure";

const CLIENTS = 4;
const BATCH = 100;
const BATCHES_PER_CLIENT = Number(process.env.BENCH_INGEST_BATCHES ?? 25);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A random, valid answer set of 15 answers for the community security survey. */
export function communitySecurityAnswers(def: SurveyDefinition, rand: () => number) {
  const answers: Record<string, string | string[]> = {};
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  for (const q of def.questions) {
    const codes = (q.options ?? []).map((o) => o.code);
    if (q.type === "ranking") {
      const pool = [...codes];
      answers[q.id] = Array.from({ length: q.maxPicks ?? 3 }, () => pool.splice(Math.floor(rand() * pool.length), 1)[0]);
    } else if (codes.length) answers[q.id] = pick(codes);
  }
  return answers;
}

export const ingestBench: Bench = {
  name: "ingest",
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-ingest-"));
    const file = path.join(dir, "ingest.sqlite");
    const handle = openSqlite(file);
    await migrateToLatest(handle.db, "sqlite");
    const user = await createUser(handle.db, { email: "bench@example.org", displayName: "Bench", password: "bench password 1" });
    const programmeId = await createProgramme(handle.db, { name: "Bench", country: "", description: "", minCellSize: 5 });
    const communityId = await createCommunity(handle.db, { programmeId, name: "Bench town", region: "" });
    const definition = structuredClone(getTemplate("community_security")!.definition);
    const surveyId = await createSurvey(handle.db, { programmeId, definition, createdBy: user.id });
    await publishDraft(handle.db, surveyId, user.id);
    const { id: linkId, token } = await createLink(handle.db, { surveyId, mode: "self", label: "bench", communityId, createdBy: user.id });
    // A link in use for a month: the responses below were collected over its last 30 days (the sync
    // API refuses any collected before their link existed).
    await handle.db.updateTable("collection_links").set({ created_at: new Date(Date.now() - 31 * 86_400_000).toISOString() }).where("id", "=", linkId).execute();
    await handle.close();

    const port = await freePort();
    const tsxCli = path.resolve("node_modules/tsx/dist/cli.mjs");
    const server = spawn(process.execPath, [tsxCli, "app/cli/serve.ts"], {
      env: { ...process.env, DATABASE_URL: `file:${file}`, PORT: String(port), HOST: "127.0.0.1", LINK_RATE_LIMIT_PER_MINUTE: "1000000", LINK_RESPONSES_PER_MINUTE: "1000000000", LINK_RESPONSES_PER_DAY: "1000000000" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) {
        if (i > 600) throw new Error("the server did not start");
        if (await fetch(`${base}/healthz`).then((r) => r.ok, () => false)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      let seed = 42;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const batches = Array.from({ length: CLIENTS * BATCHES_PER_CLIENT }, () =>
        JSON.stringify({
          responses: Array.from({ length: BATCH }, () => ({
            id: randomUUID(),
            surveyVersion: 1,
            collectedAt: new Date(Date.now() - rand() * 86_400_000 * 30).toISOString(),
            language: "en",
            answers: communitySecurityAnswers(definition, rand),
          })),
        }),
      );
      const send = async (body: string) => {
        const t0 = performance.now();
        const res = await fetch(`${base}/api/v1/links/${token}/responses`, { method: "POST", headers: { "Content-Type": "application/json" }, body });
        const json = (await res.json()) as { results: { status: string }[] };
        const ms = performance.now() - t0;
        if (res.status !== 200 || json.results.some((r) => r.status !== "created")) throw new Error(`ingest failed: ${res.status}`);
        return ms;
      };
      await send(batches.pop()!); // warm up: first request compiles routes and caches the version
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let i = c; i < batches.length; i += CLIENTS) latencies.push(await send(batches[i]));
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      // Aggregates are folded in batches just after each reply: how long until the last is in.
      const acked = performance.now();
      const reader = openSqlite(file);
      let lagMs = 0;
      try {
        for (;;) {
          const pending = Number((await reader.db.selectFrom("responses").select((eb) => eb.fn.countAll<number>().as("n")).where("aggregated", "=", 0).executeTakeFirstOrThrow()).n);
          lagMs = performance.now() - acked;
          if (pending === 0 || lagMs > 60_000) break;
          await new Promise((r) => setTimeout(r, 20));
        }
      } finally {
        await reader.close();
      }
      return [
        { name: "ingest_responses_per_s", value: round((batches.length * BATCH) / seconds, 0), unit: "responses/s" },
        { name: "ingest_batch_p95_ms", value: round(percentile(latencies, 95), 1), unit: "ms" },
        { name: "ingest_aggregates_lag_ms", value: round(lagMs, 0), unit: "ms" },
      ];
    } finally {
      server.kill("SIGTERM");
      await new Promise((r) => server.once("exit", r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
