// Decides whether the production build is missing or older than the sources, and rebuilds it.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

const SOURCES = ["app", "db", "public", "survey-templates", "vite.config.ts", "package.json", "tsconfig.json"];

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function buildIsStale(root = process.cwd()): boolean {
  const built = path.join(root, "build/server/index.js");
  if (!fs.existsSync(built)) return true;
  const builtAt = fs.statSync(built).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > builtAt);
}

export function buildApp(root = process.cwd()): void {
  const cli = path.join(root, "node_modules/@remix-run/dev/dist/cli.js");
  // A build started from the test runner must not inherit its VITEST flag (it drops the Remix plugin).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
  const result = spawnSync(process.execPath, [cli, "vite:build"], { cwd: root, stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("The build failed; see the messages above.");
}

/**
 * Builds when stale. A lock directory keeps two processes (two test runs, or a test run and
 * `npm start`) from writing build/ at the same time; a lock older than five minutes is stale.
 */
export function ensureFreshBuild(root = process.cwd()): void {
  const lock = path.join(root, ".cache", "build.lock");
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age > 5 * 60_000 || Date.now() > deadline) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (buildIsStale(root)) {
      console.log("Building the app (the build is missing or older than the sources)…");
      buildApp(root);
    }
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
