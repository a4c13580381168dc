import { describe, expect, it } from "vitest";
import { parseTestOutput, stripAnsi } from "./parse-test-output";

const tap = `TAP version 13
# Subtest: adds
ok 1 - adds
  ---
  duration_ms: 1.4
  ...
# Subtest: format
    # Subtest: pads cents
    not ok 1 - pads cents
      ---
      error: 'x'
      ...
    # Subtest: later
    ok 2 - later # SKIP
    1..2
not ok 2 - format
  ---
  type: 'suite'
  ...
1..2
# pass 1
`;

const pytest = `..F                                                                      [100%]
=========================== short test summary info ============================
PASSED tests/test_slugify.py::test_lowercases_words
PASSED tests/test_slugify.py::test_strips_accents
FAILED tests/test_slugify.py::test_collapses_spaces - AssertionError: assert 'a--b' == 'a-b'
ERROR tests/test_other.py::test_setup - fixture 'db' not found
1 failed, 2 passed in 0.05s
`;

describe("parseTestOutput", () => {
  it("reads node:test TAP with suites as prefixes and skips", () => {
    expect(parseTestOutput(tap)).toEqual([
      { name: "adds", status: "passed" },
      { name: "format > pads cents", status: "failed" },
      { name: "format > later", status: "skipped" },
    ]);
  });

  it("reads pytest -rA summary lines", () => {
    expect(parseTestOutput(pytest)).toEqual([
      { name: "tests/test_slugify.py::test_lowercases_words", status: "passed" },
      { name: "tests/test_slugify.py::test_strips_accents", status: "passed" },
      { name: "tests/test_slugify.py::test_collapses_spaces", status: "failed" },
      { name: "tests/test_other.py::test_setup", status: "failed" },
    ]);
  });

  it("reads vitest verbose output with colours", () => {
    const out = "\u001b[32m ✓\u001b[39m src/a.test.ts > sums 2ms\n × src/a.test.ts > pads 5ms\n ↓ src/a.test.ts > later\n";
    expect(parseTestOutput(out)).toEqual([
      { name: "src/a.test.ts > sums", status: "passed" },
      { name: "src/a.test.ts > pads", status: "failed" },
      { name: "src/a.test.ts > later", status: "skipped" },
    ]);
  });

  it("returns nothing for output it does not understand", () => {
    expect(parseTestOutput("all good\n")).toEqual([]);
    expect(stripAnsi("\u001b[31mred\u001b[0m")).toBe("red");
  });
});
