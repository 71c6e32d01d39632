// Child process for the import bench: imports a CSV file from disk (read in pieces, as a job
// reads an upload) into a survey of a SQLite file, and reports rows, time and this process's own
// peak resident memory.
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { openSqlite } from "~db/connect";
import { runImport } from "~/exchange/import.server";

export async function* filePieces(file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) yield decoder.decode(chunk, { stream: true });
}

async function main() {
  const [dbFile, surveyId, programmeId, csvFile] = process.argv.slice(2);
  const handle = openSqlite(dbFile);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const t0 = performance.now();
  const report = await runImport(handle.db, {
    surveyId,
    programmeId,
    fileName: "bench-1m.csv",
    text: "",
    stream: () => filePieces(csvFile),
    encoding: "utf-8",
    bom: false,
    commit: true,
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const maxRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  await handle.close();
  process.stdout.write(JSON.stringify({ rows: report.rows, stored: report.stored, seconds, peakRssMb: maxRss / 1024 / 1024 }) + "\n");
}

if (process.argv[1]?.endsWith("exchange-import.child.ts")) void main();
