// `npm run demo`: loads the demo programme and prints how to sign in, as lines a script can read.
import { openDatabase } from "~db/connect";
import { DEMO_KIOSK_PIN, loadDemo } from "~/demo/demo.server";

async function main() {
  const database = await openDatabase();
  try {
    const demo = await loadDemo(database.db);
    const base = process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
    for (const a of demo.accounts) console.log(`${a.key}: ${a.email} ${a.password}`);
    console.log(`api token: ${demo.apiToken}`);
    console.log(`tablet link: ${base}/c/${demo.tabletToken}`);
    console.log(`community link: ${base}/c/${demo.communityToken}`);
    console.log(`tablet pin: ${DEMO_KIOSK_PIN}`);
    console.log(`open: ${base}/`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
