// Child process for the export bench: streams one survey's CSV export from a SQLite file to
// nowhere, and reports rows, time and this process's own peak resident memory.
import { performance } from "node:perf_hooks";
import { openSqlite } from "~db/connect";
import { exportResponsesCsv } from "~/exchange/export.server";

async function main() {
  const [file, surveyId] = process.argv.slice(2);
  const handle = openSqlite(file);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  let lines = 0;
  let bytes = 0;
  const t0 = performance.now();
  for await (const piece of exportResponsesCsv(handle.db, surveyId)) {
    bytes += Buffer.byteLength(piece);
    for (let i = piece.indexOf("\r\n"); i >= 0; i = piece.indexOf("\r\n", i + 2)) lines += 1;
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  // maxRSS is the kernel's own high-water mark for this process (kilobytes).
  const maxRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  await handle.close();
  process.stdout.write(JSON.stringify({ rows: lines - 1, seconds, bytes, peakRssMb: maxRss / 1024 / 1024 }) + "\n");
}

void main();
