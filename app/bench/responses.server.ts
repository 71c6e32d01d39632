// The responses table: one page (50 rows) of a survey's responses over BENCH_RESPONSES synthetic
// responses (default 1,000,000) on SQLite and — when BENCH_DATABASE_URL or TEST_DATABASE_URL names
// a server — on a scratch PostgreSQL database, for the first page, a page deep in the list and every
// filter alone and in pairs; `responses_table_page_ms` (and `…_postgres`) is the slowest case's median.
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openSqlite, type Db } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import { responsePage, type ResponseFilters } from "~/models/response-review.server";
import { generateResponses } from "./generator.server";
import { percentile, round, type Bench, type Figure } from "./measure";
import { onScratchPostgres } from "./scratch-postgres.server";

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);

/** Loads the responses, marks reviews, and returns the slowest case's median page time in ms. */
async function measure(handle: Db, label: string): Promise<number> {
  const t0 = performance.now();
  const gen = await generateResponses(handle, handle.dialect, { responses: RESPONSES });
  console.error(`${label}: ${RESPONSES} responses loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Reviews as a season of work leaves them: one response in a thousand not approved, one in a hundred approved.
  if (handle.sqlite) {
    handle.sqlite.exec(`UPDATE responses SET review_status = CASE WHEN rowid % 1000 = 0 THEN 'not_approved' ELSE 'approved' END WHERE rowid % 100 = 0`);
  } else {
    // PostgreSQL has no rowid: the id's hash picks the same shares.
    await sql`UPDATE responses SET review_status = CASE WHEN abs(hashtext(id)) % 1000 = 0 THEN 'not_approved' ELSE 'approved' END WHERE abs(hashtext(id)) % 100 = 0`.execute(handle.db);
  }
  await sql`ANALYZE`.execute(handle.db);
  const middle = await handle.db
    .selectFrom("responses")
    .select(["submitted_at", "id"])
    .where("survey_id", "=", gen.surveyId)
    .orderBy("submitted_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .offset(Math.floor(RESPONSES / 2))
    .executeTakeFirstOrThrow();
  const deep = Buffer.from(`${middle.submitted_at}|${middle.id}`).toString("base64url");
  const today = new Date().toISOString().slice(0, 10);
  const [community, other] = gen.communityIds;
  const roundId = gen.roundIds[2];
  const cases: [string, ResponseFilters][] = [
    ["first page", {}],
    ["deep page", { after: deep }],
    ["round", { round: roundId }],
    ["community", { community }],
    ["community, deep", { community, after: deep }],
    ["session", { session: `s-0-0` }],
    ["received today", { from: today, to: today }],
    ["language (all)", { language: "en" }],
    ["language (none)", { language: "fr" }],
    ["source", { source: "bench" }],
    ["device (none)", { device: "no-such-link" }],
    ["not approved", { review: "not_approved" }],
    ["not reviewed", { review: "none" }],
    ["community and round", { community: other, round: roundId }],
    ["community and not approved", { community, review: "not_approved" }],
    ["round and language (none)", { round: roundId, language: "fr" }],
  ];
  let slowest = 0;
  for (const [name, filters] of cases) {
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const s = performance.now();
      await responsePage(handle.db, gen.surveyId, filters);
      times.push(performance.now() - s);
    }
    const p50 = percentile(times.slice(2), 50);
    console.error(`${label}: ${name}: ${p50.toFixed(2)} ms`);
    slowest = Math.max(slowest, p50);
  }
  return slowest;
}

export const responsesBench: Bench = {
  name: "responses",
  async run() {
    const figures: Figure[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-bench-responses-"));
    const handle = openSqlite(path.join(dir, "bench.sqlite"));
    try {
      await migrateToLatest(handle.db, "sqlite");
      figures.push({ name: "responses_table_page_ms", value: round(await measure(handle, "responses"), 2), unit: "ms" });
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }

    figures.push(
      ...(await onScratchPostgres("responses", async (pgHandle) => [
        { name: "responses_table_page_ms_postgres", value: round(await measure(pgHandle, "responses on PostgreSQL"), 2), unit: "ms" },
      ])),
    );
    return figures;
  },
};
