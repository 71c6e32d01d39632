// Tracking table figures: the .xlsx download of the bench programme (every indicator, rows per
// gender, one reference sheet each) over BENCH_RESPONSES synthetic responses (default 1,000,000)
// on SQLite, targets set for the last round of every indicator. tracking_xlsx_ms is the median of
// warm runs (the disclosure family is built once per aggregate stamp); the first run is reported apart.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openSqlite } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import { nowIso } from "~db/portable";
import type { Viewer } from "~/models/viewer";
import { loadDashboardContext } from "~/dashboard/context.server";
import { loadTracking } from "~/dashboard/tracking.server";
import { trackingWorkbook } from "~/dashboard/tracking-files.server";
import { generateResponses } from "./generator.server";
import { percentile, round, type Bench } from "./measure";

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);

export const trackingBench: Bench = {
  name: "tracking",
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-bench-tracking-"));
    const handle = openSqlite(path.join(dir, "bench.sqlite"));
    try {
      await migrateToLatest(handle.db, "sqlite");
      const t0 = performance.now();
      const gen = await generateResponses(handle, "sqlite", { responses: RESPONSES });
      console.error(`tracking: ${RESPONSES} responses and their aggregates loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const last = gen.roundIds.at(-1)!;
      const mid = gen.roundIds[Math.floor(gen.roundIds.length / 2)];
      for (const ind of gen.definition.indicators) {
        const value = ind.kind === "share" ? 0.7 : 3;
        await handle.db
          .insertInto("indicator_targets")
          .values([mid, last].map((roundId) => ({ survey_id: gen.surveyId, indicator_id: ind.id, round_id: roundId, value, set_by: null, set_at: nowIso() })))
          .execute();
      }
      const viewer: Viewer = { id: gen.userId, email: "bench@example.org", displayName: "Bench", isAdmin: true };
      const download = async () => {
        const found = await loadDashboardContext(handle.db, viewer, gen.programmeId, gen.surveyId);
        const table = await loadTracking(handle.db, found!.context!, { by: "gender" });
        return trackingWorkbook(found!.context!, table, { programme: found!.programme.name, generatedOn: "2026-12-01" });
      };
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 8; i++) {
        const s = performance.now();
        bytes = (await download()).length;
        times.push(performance.now() - s);
        if (i === 0) console.error(`tracking: first workbook (builds the disclosure families) in ${(times[0] / 1000).toFixed(1)} s`);
      }
      console.error(`tracking: workbook of ${(bytes / 1024).toFixed(0)} KB`);
      return [
        { name: "tracking_xlsx_ms", value: round(percentile(times.slice(1), 50), 1), unit: "ms" },
        { name: "tracking_xlsx_cold_ms", value: round(times[0], 1), unit: "ms" },
      ];
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
