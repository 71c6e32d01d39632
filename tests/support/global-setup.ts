// Runs once before all tests: refuses to run under CI without Chromium or PostgreSQL, says what is
// skipped otherwise, and builds the app the HTTP and browser tests serve.
import { ensureFreshBuild } from "../../app/server/build-freshness";
import { IN_CI, missingRequirements } from "./environment";

export default function setup() {
  const missing = missingRequirements();
  if (missing.length > 0) {
    if (IN_CI) throw new Error(`CI=true but this machine lacks what the tests need:\n- ${missing.join("\n- ")}`);
    console.warn(`\nSkipping some tests on this machine:\n- ${missing.join("\n- ")}\n`);
  }
  ensureFreshBuild();
}
