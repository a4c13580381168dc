import type { FakeClaudeScenario } from "@fixline/testing";

/** Task titles containing this marker make the planning run crash (CLAUDE_CRASHED), for failure traffic. */
export const crashMarker = "BENCH-CRASH";
/** Task titles containing this marker make the planning run end on its budget (BUDGET_EXHAUSTED). */
export const budgetMarker = "BENCH-BUDGET";

/** PLAN.md for the shop sample's real bug, with every section the planning agent validates. */
export function shopPlan(testCommand: string): string {
  return `# Plan: skip cart lines whose product was removed

## Summary
The cart page throws \`TypeError: Cannot read properties of undefined (reading 'price')\` when a cart line's product was removed from the catalogue.

## Root cause
\`computeTotal\` in \`src/cart/total.js:8\` reads \`item.product.price\` for every line, but lines whose product was removed keep \`product: undefined\`.

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
- Totals silently drop removed products; the cart page already shows them as unavailable.

## Test command
\`\`\`
${testCommand}
\`\`\`
`;
}

const redTest = `import { test } from "node:test";
import assert from "node:assert/strict";
import { computeTotal } from "../src/cart/total.js";

test("sums price times quantity", () => {
  const items = [
    { product: { price: 250 }, quantity: 2 },
    { product: { price: 100 }, quantity: 1 },
  ];
  assert.equal(computeTotal(items), 600);
});

test("an empty cart costs nothing", () => {
  assert.equal(computeTotal([]), 0);
});

test("skips lines whose product was removed", () => {
  assert.equal(computeTotal([{ product: { price: 100 }, quantity: 1 }, { quantity: 2 }]), 100);
});
`;

const fixedSource = `/**
 * The cart total in cents: each line's product price times its quantity.
 * @param {Array<{ product?: { price: number }, quantity: number }>} items
 */
export function computeTotal(items) {
  // Lines whose product was removed from the catalogue keep \`product\` undefined until the cart is refreshed.
  return items.reduce((sum, item) => (item.product ? sum + item.product.price * item.quantity : sum), 0);
}
`;

/**
 * An instant agent: every run is a few file writes and a result line, no sleeps, so what a task costs
 * beyond the fake's own (recorded) run time is Fixline's orchestration. Runs are picked by prompt, never
 * by order, because several processes share the scenario.
 */
export function instantScenario(testCommand: string): FakeClaudeScenario {
  return {
    runs: [
      { match: "STEP 1 of 2", steps: [{ type: "write", path: "test/total.test.js", content: redTest }, { type: "result", result: "The new test fails as expected.", costUsd: 0.04 }] },
      { match: "red step is NOT proven", steps: [{ type: "write", path: "test/total.test.js", content: redTest }, { type: "result", result: "Test rewritten.", costUsd: 0.02 }] },
      { match: "STEP 2 of 2", steps: [{ type: "write", path: "src/cart/total.js", content: fixedSource }, { type: "result", result: "All tests pass.", costUsd: 0.06 }] },
      { match: crashMarker, steps: [{ type: "text", text: "starting" }, { type: "stderr", text: "TypeError: cannot read properties of undefined" }, { type: "exit", code: 1 }] },
      { match: budgetMarker, steps: [{ type: "text", text: "working" }, { type: "result", subtype: "error_max_budget_usd", costUsd: 0.5, errors: ["Reached maximum budget ($0.5)"] }] },
      // Everything else is a planning run.
      { steps: [{ type: "text", text: "Reading src/cart/total.js" }, { type: "write", path: "PLAN.md", content: shopPlan(testCommand) }, { type: "result", result: "Plan written.", costUsd: 0.12 }] },
    ],
  };
}
