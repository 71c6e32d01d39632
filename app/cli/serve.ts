// `npm start` (and `npm run dev`): open and migrate the database, build if needed, serve.
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { openDatabase } from "~db/connect";
import { createApp, importRunnerOf } from "~/server/app";
import { ensureFreshBuild } from "~/server/build-freshness";
import { parseTrustProxy } from "~/server/trust-proxy";
import { foldPendingAggregates, runRecordedRebuilds } from "~/models/aggregates.server";
import { issueSetupCode } from "~/models/setup-code.server";

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === "IPv4" && !i.internal)
    .map((i) => i.address);
}

async function main() {
  const trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
  const database = await openDatabase();
  // Figures a migration changed the ground under (it cannot run this code itself), before serving them.
  const rebuilt = await runRecordedRebuilds(database.db);
  if (rebuilt.length) console.log(`Rebuilt the dashboard figures of ${rebuilt.length} survey(s) after an upgrade.`);
  // Responses stored just before a stop are folded into the dashboards' figures now.
  void foldPendingAggregates(database.db).catch((err) => console.error("folding pending responses failed:", err));
  let app;
  if (dev) {
    const vite = await import("vite");
    const server = await vite.createServer({ server: { middlewareMode: true } });
    app = createApp({ database, vite: server, trustProxy });
  } else {
    ensureFreshBuild();
    const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
    app = createApp({ database, build, trustProxy });
  }
  // With no account yet, the first administrator needs this code (printed here only) or the CLI.
  const setupCode = await issueSetupCode(database.db);
  const server = app.listen(port, host, () => {
    console.log(`Safety perception surveys is running (${database.dialect}: ${database.location}).`);
    console.log(`  local:   http://localhost:${port}/`);
    for (const a of lanAddresses()) console.log(`  network: http://${a}:${port}/`);
    if (setupCode) {
      console.log("");
      console.log("No administrator yet. Open /setup and enter this one-time setup code:");
      console.log(`  setup code: ${setupCode}`);
      console.log("(or stop the server and run `npm run create-admin`). A restart prints a new code.");
    }
  });
  const stop = () => {
    server.close();
    // A running import stops after its current transaction and resumes at the next start.
    void (importRunnerOf(app)?.stop() ?? Promise.resolve())
      .then(() => database.close())
      .finally(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
