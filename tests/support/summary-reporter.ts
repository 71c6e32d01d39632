// Ends the run with one plain line, "tests: N passed, N failed, N skipped", that any CI can read.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (m.state() === "failed" && [...m.children.allTests()].length === 0) failed++;
    }
    // Printed as the process exits, so it comes after Vitest's own summary as the very last line.
    const line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.once("exit", () => process.stdout.write(`\n${line}\n`));
  }
}
