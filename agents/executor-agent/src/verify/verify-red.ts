import { classifyFailures, failureMatchesTest, type TestRunResult } from "@fixline/environments";

export interface RedVerdict {
  ok: boolean;
  /** Tests in the red run that the base run did not have. */
  newTests: string[];
  /** The new tests that failed by an assertion: the reproduction. */
  failingNewTests: string[];
  /** New tests (or files) that failed by an error instead: a load, syntax, import, type or reference error, a timeout, a crash. */
  wrongReason: Array<{ test: string | undefined; reason: string }>;
  reasons: string[];
}

/**
 * Red is proven when the agent's new tests exist and fail on the unfixed code, by an assertion (issue 15,
 * property 3): a test that dies with a TypeError because it calls a helper that does not exist yet proves
 * nothing about the bug, and green would "fix" it by adding the helper. "New" is by name: present in the red
 * run, absent from the base run. Tests that already failed on the base are not evidence. Why a test failed is
 * read from the runner's output (@fixline/environments classifyFailures); a failure the output does not
 * explain does not count. When the runner reported no test names at all, the exit codes and the output decide.
 *
 * One exception: a bug that *is* a crash (Sentry's `TypeError: Cannot read properties of undefined`). When the
 * approved plan's Root cause or Failing test quotes the very error line (`expectedFailure`), a test failing
 * with exactly that error reproduces the bug; a different error (`padCents is not a function`) still does not.
 */
export function verifyRed(input: { base: TestRunResult; red: TestRunResult; testFilesChanged: string[]; expectedFailure?: string }): RedVerdict {
  const { base, red } = input;
  const reasons: string[] = [];
  if (input.testFilesChanged.length === 0) reasons.push("no test file was added or changed");
  const baseNames = new Set(base.tests.map((t) => t.name));
  const newTests = red.tests.filter((t) => !baseNames.has(t.name)).map((t) => t.name);
  const failedNew = red.tests.filter((t) => !baseNames.has(t.name) && t.status === "failed").map((t) => t.name);
  const failures = classifyFailures(red.output);
  const failingNewTests: string[] = [];
  const wrongReason: RedVerdict["wrongReason"] = [];

  if (red.timedOut) wrongReason.push({ test: undefined, reason: "the test run timed out" });
  for (const name of failedNew) {
    const explained = failures.filter((f) => failureMatchesTest(f, name));
    const error = explained.find((f) => f.kind === "error" && !isExpectedFailure(f.reason, input.expectedFailure));
    if (error) wrongReason.push({ test: name, reason: error.reason });
    else if (explained.length > 0) failingNewTests.push(name);
    else wrongReason.push({ test: name, reason: "the output does not show why it failed, so not that an assertion failed" });
  }
  // A file that did not load has no tests in the run at all: its error is the only trace of the new test.
  if (failingNewTests.length === 0) {
    for (const failure of failures) {
      if (failure.kind === "error" && failure.test === undefined && !wrongReason.some((w) => w.reason === failure.reason)) wrongReason.push({ test: failure.file, reason: failure.reason });
    }
  }

  if (red.tests.length === 0 && base.tests.length === 0) {
    if (red.passed) reasons.push(`the test command passed (exit ${red.exitCode}) with the new test on the unfixed code`);
    else if (!base.passed) reasons.push("the suite already failed on the base commit, so a failing run proves nothing without test names");
    else if (!failures.some((f) => f.kind === "assertion") || wrongReason.length > 0) reasons.push(wrongReasonText(wrongReason));
  } else if (failingNewTests.length === 0 && wrongReason.length > 0) {
    reasons.push(wrongReasonText(wrongReason));
  } else if (newTests.length === 0) {
    reasons.push("the test run reports no new test (by name) compared with the base commit");
  } else if (failingNewTests.length === 0) {
    reasons.push(`the new test${newTests.length === 1 ? "" : "s"} passed on the unfixed code: ${newTests.join(", ")}`);
  }
  if (reasons.length === 0 && red.passed && failingNewTests.length > 0) {
    // A runner that exits 0 with failures is misconfigured; the names are what we trust, but say so.
    reasons.push(`the test command exited ${red.exitCode} although ${failingNewTests.length} test(s) failed; check the test command`);
  }
  return { ok: reasons.length === 0, newTests, failingNewTests, wrongReason, reasons };
}

/** The runner's error line, as quoted in the approved plan (class and message, at least 20 characters). */
function isExpectedFailure(reason: string, planText: string | undefined): boolean {
  if (!planText) return false;
  const line = reason.replace(/^(\w+) \[[\w ]+\]:/, "$1:").replace(/\s+/g, " ").trim();
  if (!/^\w*(?:Error|Exception)\b: ./.test(line) || /timed out/i.test(line) || line.length < 20) return false;
  return planText.replace(/\s+/g, " ").includes(line.slice(0, 120));
}

function wrongReasonText(wrong: RedVerdict["wrongReason"]): string {
  if (wrong.length === 0) return "the output shows no assertion failure, so the failure does not prove the bug";
  const items = wrong.map((w) => (w.test ? `${w.test}: ${w.reason}` : w.reason));
  return `the new test failed by an error, not by an assertion about the bug (${items.join("; ")})`;
}
