import { parseTestOutput } from "@fixline/environments";
import { describe, expect, it } from "vitest";
import { qualifiedTestName } from "./qualified-test-name";

describe("qualifiedTestName", () => {
  it("puts the file back the way pytest and vitest print it, and leaves file-less names alone", () => {
    const pytest = parseTestOutput("tests/test_a.py::test_x PASSED\ntests/test_b.py::test_x FAILED\n").tests.map(qualifiedTestName);
    expect(pytest).toEqual(["tests/test_a.py::test_x", "tests/test_b.py::test_x"]);
    expect(qualifiedTestName({ name: "sums", file: "src/a.test.ts" })).toBe("src/a.test.ts > sums");
    expect(qualifiedTestName({ name: "pads cents" })).toBe("pads cents");
  });
});
