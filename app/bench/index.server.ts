// The benchmarks `npm run bench` runs, each printing named figures.
import { performance } from "node:perf_hooks";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openSqlite } from "~db/connect";
import { migrateToLatest } from "~db/migrate";
import { createSession, findSession } from "~/models/sessions.server";
import { createUser } from "~/models/users.server";

export { percentile, round, type Bench, type Figure } from "./measure";
import { percentile, round, type Bench } from "./measure";

/** Looking up a signed-in session happens on every page: it must stay far below a millisecond. */
const sessionLookup: Bench = {
  name: "session_lookup",
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-bench-"));
    const handle = openSqlite(path.join(dir, "bench.sqlite"));
    try {
      await migrateToLatest(handle.db, "sqlite");
      const user = await createUser(handle.db, { email: "bench@example.org", displayName: "Bench", password: "bench password 1" });
      const cookie = await createSession(handle.db, user.id);
      const times: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const t0 = performance.now();
        await findSession(handle.db, cookie);
        times.push(performance.now() - t0);
      }
      return [{ name: "session_lookup_p50_ms", value: round(percentile(times, 50), 3), unit: "ms" }];
    } finally {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

import { ingestBench } from "./ingest.server";

import { respondentJsBench } from "./respondent-js.server";
import { offlineBundleBench } from "./offline-bundle.server";

import { exchangeBench } from "./exchange.server";

import { dashboardBench } from "./dashboard.server";

import { responsesBench } from "./responses.server";
import { trackingBench } from "./tracking.server";
import { lighthouseBench } from "./lighthouse.server";

export const benches: Bench[] = [sessionLookup, ingestBench, respondentJsBench, offlineBundleBench, exchangeBench, dashboardBench, responsesBench, trackingBench, lighthouseBench];
