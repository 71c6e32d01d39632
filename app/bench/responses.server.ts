// The responses table: one page (50 rows) of a survey's responses over BENCH_RESPONSES synthetic
// responses (default 1,000,000) on SQLite, for the first page, a page deep in the list and every
// filter alone and in pairs; `responses_table_page_ms` is the slowest case's median.
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqlite } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import { responsePage, type ResponseFilters } from "~/models/response-review.server";
import { generateResponses } from "./generator.server";
import { percentile, round, type Bench } from "./measure";

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);

export const responsesBench: Bench = {
  name: "responses",
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-bench-responses-"));
    const handle = openSqlite(path.join(dir, "bench.sqlite"));
    try {
      await migrateToLatest(handle.db, "sqlite");
      const t0 = performance.now();
      const gen = await generateResponses(handle, "sqlite", { responses: RESPONSES });
      console.error(`responses: ${RESPONSES} responses loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const sqlite = handle.sqlite!;
      // Reviews as a season of work leaves them: one response in a thousand not approved, one in a hundred approved.
      sqlite.exec(`UPDATE responses SET review_status = CASE WHEN rowid % 1000 = 0 THEN 'not_approved' ELSE 'approved' END WHERE rowid % 100 = 0`);
      sqlite.exec("ANALYZE");
      const middle = sqlite.prepare("SELECT submitted_at, id FROM responses WHERE survey_id = ? ORDER BY submitted_at DESC, id DESC LIMIT 1 OFFSET ?").get(gen.surveyId, Math.floor(RESPONSES / 2)) as { submitted_at: string; id: string };
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
      for (const [label, filters] of cases) {
        const times: number[] = [];
        for (let i = 0; i < 12; i++) {
          const s = performance.now();
          await responsePage(handle.db, gen.surveyId, filters);
          times.push(performance.now() - s);
        }
        const p50 = percentile(times.slice(2), 50);
        console.error(`responses: ${label}: ${p50.toFixed(2)} ms`);
        slowest = Math.max(slowest, p50);
      }
      return [{ name: "responses_table_page_ms", value: round(slowest, 2), unit: "ms" }];
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
