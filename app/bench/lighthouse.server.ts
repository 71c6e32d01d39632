// lighthouse_collector: Lighthouse 12.2.3 (pinned in package.json) on the built app's collection page
// for the demo survey with its recorded voices, as a phone first opens it: the mobile profile with
// simulated slow 4G and a 4× slower CPU, against Debian's Chromium (CHROME_PATH, never downloaded).
// Prints the performance score and time to interactive, the median of BENCH_LIGHTHOUSE_RUNS runs (3).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import type { ServerBuild } from "@remix-run/node";
import { openSqlite } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import { ensureFreshBuild } from "~/server/build-freshness";
import { createApp } from "~/server/app";
import { loadDemo } from "~/demo/demo.server";
import { recordDemoVoices } from "./demo-voices.server";
import { percentile, round, type Bench } from "./measure";

const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export const lighthouseBench: Bench = {
  name: "lighthouse_collector",
  async run() {
    ensureFreshBuild();
    const chromePath = process.env.CHROME_PATH ?? "/usr/bin/chromium";
    if (!fs.existsSync(chromePath)) throw new Error(`No Chromium at ${chromePath}: set CHROME_PATH.`);
    const { default: lighthouse } = await import("lighthouse");
    const chromeLauncher = await import("chrome-launcher");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-bench-lighthouse-"));
    const database = openSqlite(path.join(dir, "bench.sqlite"));
    try {
      await migrateToLatest(database.db, "sqlite");
      const demo = await loadDemo(database.db);
      await recordDemoVoices(database.db, demo.surveyId, demo.accounts.find((a) => a.key === "facilitator")!.userId);
      const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
      const server = createApp({ database, build, importJobs: false }).listen(0, "127.0.0.1");
      await new Promise<void>((r) => server.once("listening", () => r()));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/c/${demo.communityToken}`;
      const scores: number[] = [];
      const tti: number[] = [];
      try {
        const runs = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
        for (let i = 0; i < runs; i++) {
          // A fresh browser each run: a first opening, nothing cached.
          const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS, userDataDir: fs.mkdtempSync(path.join(dir, "profile-")) });
          try {
            const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
            const lhr = result?.lhr;
            if (!lhr || lhr.runtimeError) throw new Error(`Lighthouse failed: ${lhr?.runtimeError?.message ?? "no result"}`);
            if (lhr.configSettings.formFactor !== "mobile" || lhr.configSettings.throttlingMethod !== "simulate") throw new Error("Lighthouse did not use the mobile profile with simulated throttling.");
            scores.push(Math.round((lhr.categories.performance.score ?? 0) * 100));
            tti.push((lhr.audits.interactive.numericValue ?? NaN) / 1000);
            if (process.env.BENCH_VERBOSE) {
              const requests = ((lhr.audits["network-requests"]?.details as { items?: { url: string }[] } | undefined)?.items ?? []).map((r) => r.url);
              console.error(`lighthouse run ${i + 1}: ${scores.at(-1)}, TTI ${tti.at(-1)} s, ${requests.length} requests (${requests.filter((u) => u.includes("/voices/")).length} voices)`);
            }
          } finally {
            await chrome.kill();
          }
        }
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
      return [
        { name: "lighthouse_collector_perf", value: percentile(scores, 50), unit: "score" },
        { name: "lighthouse_collector_tti_s", value: round(percentile(tti, 50), 2), unit: "s" },
      ];
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
