// respondent_js: the gzipped JavaScript a phone downloads to open a collection link (/c/{token}):
// the client entry, root, the collector route and every chunk they import, plus Remix's route manifest.
// Read from the build's own route manifest (build/client/assets/manifest-*.js), which lists exactly
// the modules the browser loads for each route.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ensureFreshBuild } from "~/server/build-freshness";
import type { Bench } from "./index.server";

interface RouteEntry {
  module: string;
  imports?: string[];
}

export function respondentScripts(root = process.cwd()): string[] {
  const assets = path.join(root, "build/client/assets");
  const file = fs.readdirSync(assets).find((f) => /^manifest-.*\.js$/.test(f));
  if (!file) throw new Error("No Remix manifest in build/client/assets: run the build first.");
  const text = fs.readFileSync(path.join(assets, file), "utf8");
  const manifest = JSON.parse(text.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "")) as {
    entry: RouteEntry;
    routes: Record<string, RouteEntry>;
  };
  const route = manifest.routes["routes/c.$token"];
  if (!route) throw new Error("The collector route (routes/c.$token) is not in the build.");
  const urls = new Set<string>([`/assets/${file}`]);
  for (const r of [manifest.entry, manifest.routes.root, route]) {
    urls.add(r.module);
    for (const i of r.imports ?? []) urls.add(i);
  }
  return [...urls].map((u) => path.join(root, "build/client", u));
}

export const respondentJsBench: Bench = {
  name: "respondent_js",
  async run() {
    ensureFreshBuild();
    const files = respondentScripts();
    let bytes = 0;
    for (const f of files) {
      const source = fs.readFileSync(f);
      // Chart code on this route would be a regression: dashboards' charts must stay on their pages.
      if (/chart\.js|Chart\.register/.test(source.toString("utf8"))) throw new Error(`Chart code reached the respondent route: ${path.basename(f)}`);
      bytes += gzipSync(source).length;
    }
    return [{ name: "respondent_js_gzip_kb", value: Math.round((bytes / 1024) * 10) / 10, unit: "KB" }];
  },
};
