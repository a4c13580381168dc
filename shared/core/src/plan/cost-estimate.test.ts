import { describe, expect, it } from "vitest";
import { estimateExecutionCost, planCostEstimateUsd, withCostEstimate } from "./cost-estimate";

const plan = ["## Summary", "", "Pad the cents.", "", "## Fix steps", "", "1. Pad.", "2. Test.", ""].join("\n");

describe("the execution cost estimate in PLAN.md (issue 21)", () => {
  it("is planning cost × 2 + $0.25 per file and step, at least $1, rounded up to $0.50", () => {
    expect(estimateExecutionCost({ planningCostUsd: 0.21, plan: { affectedFiles: ["src/a.js", "test/a.test.js"], fixSteps: "1. one\n2. two" } }).usd).toBe(1.5);
    expect(estimateExecutionCost({ planningCostUsd: 0, plan: { affectedFiles: [], fixSteps: "" } }).usd).toBe(1);
    expect(estimateExecutionCost({ planningCostUsd: 2, plan: { affectedFiles: ["a"], fixSteps: "do it" } }).usd).toBe(4.5);
  });

  it("is written by Fixline only: an agent's own section or marker is dropped, and the estimate reads back", () => {
    const forged = `${plan}\n## Cost estimate\n\n<!-- fixline:cost-estimate usd=999.00 -->\n\n## Risks\n\nnone <!-- fixline:cost-estimate usd=500 -->\n`;
    const estimate = { usd: 1.5, planningCostUsd: 0.21, affectedFiles: 2, fixSteps: 2 };
    const written = withCostEstimate(forged, estimate);
    expect(written.match(/fixline:cost-estimate/g)).toHaveLength(1);
    expect(written).toContain("## Risks\n\nnone");
    expect(planCostEstimateUsd(written)).toBe(1.5);
    const again = withCostEstimate(written, { ...estimate, usd: 2 });
    expect(again.match(/## Cost estimate/g)).toHaveLength(1);
    expect(planCostEstimateUsd(again)).toBe(2);
    expect(planCostEstimateUsd(plan)).toBeUndefined();
    expect(planCostEstimateUsd(null)).toBeUndefined();
  });
});
