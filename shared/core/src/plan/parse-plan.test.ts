import { describe, expect, it } from "vitest";
import { parsePlan } from "./parse-plan";
import { goodPlan } from "./plan-fixture.test-data";

describe("parsePlan", () => {
  it("extracts the summary, paths, failing test and test command", () => {
    const plan = parsePlan(goodPlan);
    expect(plan.summary).toMatch(/^The cart page crashes/);
    expect(plan.rootCause).toContain("src/cart/total.js:8");
    expect(plan.affectedFiles).toEqual(["src/cart/total.js", "test/total.test.js"]);
    expect(plan.failingTest).toEqual({
      file: "test/total.test.js",
      name: "skips lines whose product was removed",
      asserts: expect.stringContaining("today it throws"),
    });
    expect(plan.testCommand).toBe("node --test");
  });

  it("takes an inline test command and tolerates a missing test section", () => {
    const plan = parsePlan("## Summary\nx\n## Test command\nRun `npm test -- cart`.\n");
    expect(plan.testCommand).toBe("npm test -- cart");
    expect(plan.failingTest).toEqual({ file: undefined, name: undefined, asserts: undefined });
    expect(plan.affectedFiles).toEqual([]);
  });
});
