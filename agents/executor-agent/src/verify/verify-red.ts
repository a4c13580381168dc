import type { TestRunResult } from "@fixline/environments";

export interface RedVerdict {
  ok: boolean;
  /** Tests in the red run that the base run did not have. */
  newTests: string[];
  /** The new tests that failed: the reproduction. */
  failingNewTests: string[];
  reasons: string[];
}

/**
 * Red is proven when the agent's new tests exist and fail on the unfixed code. "New" is by name: present
 * in the red run, absent from the base run. Tests that already failed on the base are not evidence.
 * When the runner reported no test names at all, the exit codes decide (base green, red not).
 */
export function verifyRed(input: { base: TestRunResult; red: TestRunResult; testFilesChanged: string[] }): RedVerdict {
  const { base, red } = input;
  const reasons: string[] = [];
  if (input.testFilesChanged.length === 0) reasons.push("no test file was added or changed");
  const baseNames = new Set(base.tests.map((t) => t.name));
  const newTests = red.tests.filter((t) => !baseNames.has(t.name)).map((t) => t.name);
  const failingNewTests = red.tests.filter((t) => !baseNames.has(t.name) && t.status === "failed").map((t) => t.name);

  if (red.tests.length === 0 && base.tests.length === 0) {
    if (red.passed) reasons.push(`the test command passed (exit ${red.exitCode}) with the new test on the unfixed code`);
    else if (!base.passed) reasons.push("the suite already failed on the base commit, so a failing run proves nothing without test names");
  } else if (newTests.length === 0) {
    reasons.push("the test run reports no new test (by name) compared with the base commit");
  } else if (failingNewTests.length === 0) {
    reasons.push(`the new test${newTests.length === 1 ? "" : "s"} passed on the unfixed code: ${newTests.join(", ")}`);
  }
  if (reasons.length === 0 && red.passed && failingNewTests.length > 0) {
    // A runner that exits 0 with failures is misconfigured; the names are what we trust, but say so.
    reasons.push(`the test command exited ${red.exitCode} although ${failingNewTests.length} test(s) failed; check the test command`);
  }
  return { ok: reasons.length === 0, newTests, failingNewTests, reasons };
}
