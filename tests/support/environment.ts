// What this machine offers the tests: Chromium and PostgreSQL are optional locally (tests that need
// them are skipped with a printed reason) but required under CI=true.
import fs from "node:fs";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const IN_CI = process.env.CI === "true";
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

export const hasChromium = () => fs.existsSync(CHROMIUM_PATH);
export const hasPostgres = () => Boolean(TEST_DATABASE_URL);

export function missingRequirements(): string[] {
  const missing: string[] = [];
  if (!hasChromium()) missing.push(`Chromium not found at ${CHROMIUM_PATH}: end-to-end tests are skipped`);
  if (!hasPostgres()) missing.push("TEST_DATABASE_URL is not set: the PostgreSQL runs of the integration suite are skipped");
  return missing;
}
