import { describe, expect, it } from "vitest";
import { isTestFile } from "./is-test-file";

describe("isTestFile", () => {
  it.each([
    "test/price.test.js",
    "tests/test_slugify.py",
    "src/__tests__/cart.ts",
    "spec/models/user_spec.rb",
    "src/cart/total.test.ts",
    "src/cart/total.spec.mjs",
    "pkg/slug_test.go",
    "slugkit/test_helpers.py",
    "slugkit/slug_test.py",
  ])("%s is a test file", (path) => expect(isTestFile(path)).toBe(true));

  it.each(["src/price.js", "slugkit/slugify.py", "testing.md", "src/contest.ts", "PLAN.md", "src/latest/x.js"])("%s is not", (path) =>
    expect(isTestFile(path)).toBe(false),
  );
});
