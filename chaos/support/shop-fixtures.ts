import { readFileSync } from "node:fs";
import type { FakeClaudeRun, FakeClaudeScenario, FakeClaudeStep } from "@fixline/testing";
import { sampleRepos } from "@fixline/testing";

/** PLAN.md for the shop sample's real bug (computeTotal throws on a removed product), as the planner writes it. */
export const shopPlan = `# Plan: skip lines whose product was removed

## Summary
The cart page throws \`TypeError: Cannot read properties of undefined (reading 'price')\` when a cart line's product was removed.

## Root cause
\`computeTotal\` in \`src/cart/total.js:8\` reads \`item.product.price\` for every line, but removed products leave \`product\` undefined.

## Affected files
- \`src/cart/total.js\`
- \`test/total.test.js\`

## Failing test to write first
- File: \`test/total.test.js\`
- Name: \`skips lines whose product was removed\`
- Asserts: \`computeTotal([{ product: { price: 100 }, quantity: 1 }, { quantity: 2 }])\` returns \`100\`; today it throws a TypeError.

## Fix steps
1. In \`computeTotal\`, add nothing for a line without a product.

## Risks
- Totals silently drop removed products.

## Test command
\`\`\`
node --test
\`\`\`
`;

const originalTest = readFileSync(`${sampleRepos.shop}/test/total.test.js`, "utf8");
const originalSource = readFileSync(`${sampleRepos.shop}/src/cart/total.js`, "utf8");

/** The honest red test: the original suite plus the test that reproduces the bug. */
export const redTest = `${originalTest}
test("skips lines whose product was removed", () => {
  assert.equal(computeTotal([{ product: { price: 100 }, quantity: 1 }, { quantity: 2 }]), 100);
});
`;

export const fixedSource = originalSource.replace("return sum + item.product.price * item.quantity;", "return item.product ? sum + item.product.price * item.quantity : sum;");
if (fixedSource === originalSource) throw new Error("the shop sample changed: fixedSource no longer applies");

/**
 * The fake Claude for a whole flow on the shop sample: planning writes PLAN.md, red writes the failing test,
 * green the fix. `thinkMs` keeps each run alive for a while first, so chaos has a Claude process to hit.
 */
export function shopScenario(thinkMs: number): FakeClaudeScenario {
  const think: FakeClaudeStep[] = thinkMs > 0 ? [{ type: "text", text: "Reading the code" }, { type: "sleep", ms: thinkMs }] : [];
  const red: FakeClaudeStep[] = [...think, { type: "write", path: "test/total.test.js", content: redTest }, { type: "result", result: "The new test fails.", costUsd: 0.05 }];
  const runs: FakeClaudeRun[] = [
    { match: "STEP 1 of 2", steps: red },
    { match: "red step is NOT proven", steps: red },
    { match: "STEP 2 of 2", steps: [...think, { type: "write", path: "src/cart/total.js", content: fixedSource }, { type: "result", result: "Fixed.", costUsd: 0.05 }] },
    { steps: [...think, { type: "write", path: "PLAN.md", content: shopPlan }, { type: "result", result: "Plan written.", costUsd: 0.1 }] },
  ];
  return { runs };
}
