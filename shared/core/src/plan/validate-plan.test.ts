import { describe, expect, it } from "vitest";
import { goodPlan } from "./plan-fixture.test-data";
import { requiredPlanSections } from "./plan-sections";
import { validatePlan } from "./validate-plan";

describe("validatePlan", () => {
  it("accepts a plan with every required section", () => {
    const result = validatePlan(goodPlan);
    expect(result).toMatchObject({ ok: true, missing: [], problems: [] });
    expect(Object.keys(result.sections)).toEqual([...requiredPlanSections]);
  });

  it("names each missing or empty section", () => {
    const withoutRisks = goodPlan.replace(/## Risks\n- None known.\n/, "");
    expect(validatePlan(withoutRisks)).toMatchObject({ ok: false, missing: ["Risks"] });
    const emptyFix = goodPlan.replace("1. Skip lines without a product in `computeTotal`.", "");
    expect(validatePlan(emptyFix).missing).toEqual(["Fix steps"]);
    expect(validatePlan(null).missing).toEqual([...requiredPlanSections]);
  });

  it("requires the exact heading text and level", () => {
    expect(validatePlan(goodPlan.replace("## Root cause", "## Root Cause")).missing).toEqual(["Root cause"]);
    expect(validatePlan(goodPlan.replace("## Summary", "### Summary")).missing).toEqual(["Summary"]);
  });

  it("ignores headings inside code fences", () => {
    const fenced = goodPlan.replace("## Risks\n- None known.\n", "```\n## Risks\nnone\n```\n");
    expect(validatePlan(fenced).missing).toContain("Risks");
  });

  it("reports sections out of order and affected files without paths", () => {
    const swapped = goodPlan.replace("## Summary", "## Tmp").replace("## Risks", "## Summary").replace("## Tmp", "## Risks");
    expect(validatePlan(swapped).problems[0]).toMatch(/out of order/);
    const noPaths = goodPlan.replace("- `src/cart/total.js`\n- `./test/total.test.js`", "the cart module");
    expect(validatePlan(noPaths).problems).toEqual([expect.stringMatching(/Affected files/)]);
  });
});
