import type { TestRunResult } from "@fixline/environments";

export interface GreenVerdict {
  ok: boolean;
  reasons: string[];
  /** Tests that passed on the base and fail (or vanished) now. */
  regressions: string[];
}

export interface VerifyGreenInput {
  base: TestRunResult;
  green: TestRunResult;
  /** The tests the red phase proved failing. */
  redTests: string[];
  /** Red test files whose content differs from the red commit (or that were deleted). */
  modifiedRedTestFiles: string[];
  /** The plan explicitly allows adjusting the red tests. */
  allowsTestChanges: boolean;
}

/**
 * Green is reached only by test runs, never by what the agent says: the whole suite passes, every red test
 * is there and passes, nothing that passed on the base fails or disappeared, and the red tests were not
 * weakened (their files are as the red commit left them, unless the approved plan says otherwise).
 */
export function verifyGreen(input: VerifyGreenInput): GreenVerdict {
  const { base, green } = input;
  const reasons: string[] = [];
  const byName = new Map(green.tests.map((t) => [t.name, t.status]));
  if (!green.passed) {
    const failing = green.tests.filter((t) => t.status === "failed").map((t) => t.name);
    reasons.push(`the suite fails (exit ${green.exitCode}${failing.length > 0 ? `; failing: ${failing.join(", ")}` : ""})`);
  }
  for (const name of input.redTests) {
    const status = byName.get(name);
    if (status === undefined) reasons.push(`red test "${name}" is missing from the run`);
    else if (status !== "passed") reasons.push(`red test "${name}" ${status === "failed" ? "still fails" : "was skipped"}`);
  }
  const regressions: string[] = [];
  for (const test of base.tests) {
    if (test.status !== "passed") continue;
    const now = byName.get(test.name);
    if (now === "passed") continue;
    regressions.push(test.name);
  }
  if (regressions.length > 0) reasons.push(`tests that passed before now ${regressions.length === 1 ? "fails or is gone" : "fail or are gone"}: ${regressions.join(", ")}`);
  if (input.modifiedRedTestFiles.length > 0 && !input.allowsTestChanges) {
    reasons.push(`red tests were modified: ${input.modifiedRedTestFiles.join(", ")}`);
  }
  return { ok: reasons.length === 0, reasons, regressions };
}
