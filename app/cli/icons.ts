// Renders the app's PNG icons (manifest and Apple touch icon) from the SVGs in public/icons with
// Debian's Chromium: `npx tsx app/cli/icons.ts`. The PNGs are committed; run this after changing an SVG.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const dir = path.resolve("public/icons");
const outputs: [svg: string, png: string, size: number][] = [
  ["icon.svg", "icon-192.png", 192],
  ["icon.svg", "icon-512.png", 512],
  ["icon-maskable.svg", "icon-maskable-512.png", 512],
  // iOS draws its own rounded corners and shows transparency as black: the full-bleed square.
  ["icon-maskable.svg", "apple-touch-icon.png", 180],
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
for (const [svg, png, size] of outputs) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const markup = fs.readFileSync(path.join(dir, svg), "utf8");
  await page.setContent(`<html><body style="margin:0;background:transparent">${markup.replace("<svg ", `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: path.join(dir, png), omitBackground: true });
  await page.close();
}
await browser.close();
