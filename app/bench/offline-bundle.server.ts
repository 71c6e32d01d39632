// offline_bundle: what a phone or tablet downloads to answer the demo survey offline — the collection
// page, every script and style it loads, the link's bundle (survey, communities, rounds, sealing key),
// the web app manifest and its icons — in compressed bytes as the real server sends them over HTTP —
// with a recorded voice for every prompt in the survey's three languages (demo-voices.server.ts),
// fetched through the link as the offline worker precaches them.
import fs from "node:fs";
import http from "node:http";
import { gunzipSync } from "node:zlib";
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
import type { Bench } from "./index.server";
import { recordDemoVoices } from "./demo-voices.server";
import { linkVoiceUrl, type BundledVoice } from "~/voices/prompts";

/** Bytes on the wire (gzip where the server compresses) and the body as text. */
function get(url: string): Promise<{ bytes: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { "Accept-Encoding": "gzip" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const gz = res.headers["content-encoding"] === "gzip";
          const body = gz ? gunzipSync(raw) : raw;
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`${url}: ${res.statusCode}`));
          else resolve({ bytes: raw.length, text: body.toString("utf8"), type: String(res.headers["content-type"] ?? "") });
        });
      })
      .on("error", reject);
  });
}

export const offlineBundleBench: Bench = {
  name: "offline_bundle",
  async run() {
    ensureFreshBuild();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sps-bench-offline-"));
    const database = openSqlite(path.join(dir, "bench.sqlite"));
    try {
      await migrateToLatest(database.db, "sqlite");
      const demo = await loadDemo(database.db);
      const facilitatorId = demo.accounts.find((a) => a.key === "facilitator")!.userId;
      const recorded = await recordDemoVoices(database.db, demo.surveyId, facilitatorId);
      const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
      const server = createApp({ database, build, importJobs: false }).listen(0, "127.0.0.1");
      await new Promise<void>((r) => server.once("listening", () => r()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const page = await get(`${base}/c/${demo.communityToken}`);
        const files = new Set<string>();
        for (const m of page.text.matchAll(/(?:href|src)="(\/(?:assets|icons)\/[^"]+|\/manifest\.webmanifest[^"]*)"/g)) files.add(m[1].replace(/&amp;/g, "&"));
        // The route's lazily imported modules are listed in the Remix manifest, not the HTML.
        for (const m of page.text.matchAll(/"(\/assets\/[^"]+\.js)"/g)) files.add(m[1]);
        const linkBundle = await get(`${base}/api/v1/links/${demo.communityToken}`);
        let bytes = page.bytes + linkBundle.bytes;
        const voices = (JSON.parse(linkBundle.text) as { voices: BundledVoice[] }).voices;
        if (voices.length !== recorded.clips) throw new Error(`The link's bundle lists ${voices.length} voices, not the ${recorded.clips} recorded.`);
        let audio = 0;
        for (const hash of new Set(voices.map((v) => v.hash))) audio += (await get(base + linkVoiceUrl(demo.communityToken, hash))).bytes;
        bytes += audio;
        for (const f of files) {
          const r = await get(base + f);
          bytes += r.bytes;
          if (process.env.BENCH_VERBOSE) console.error(r.bytes, f);
          if (f.startsWith("/manifest.webmanifest")) for (const i of JSON.parse(r.text).icons as { src: string }[]) files.add(i.src);
        }
        const kb = (n: number) => Math.round((n / 1024) * 10) / 10;
        return [
          { name: "offline_bundle_kb", value: kb(bytes), unit: "KB" },
          { name: "offline_bundle_audio_kb", value: kb(audio), unit: "KB" },
          { name: "offline_bundle_voices", value: voices.length, unit: "clips" },
        ];
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
