import { describe, expect, it } from "vitest";
import { createTestOutputParser, maxRecordedTests, parseTestOutput } from "./parse-test-output";

// Outputs captured from the real runners (node 24, vitest 4, pytest 9, python 3.11 unittest, cargo 1.95) on a
// suite with one passing, one failing and one skipped test (plus one more passing test where noted).
const nodeSpec = "\u25b6 math\n  \u2714 adds (5.664912ms)\n  \u2716 subtracts (4.463413ms)\n    AssertionError [ERR_ASSERTION]: 1 == 0\n        at TestContext.<anonymous> (file:///tmp/envsamples/a.test.mjs:5:34)\n        at Test.runInAsyncScope (node:async_hooks:206:9)\n        at Test.run (node:internal/test_runner/test:796:25)\n        at Suite.processPendingSubtests (node:internal/test_runner/test:526:18)\n        at Test.postRun (node:internal/test_runner/test:889:19)\n        at Test.run (node:internal/test_runner/test:835:12)\n        at async Promise.all (index 0)\n        at async Suite.run (node:internal/test_runner/test:1135:7)\n        at async Test.processPendingSubtests (node:internal/test_runner/test:526:7) {\n      generatedMessage: true,\n      code: 'ERR_ASSERTION',\n      actual: 1,\n      expected: 0,\n      operator: '=='\n    }\n\n\u2716 math (11.862997ms)\n\u2714 top level (3.622702ms)\n\ufe63 skipped one (0.265916ms) # SKIP\n\u2139 tests 4\n\u2139 suites 1\n\u2139 pass 2\n\u2139 fail 1\n\u2139 cancelled 0\n\u2139 skipped 1\n\u2139 todo 0\n\u2139 duration_ms 492.687224\n\n\u2716 failing tests:\n\ntest at a.test.mjs:5:3\n\u2716 subtracts (4.463413ms)\n  AssertionError [ERR_ASSERTION]: 1 == 0\n      at TestContext.<anonymous> (file:///tmp/envsamples/a.test.mjs:5:34)\n      at Test.runInAsyncScope (node:async_hooks:206:9)\n      at Test.run (node:internal/test_runner/test:796:25)\n      at Suite.processPendingSubtests (node:internal/test_runner/test:526:18)\n      at Test.postRun (node:internal/test_runner/test:889:19)\n      at Test.run (node:internal/test_runner/test:835:12)\n      at async Promise.all (index 0)\n      at async Suite.run (node:internal/test_runner/test:1135:7)\n      at async Test.processPendingSubtests (node:internal/test_runner/test:526:7) {\n    generatedMessage: true,\n    code: 'ERR_ASSERTION',\n    actual: 1,\n    expected: 0,\n    operator: '=='\n  }\n";
const nodeTap = "TAP version 13\n# Subtest: math\n    # Subtest: adds\n    ok 1 - adds\n      ---\n      duration_ms: 3.999683\n      ...\n    # Subtest: subtracts\n    not ok 2 - subtracts\n      ---\n      duration_ms: 1.156731\n      location: '/tmp/envsamples/a.test.mjs:5:3'\n      failureType: 'testCodeFailure'\n      error: '1 == 0'\n      code: 'ERR_ASSERTION'\n      name: 'AssertionError'\n      expected: 0\n      actual: 1\n      operator: '=='\n      stack: |-\n        TestContext.<anonymous> (file:///tmp/envsamples/a.test.mjs:5:34)\n        Test.runInAsyncScope (node:async_hooks:206:9)\n        Test.run (node:internal/test_runner/test:796:25)\n        Suite.processPendingSubtests (node:internal/test_runner/test:526:18)\n        Test.postRun (node:internal/test_runner/test:889:19)\n        Test.run (node:internal/test_runner/test:835:12)\n        async Promise.all (index 0)\n        async Suite.run (node:internal/test_runner/test:1135:7)\n        async Test.processPendingSubtests (node:internal/test_runner/test:526:7)\n      ...\n    1..2\nnot ok 1 - math\n  ---\n  duration_ms: 10.126733\n  type: 'suite'\n  location: '/tmp/envsamples/a.test.mjs:3:1'\n  failureType: 'subtestsFailed'\n  error: '1 subtest failed'\n  code: 'ERR_TEST_FAILURE'\n  ...\n# Subtest: top level\nok 2 - top level\n  ---\n  duration_ms: 0.140229\n  ...\n# Subtest: skipped one\nok 3 - skipped one # SKIP\n  ---\n  duration_ms: 0.094341\n  ...\n1..3\n# tests 4\n# suites 1\n# pass 2\n# fail 1\n# cancelled 0\n# skipped 1\n# todo 0\n# duration_ms 512.456715\n";
const vitestDefault = "\n RUN  v4.1.12 /tmp/envsamples\n\n \u276f v.test.ts (3 tests | 1 failed | 1 skipped) 8ms\n     \u2713 adds 1ms\n     \u00d7 subtracts 4ms\n     \u2193 later\n\n\u23af\u23af\u23af\u23af\u23af\u23af\u23af Failed Tests 1 \u23af\u23af\u23af\u23af\u23af\u23af\u23af\n\n FAIL  v.test.ts > math > subtracts\nAssertionError: expected 1 to be +0 // Object.is equality\n\n- Expected\n+ Received\n\n- 0\n+ 1\n\n \u276f v.test.ts:4:41\n      2| describe(\"math\", () => {\n      3|   test(\"adds\", () => expect(1 + 1).toBe(2));\n      4|   test(\"subtracts\", () => expect(2 - 1).toBe(0));\n       |                                         ^\n      5|   test.skip(\"later\", () => {});\n      6| });\n\n\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af[1/1]\u23af\n\n\n Test Files  1 failed (1)\n      Tests  1 failed | 1 passed | 1 skipped (3)\n   Start at  02:09:49\n   Duration  325ms (transform 14ms, setup 0ms, import 24ms, tests 8ms, environment 0ms)\n\n";
const vitestVerbose = "\n RUN  v4.1.12 /tmp/envsamples\n\n \u2713 v.test.ts > math > adds 6ms\n \u00d7 v.test.ts > math > subtracts 4ms\n   \u2192 expected 1 to be +0 // Object.is equality\n \u2193 v.test.ts > math > later\n\n\u23af\u23af\u23af\u23af\u23af\u23af\u23af Failed Tests 1 \u23af\u23af\u23af\u23af\u23af\u23af\u23af\n\n FAIL  v.test.ts > math > subtracts\nAssertionError: expected 1 to be +0 // Object.is equality\n\n- Expected\n+ Received\n\n- 0\n+ 1\n\n \u276f v.test.ts:4:41\n      2| describe(\"math\", () => {\n      3|   test(\"adds\", () => expect(1 + 1).toBe(2));\n      4|   test(\"subtracts\", () => expect(2 - 1).toBe(0));\n       |                                         ^\n      5|   test.skip(\"later\", () => {});\n      6| });\n\n\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af\u23af[1/1]\u23af\n\n\n Test Files  1 failed (1)\n      Tests  1 failed | 1 passed | 1 skipped (3)\n   Start at  02:09:50\n   Duration  279ms (transform 15ms, setup 0ms, import 25ms, tests 12ms, environment 0ms)\n\n";
const pytestVerbose = "============================= test session starts ==============================\nplatform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0 -- /root/.pyenv/versions/3.11.7/bin/python3\ncachedir: .pytest_cache\nhypothesis profile 'default'\nbenchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)\nrootdir: /tmp/envsamples\nplugins: hypothesis-6.155.2, benchmark-5.2.3\ncollecting ... collected 4 items\n\ntest_calc.py::test_add PASSED                                            [ 25%]\ntest_calc.py::test_sub FAILED                                            [ 50%]\ntest_calc.py::test_later SKIPPED (later)                                 [ 75%]\ntest_calc.py::CalcTest::test_mul PASSED                                  [100%]\n\n=================================== FAILURES ===================================\n___________________________________ test_sub ___________________________________\n\n>   def test_sub(): assert 2 - 1 == 0\n                    ^^^^^^^^^^^^^^^^^\nE   assert (2 - 1) == 0\n\ntest_calc.py:3: AssertionError\n=========================== short test summary info ============================\nFAILED test_calc.py::test_sub - assert (2 - 1) == 0\n==================== 1 failed, 2 passed, 1 skipped in 0.61s ====================\n";
const pytestQuiet = ".Fs.                                                                     [100%]\n=================================== FAILURES ===================================\n___________________________________ test_sub ___________________________________\n\n>   def test_sub(): assert 2 - 1 == 0\n                    ^^^^^^^^^^^^^^^^^\nE   assert (2 - 1) == 0\n\ntest_calc.py:3: AssertionError\n=========================== short test summary info ============================\nFAILED test_calc.py::test_sub - assert (2 - 1) == 0\n1 failed, 2 passed, 1 skipped in 0.66s\n";
const unittestVerbose = [
  "test_div (test_u.CalcTest.test_div) ... FAIL",
  "test_later (test_u.CalcTest.test_later) ... skipped 'later'",
  "test_mul (test_u.CalcTest.test_mul) ... ok",
  "",
  "FAIL: test_div (test_u.CalcTest.test_div)",
  "Ran 3 tests in 0.001s",
  "FAILED (failures=1, skipped=1)",
].join("\n");
const cargo = [
  "running 3 tests",
  "test tests::later ... ignored",
  "test tests::adds ... ok",
  "test tests::subs ... FAILED",
  "failures:",
  "test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s",
].join("\n");
const goVerbose = [
  "=== RUN   TestAdd",
  "--- PASS: TestAdd (0.00s)",
  "=== RUN   TestTable",
  "=== RUN   TestTable/zero",
  "=== RUN   TestTable/negative",
  "--- FAIL: TestTable (0.00s)",
  "    --- PASS: TestTable/zero (0.00s)",
  "    --- FAIL: TestTable/negative (0.00s)",
  "        calc_test.go:20: got 1, want -1",
  "=== RUN   TestLater",
  "    calc_test.go:25: later",
  "--- SKIP: TestLater (0.00s)",
  "FAIL",
  "FAIL\texample.com/calc\t0.004s",
].join("\n");

describe("parseTestOutput", () => {
  it("node:test spec: nested suites are not tests, and the failure recap is not counted twice", () => {
    const { tests, counts } = parseTestOutput(nodeSpec);
    expect(counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
    expect(tests).toEqual([
      { name: "adds", status: "passed" },
      { name: "subtracts", status: "failed" },
      { name: "top level", status: "passed" },
      { name: "skipped one", status: "skipped" },
    ]);
  });

  it("node:test TAP", () => {
    const { tests, counts } = parseTestOutput(nodeTap);
    expect(counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
    expect(tests.map((t) => `${t.status} ${t.name}`)).toEqual(["passed adds", "failed subtracts", "passed top level", "skipped skipped one"]);
  });

  it("vitest verbose names the file", () => {
    const { tests, counts } = parseTestOutput(vitestVerbose);
    expect(counts).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(tests).toContainEqual({ name: "math > subtracts", file: "v.test.ts", status: "failed" });
  });

  it("vitest default reporter: per-file lines are not tests; the summary gives the totals", () => {
    const { tests, counts } = parseTestOutput(vitestDefault);
    expect(counts).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(tests.find((t) => t.status === "failed")?.name).toBe("subtracts");
  });

  it("jest", () => {
    const jest = ["PASS src/a.test.js", "  cart", "    ✓ adds (3 ms)", "    ✕ removes (2 ms)", "    ○ skipped later", "Tests:       1 failed, 1 skipped, 1 passed, 3 total"].join("\n");
    const { tests, counts } = parseTestOutput(jest);
    expect(counts).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(tests.map((t) => t.name)).toEqual(["adds", "removes", "later"]);
  });

  it("pytest -v: one entry per test even though the short summary repeats failures", () => {
    const { tests, counts } = parseTestOutput(pytestVerbose);
    expect(counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
    expect(tests).toContainEqual({ name: "test_sub", file: "test_calc.py", status: "failed" });
    expect(tests).toContainEqual({ name: "CalcTest::test_mul", file: "test_calc.py", status: "passed" });
  });

  it("pytest -q: failures from the short summary, totals from the last line", () => {
    const { tests, counts } = parseTestOutput(pytestQuiet);
    expect(counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
    expect(tests).toEqual([{ name: "test_sub", file: "test_calc.py", status: "failed" }]);
  });

  it("unittest -v", () => {
    const { tests, counts } = parseTestOutput(unittestVerbose);
    expect(counts).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(tests[0]).toEqual({ name: "test_u.CalcTest.test_div", status: "failed" });
  });

  it("go test -v: subtests replace their parent", () => {
    const { tests, counts } = parseTestOutput(goVerbose);
    expect(tests.map((t) => `${t.status} ${t.name}`)).toEqual(["passed TestAdd", "passed TestTable/zero", "failed TestTable/negative", "skipped TestLater"]);
    expect(counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
  });

  it("cargo test", () => {
    const { tests, counts } = parseTestOutput(cargo);
    expect(counts).toEqual({ passed: 1, failed: 1, skipped: 1 });
    expect(tests.map((t) => t.name)).toContain("tests::subs");
  });

  it("summary-only runners: Maven Surefire and PHPUnit", () => {
    expect(parseTestOutput("[ERROR] Tests run: 5, Failures: 1, Errors: 1, Skipped: 1").counts).toEqual({ passed: 2, failed: 2, skipped: 1 });
    expect(parseTestOutput("OK (4 tests, 9 assertions)").counts).toEqual({ passed: 4, failed: 0, skipped: 0 });
    expect(parseTestOutput("Tests: 4, Assertions: 6, Failures: 1, Skipped: 1.").counts).toEqual({ passed: 2, failed: 1, skipped: 1 });
  });

  it("text that is not test output yields nothing", () => {
    expect(parseTestOutput("added 1 package in 1s\nok\nnot much").counts).toEqual({ passed: 0, failed: 0, skipped: 0 });
  });

  it("caps the recorded tests but keeps counting", () => {
    const parser = createTestOutputParser();
    for (let i = 0; i < maxRecordedTests + 10; i++) parser.push(`ok ${i + 1} - test ${i}`);
    const { tests, counts } = parser.result();
    expect(tests).toHaveLength(maxRecordedTests);
    expect(counts.passed).toBe(maxRecordedTests + 10);
  });
});
