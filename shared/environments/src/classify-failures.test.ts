import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { classifyFailures, failureMatchesTest, type FailureKind } from "./classify-failures";

// Real output, captured on this machine (see ../README.md "How a red test's failure is classified"): each
// case is a suite with one passing test plus one new test that fails for the reason in the file name.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), "../test/fixtures/runner-output");
const read = (name: string) => readFileSync(join(fixtures, `${name}.txt`), "utf8");
const kinds = (name: string) => classifyFailures(read(name)).map((f) => [f.test ?? f.file, f.kind] as [string | undefined, FailureKind]);

describe("classifyFailures on real runner output", () => {
  it.each([
    ["node-spec-assertion", "pads single-digit cents", "assertion"],
    ["node-tap-assertion", "pads single-digit cents", "assertion"],
    ["node-spec-type-error", "pads single-digit cents", "error"],
    ["node-tap-type-error", "pads single-digit cents", "error"],
    ["node-spec-reference-error", "pads single-digit cents", "error"],
    ["node-tap-reference-error", "pads single-digit cents", "error"],
    ["node-spec-timeout", "pads single-digit cents", "error"],
    ["node-tap-timeout", "pads single-digit cents", "error"],
    // A file that does not load is reported as one failing "test" named after the file.
    ["node-spec-import-error", "test/new.test.js", "error"],
    ["node-tap-import-error", "test/new.test.js", "error"],
    ["node-spec-syntax-error", "test/new.test.js", "error"],
    ["node-tap-syntax-error", "test/new.test.js", "error"],
    ["vitest-default-assertion", "pads single-digit cents", "assertion"],
    ["vitest-verbose-assertion", "pads single-digit cents", "assertion"],
    ["vitest-verbose-node-assert", "pads single-digit cents", "assertion"],
    ["vitest-default-type-error", "pads single-digit cents", "error"],
    ["vitest-verbose-type-error", "pads single-digit cents", "error"],
    ["vitest-verbose-timeout", "pads single-digit cents", "error"],
    ["vitest-default-import-error", "test/new.test.js", "error"],
    ["vitest-verbose-syntax-error", "test/new.test.js", "error"],
    ["pytest-assertion", "test_collapses_spaces", "assertion"],
    ["pytest-assertion-raise", "test_collapses_spaces", "assertion"],
    ["pytest-type-error", "test_collapses_spaces", "error"],
    ["pytest-attribute-error", "test_collapses_spaces", "error"],
    ["pytest-name-error", "test_collapses_spaces", "error"],
    ["pytest-import-error", "tests/test_new.py", "error"],
    ["pytest-syntax-error", "tests/test_new.py", "error"],
    ["unittest-assertion", "test_new.New.test_collapses_spaces", "assertion"],
    ["unittest-type-error", "test_new.New.test_collapses_spaces", "error"],
    ["unittest-import-error", "unittest.loader._FailedTest.test_new", "error"],
    ["cargo-assertion", "tests::adds_two", "assertion"],
    ["cargo-assert-macro", "tests::adds_two", "assertion"],
    ["cargo-panic", "tests::adds_two", "error"],
  ] as const)("%s: %s fails by %s", (fixture, test, kind) => {
    const found = kinds(fixture);
    expect(found.length).toBeGreaterThan(0);
    // Every failure the output explains agrees (a recap or summary line never contradicts the block).
    expect(new Set(found.map(([, k]) => k))).toEqual(new Set([kind]));
    expect(found.map(([name]) => name)).toContain(test);
  });

  it("a compile error (cargo) is an error with no test", () => {
    expect(classifyFailures(read("cargo-compile-error"))[0]).toMatchObject({ test: undefined, kind: "error", reason: expect.stringContaining("error[E0425]") });
  });

  it("keeps the deciding line as the reason", () => {
    expect(classifyFailures(read("node-spec-type-error"))[0]!.reason).toBe("TypeError: price.padCents is not a function");
    expect(classifyFailures(read("pytest-assertion"))[0]!.reason).toContain("AssertionError: assert 'a--b' == 'a-b'");
    expect(classifyFailures(read("vitest-default-import-error"))[0]!.reason).toContain("Cannot find module '../src/missing.js'");
  });
});

// Not installed on this machine (go, jest, phpunit; maven cannot resolve its plugins offline): the rules follow
// each runner's documented output format, shown here in the shape the runner prints. Not real captures.
describe("classifyFailures on the documented formats of runners not installed here", () => {
  it("go test: t.Errorf's file:line is an assertion; a panic or a build failure is not", () => {
    const assertion = ["=== RUN   TestAdd", "    calc_test.go:9: Add(1, 2) = 4, want 3", "--- FAIL: TestAdd (0.00s)", "FAIL", "FAIL\texample.com/calc\t0.002s"].join("\n");
    expect(classifyFailures(assertion)).toEqual([{ test: "TestAdd", kind: "assertion", reason: "calc_test.go:9: Add(1, 2) = 4, want 3" }]);
    // Subtests: their log lines come under their own result line, inside the parent's.
    const table = ["=== RUN   TestTable", "=== RUN   TestTable/negative", "--- FAIL: TestTable (0.00s)", "    --- FAIL: TestTable/negative (0.00s)", "        calc_test.go:20: got 1, want -1", "FAIL"].join("\n");
    expect(classifyFailures(table)).toEqual([{ test: "TestTable/negative", kind: "assertion", reason: "calc_test.go:20: got 1, want -1" }]);
    const panic = ["=== RUN   TestAdd", "--- FAIL: TestAdd (0.00s)", "panic: runtime error: index out of range [1] with length 0 [recovered]", "FAIL\texample.com/calc\t0.002s"].join("\n");
    expect(classifyFailures(panic).map((f) => f.kind)).toEqual(["error"]);
    expect(classifyFailures("# example.com/calc [example.com/calc.test]\n./calc_test.go:9:9: undefined: Addx\nFAIL\texample.com/calc [build failed]")).toEqual([{ test: undefined, kind: "error", reason: "FAIL\texample.com/calc [build failed]" }]);
  });

  it("jest: a matcher hint is an assertion; an error or a suite that failed to run is not", () => {
    const assertion = ["  ● price › pads single-digit cents", "", "    expect(received).toBe(expected) // Object.is equality", "", '    Expected: "$1.05"'].join("\n");
    expect(classifyFailures(assertion)).toEqual([{ test: "price > pads single-digit cents", kind: "assertion", reason: "expect(received).toBe(expected) // Object.is equality" }]);
    expect(classifyFailures("  ● price › pads single-digit cents\n\n    TypeError: padCents is not a function")[0]!.kind).toBe("error");
    expect(classifyFailures("  ● Test suite failed to run\n\n    Cannot find module '../src/missing'")[0]).toMatchObject({ test: undefined, kind: "error" });
  });

  it("phpunit: the failures section is assertions, the errors section is not", () => {
    const output = ["There was 1 error:", "", "1) PriceTest::testRounds", "Error: Call to undefined function padCents()", "", "--", "", "There was 1 failure:", "", "1) PriceTest::testPads", "Failed asserting that '$1.5' is identical to '$1.05'."].join("\n");
    expect(classifyFailures(output).map((f) => [f.test, f.kind])).toEqual([["PriceTest::testRounds", "error"], ["PriceTest::testPads", "assertion"]]);
  });

  it("maven surefire: expected/but was is an assertion, » Exception is not", () => {
    const output = ["[ERROR] Failures: ", "[ERROR]   CalcTest.addsTwo:6 expected: <3> but was: <1>", "[ERROR] Errors: ", "[ERROR]   CalcTest.nameLength:7 » NullPointer Cannot invoke \"String.length()\""].join("\n");
    expect(classifyFailures(output).map((f) => [f.test, f.kind])).toEqual([["CalcTest.addsTwo", "assertion"], ["CalcTest.nameLength", "error"]]);
  });
});

describe("failureMatchesTest", () => {
  it("matches the executor's file-qualified names", () => {
    expect(failureMatchesTest({ test: "pads single-digit cents", file: "test/new.test.js", kind: "assertion", reason: "" }, "test/new.test.js > pads single-digit cents")).toBe(true);
    expect(failureMatchesTest({ test: "test_collapses_spaces", kind: "assertion", reason: "" }, "tests/test_new.py::test_collapses_spaces")).toBe(true);
    expect(failureMatchesTest({ test: undefined, file: "tests/test_new.py", kind: "error", reason: "" }, "tests/test_new.py::test_collapses_spaces")).toBe(true);
    expect(failureMatchesTest({ test: "adds", kind: "assertion", reason: "" }, "pads single-digit cents")).toBe(false);
  });
});
