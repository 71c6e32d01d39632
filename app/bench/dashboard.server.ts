// Dashboard figures: one indicator series by round × gender and the whole dashboard loader (every
// indicator) over BENCH_RESPONSES synthetic responses (default 1,000,000), on SQLite and — when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a server — on a scratch PostgreSQL database;
// plus the gzipped JavaScript the dashboard route loads, from the production build's manifest.
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { openSqlite, type Db } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import type { Viewer } from "~/models/viewer";
import { loadDashboardContext } from "~/dashboard/context.server";
import { loadDashboard } from "~/dashboard/dashboard.server";
import { indicatorSeries } from "~/dashboard/series.server";
import { parseView } from "~/dashboard/view";
import { generateResponses } from "./generator.server";
import { percentile, round, type Bench, type Figure } from "./measure";
import { onScratchPostgres } from "./scratch-postgres.server";

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);

async function time(times: number[], fn: () => Promise<unknown>) {
  const t0 = performance.now();
  await fn();
  times.push(performance.now() - t0);
}

/**
 * Loads the data, then times the series and the page loader; returns [series p50, page p50, cold
 * series]: the first series after new data builds the question's disclosure family (then cached).
 */
async function measure(handle: Db, label: string): Promise<[number, number, number]> {
  const t0 = performance.now();
  const gen = await generateResponses(handle, handle.dialect, {
    responses: RESPONSES,
    onProgress: (n) => {
      if (n % 200_000 === 0) console.error(`${label}: ${n} responses loaded (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    },
  });
  console.error(`${label}: ${RESPONSES} responses and their aggregates loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const viewer: Viewer = { id: gen.userId, email: "bench@example.org", displayName: "Bench", isAdmin: true };
  const found = await loadDashboardContext(handle.db, viewer, gen.programmeId, gen.surveyId);
  const ctx = found!.context!;
  const indicator = ctx.survey.definition.indicators.find((i) => i.id === "safe_roads") ?? ctx.survey.definition.indicators[0];
  const gender = ctx.dimensions.filter((d) => d.id === "gender");
  const cold: number[] = [];
  await time(cold, () => indicatorSeries(handle.db, ctx, indicator, { period: "round", by: gender, filters: {} }));
  const series: number[] = [];
  for (let i = 0; i < 60; i++) await time(series, () => indicatorSeries(handle.db, ctx, indicator, { period: "round", by: gender, filters: {} }));
  // The page: context (membership, survey, rounds, communities) and every indicator's figures,
  // split by gender as a manager would usually look at it.
  const page: number[] = [];
  const view = parseView(new URLSearchParams("by=gender"));
  for (let i = 0; i < 15; i++)
    await time(page, async () => {
      const f = await loadDashboardContext(handle.db, viewer, gen.programmeId, gen.surveyId);
      await loadDashboard(handle.db, f!.context!, view);
    });
  return [round(percentile(series.slice(5), 50), 2), round(percentile(page.slice(2), 50), 1), round(cold[0], 1)];
}

/**
 * Gzipped size of every JS file the dashboard route loads: Remix's route manifest, the client
 * entry, root, the dashboard route and their imports (build/client/assets/manifest-*.js lists them;
 * Remix removes Vite's .vite/manifest.json after building), plus the chart chunk the route imports
 * on demand, found by following import() and import … from "./…" inside those files.
 */
export function dashboardJsGzipKb(root = process.cwd()): number | null {
  const assets = path.join(root, "build/client/assets");
  if (!fs.existsSync(assets)) return null;
  const file = fs.readdirSync(assets).find((f) => /^manifest-.*\.js$/.test(f));
  if (!file) return null;
  const manifest = JSON.parse(fs.readFileSync(path.join(assets, file), "utf8").replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "")) as {
    entry: { module: string; imports?: string[] };
    routes: Record<string, { module: string; imports?: string[] }>;
  };
  const route = manifest.routes["routes/programmes.$programmeId.dashboard"];
  if (!route) return null;
  const queue = [manifest.entry, manifest.routes.root, route].flatMap((r) => [r.module, ...(r.imports ?? [])]).map((u) => path.join(root, "build/client", u));
  const seen = new Set<string>([path.join(assets, file)]);
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f) || !fs.existsSync(f)) continue;
    seen.add(f);
    const text = fs.readFileSync(f, "utf8");
    for (const m of text.matchAll(/(?:import\(\s*|from\s*|import\s*)["'](\.\/[^"']+\.js)["']/g)) queue.push(path.join(path.dirname(f), m[1]));
  }
  let bytes = 0;
  for (const f of seen) bytes += zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
  return round(bytes / 1024, 1);
}

export const dashboardBench: Bench = {
  name: "dashboard",
  async run() {
    const figures: Figure[] = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-bench-dashboard-"));
    const handle = openSqlite(path.join(dir, "bench.sqlite"));
    try {
      await migrateToLatest(handle.db, "sqlite");
      const [series, page, cold] = await measure(handle, "sqlite");
      figures.push(
        { name: "dashboard_series_p50_ms", value: series, unit: "ms" },
        { name: "dashboard_page_p50_ms", value: page, unit: "ms" },
        { name: "dashboard_series_cold_ms", value: cold, unit: "ms" },
      );
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const js = dashboardJsGzipKb();
    if (js === null) console.error("dashboard_js_gzip_kb: no production build with the dashboard route (run npm run build first)");
    else figures.push({ name: "dashboard_js_gzip_kb", value: js, unit: "KB" });

    figures.push(
      ...(await onScratchPostgres("dashboard", async (pgHandle) => {
        const [series, page, cold] = await measure(pgHandle, "postgres");
        return [
          { name: "dashboard_series_p50_ms_postgres", value: series, unit: "ms" },
          { name: "dashboard_page_p50_ms_postgres", value: page, unit: "ms" },
          { name: "dashboard_series_cold_ms_postgres", value: cold, unit: "ms" },
        ];
      })),
    );
    return figures;
  },
};
