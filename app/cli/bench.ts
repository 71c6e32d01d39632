// `npm run bench`: prints performance figures, one JSON object per line: {"name","value","unit"}.
import { benches } from "~/bench/index.server";

async function main() {
  const only = process.argv.slice(2);
  for (const bench of benches) {
    if (only.length && !only.some((o) => bench.name.includes(o))) continue;
    try {
      for (const figure of await bench.run()) console.log(JSON.stringify(figure));
    } catch (err) {
      console.error(`bench ${bench.name} failed: ${err instanceof Error ? err.stack : err}`);
      process.exitCode = 1;
    }
  }
}

void main();
