import { describe, expect, it } from "vitest";
import type { TestRunResult, TestStatus } from "@fixline/environments";
import { filesOutsideScope } from "./check-scope";
import { verifyGreen } from "./verify-green";
import { verifyRed } from "./verify-red";

function run(tests: Array<[string, TestStatus]>, exitCode?: number): TestRunResult {
  const cases = tests.map(([name, status]) => ({ name, status }));
  const failed = cases.filter((t) => t.status === "failed").length;
  const code = exitCode ?? (failed > 0 ? 1 : 0);
  return {
    exitCode: code,
    passed: code === 0,
    durationMs: 10,
    output: "",
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

describe("verifyRed", () => {
  it("is proven by a new test that fails on the unfixed code", () => {
    const red = run([...base.tests.map((t) => [t.name, t.status] as [string, TestStatus]), ["pads cents", "failed"]]);
    const verdict = verifyRed({ base, red, testFilesChanged: ["test/price.test.js"] });
    expect(verdict).toMatchObject({ ok: true, newTests: ["pads cents"], failingNewTests: ["pads cents"] });
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

  it("falls back to exit codes when the runner names no tests", () => {
    expect(verifyRed({ base: run([], 0), red: run([], 1), testFilesChanged: ["t.test.js"] }).ok).toBe(true);
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
