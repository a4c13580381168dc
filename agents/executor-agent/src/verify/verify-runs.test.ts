import { describe, expect, it } from "vitest";
import type { TestRunResult, TestStatus } from "@fixline/environments";
import { filesOutsideScope } from "./check-scope";
import { verifyGreen } from "./verify-green";
import { verifyRed } from "./verify-red";

function run(tests: Array<[string, TestStatus]>, exitCode?: number, output = ""): TestRunResult {
  const cases = tests.map(([name, status]) => ({ name, status }));
  const failed = cases.filter((t) => t.status === "failed").length;
  const code = exitCode ?? (failed > 0 ? 1 : 0);
  return {
    exitCode: code,
    passed: code === 0,
    durationMs: 10,
    output,
    tests: cases,
    counts: { passed: cases.filter((t) => t.status === "passed").length, failed, skipped: cases.filter((t) => t.status === "skipped").length },
    timedOut: false,
    command: "npm test",
  };
}

const base = run([
  ["formats dollars", "passed"],
  ["parses", "passed"],
  ["known broken", "failed"],
]);

// node:test's spec reporter, as in shared/environments/test/fixtures/runner-output.
const failsBy = (name: string, message: string) => `✖ ${name} (1.2ms)\n  ${message}\n      at TestContext.<anonymous> (file:///w/test/price.test.js:9:10)\n`;
const assertionOutput = failsBy("pads cents", "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:");

describe("verifyRed", () => {
  it("is proven by a new test that fails on the unfixed code by an assertion", () => {
    const red = run([...base.tests.map((t) => [t.name, t.status] as [string, TestStatus]), ["pads cents", "failed"]], 1, assertionOutput);
    const verdict = verifyRed({ base, red, testFilesChanged: ["test/price.test.js"] });
    expect(verdict).toMatchObject({ ok: true, newTests: ["pads cents"], failingNewTests: ["pads cents"], wrongReason: [] });
  });

  it("is not proven by a new test that fails with a TypeError, a timeout, or an unexplained failure (issue 15)", () => {
    const tests = [...base.tests.map((t) => [t.name, t.status] as [string, TestStatus]), ["pads cents", "failed"]] as Array<[string, TestStatus]>;
    const typeError = verifyRed({ base, red: run(tests, 1, failsBy("pads cents", "TypeError: price.padCents is not a function")), testFilesChanged: ["test/price.test.js"] });
    expect(typeError.ok).toBe(false);
    expect(typeError.failingNewTests).toEqual([]);
    expect(typeError.wrongReason).toEqual([{ test: "pads cents", reason: "TypeError: price.padCents is not a function" }]);
    expect(typeError.reasons[0]).toContain("failed by an error, not by an assertion");
    const timeout = verifyRed({ base, red: run(tests, 1, failsBy("pads cents", "'test timed out after 200ms'")), testFilesChanged: ["test/price.test.js"] });
    expect(timeout.wrongReason[0]!.reason).toBe("test timed out after 200ms");
    const unexplained = verifyRed({ base, red: run(tests, 1, ""), testFilesChanged: ["test/price.test.js"] });
    expect(unexplained.ok).toBe(false);
    expect(unexplained.wrongReason[0]!.reason).toContain("does not show why");
  });

  it("a crash the approved plan quotes as the bug reproduces it; another error still does not", () => {
    const tests = [...base.tests.map((t) => [t.name, t.status] as [string, TestStatus]), ["skips removed lines", "failed"]] as Array<[string, TestStatus]>;
    const plan = "`computeTotal` reads `item.product.price` (Sentry SHOP-1A: `TypeError: Cannot read properties of undefined (reading 'price')`).";
    const crash = run(tests, 1, failsBy("skips removed lines", "TypeError: Cannot read properties of undefined (reading 'price')"));
    expect(verifyRed({ base, red: crash, testFilesChanged: ["test/total.test.js"], expectedFailure: plan })).toMatchObject({ ok: true, failingNewTests: ["skips removed lines"] });
    expect(verifyRed({ base, red: crash, testFilesChanged: ["test/total.test.js"] }).ok).toBe(false);
    const helper = run(tests, 1, failsBy("skips removed lines", "TypeError: total.skipRemoved is not a function"));
    expect(verifyRed({ base, red: helper, testFilesChanged: ["test/total.test.js"], expectedFailure: plan }).ok).toBe(false);
    // The class alone is not enough.
    expect(verifyRed({ base, red: helper, testFilesChanged: ["test/total.test.js"], expectedFailure: "it throws a TypeError" }).ok).toBe(false);
  });

  it("a test file that does not load is the wrong reason, even though the file shows up as a failing test", () => {
    const output = "SyntaxError: The requested module '../src/price.js' does not provide an export named 'padCents'\n✖ test/new.test.js (81.3ms)\n  'test failed'\n";
    const red = run([...base.tests.map((t) => [t.name, t.status] as [string, TestStatus]), ["test/new.test.js", "failed"]], 1, output);
    const verdict = verifyRed({ base, red, testFilesChanged: ["test/new.test.js"] });
    expect(verdict.ok).toBe(false);
    expect(verdict.wrongReason).toEqual([{ test: "test/new.test.js", reason: "test failed" }]);
  });

  it("is not proven when the new test already passes", () => {
    const red = run([["formats dollars", "passed"], ["parses", "passed"], ["known broken", "failed"], ["pads cents", "passed"]]);
    const verdict = verifyRed({ base, red, testFilesChanged: ["test/price.test.js"] });
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.join()).toContain("passed on the unfixed code: pads cents");
  });

  it("does not count a test that already failed on the base", () => {
    const verdict = verifyRed({ base, red: base, testFilesChanged: ["test/price.test.js"] });
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.join()).toContain("no new test");
  });

  it("needs a changed test file", () => {
    const red = run([["formats dollars", "passed"], ["pads cents", "failed"]]);
    expect(verifyRed({ base, red, testFilesChanged: [] }).reasons).toContain("no test file was added or changed");
  });

  it("falls back to exit codes and the output when the runner names no tests", () => {
    expect(verifyRed({ base: run([], 0), red: run([], 1, "There was 1 failure:\n\n1) PriceTest::testPads\nFailed asserting that '$1.5' is identical to '$1.05'."), testFilesChanged: ["t.test.js"] }).ok).toBe(true);
    expect(verifyRed({ base: run([], 0), red: run([], 1, "error[E0425]: cannot find function `addx` in this scope"), testFilesChanged: ["t.test.js"] }).reasons[0]).toContain("not by an assertion");
    expect(verifyRed({ base: run([], 0), red: run([], 1, "make: *** [test] Error 1"), testFilesChanged: ["t.test.js"] }).ok).toBe(false);
    expect(verifyRed({ base: run([], 0), red: run([], 0), testFilesChanged: ["t.test.js"] }).ok).toBe(false);
    expect(verifyRed({ base: run([], 1), red: run([], 1), testFilesChanged: ["t.test.js"] }).ok).toBe(false);
  });
});

describe("verifyGreen", () => {
  const green = (tests: Array<[string, TestStatus]>) => run(tests);
  const input = { base: run([["formats dollars", "passed"], ["parses", "passed"]]), redTests: ["pads cents"], modifiedRedTestFiles: [], allowsTestChanges: false };

  it("accepts a full pass with the red test passing", () => {
    expect(verifyGreen({ ...input, green: green([["formats dollars", "passed"], ["parses", "passed"], ["pads cents", "passed"]]) })).toEqual({
      ok: true,
      reasons: [],
      regressions: [],
    });
  });

  it("flags a fix that breaks another test", () => {
    const verdict = verifyGreen({ ...input, green: green([["formats dollars", "failed"], ["parses", "passed"], ["pads cents", "passed"]]) });
    expect(verdict.ok).toBe(false);
    expect(verdict.regressions).toEqual(["formats dollars"]);
  });

  it("flags a deleted red test and a deleted old test", () => {
    const verdict = verifyGreen({ ...input, green: green([["parses", "passed"]]) });
    expect(verdict.reasons.join("\n")).toContain('red test "pads cents" is missing');
    expect(verdict.regressions).toEqual(["formats dollars"]);
  });

  it("flags modified red test files unless the plan allows it", () => {
    const all = green([["formats dollars", "passed"], ["parses", "passed"], ["pads cents", "passed"]]);
    expect(verifyGreen({ ...input, green: all, modifiedRedTestFiles: ["test/price.test.js"] }).reasons).toEqual(["red tests were modified: test/price.test.js"]);
    expect(verifyGreen({ ...input, green: all, modifiedRedTestFiles: ["test/price.test.js"], allowsTestChanges: true }).ok).toBe(true);
  });

  it("never trusts a run that exits non-zero, whatever the names say", () => {
    const lying = run([["formats dollars", "passed"], ["parses", "passed"], ["pads cents", "passed"]], 1);
    expect(verifyGreen({ ...input, green: lying }).reasons[0]).toContain("the suite fails (exit 1");
  });
});

describe("filesOutsideScope", () => {
  it("lists changed files the plan did not name, ignoring PLAN.md", () => {
    expect(filesOutsideScope(["PLAN.md", "src/price.js", "src/other.js", "lib/a/b.js"], ["src/price.js", "lib/"])).toEqual(["src/other.js"]);
  });
});
