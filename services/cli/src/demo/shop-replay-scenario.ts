import type { FakeClaudeScenario, FakeClaudeStep } from "@fixline/testing";

/**
 * The replay agent: what a careful Claude run does on the shop sample's real bug (computeTotal throws on a
 * cart line whose product was removed), played back by the fake CLI. Every step really happens in the
 * worktree (files written, the suite run), so the harness's red/green proof is genuine; only the model is
 * replaced. Costs are scripted so the demo and the metrics tests can check they are counted once.
 */

export const replayCosts = { planning: 0.21, replanning: 0.17, red: 0.34, green: 0.29 } as const;

export function shopPlan(fix = "skip lines whose product was removed"): string {
  return `# Plan: ${fix}

## Summary
computeTotal throws a TypeError for a cart line whose product was removed; ${fix}.

## Root cause
\`computeTotal\` in \`src/cart/total.js:8\` reads \`item.product.price\` for every line, but lines whose product was removed from the catalogue keep \`product: undefined\` until the cart is refreshed (Sentry SHOP-1A: \`TypeError: Cannot read properties of undefined (reading 'price')\`).

## Affected files
- \`src/cart/total.js\`
- \`test/total.test.js\`

## Failing test to write first
- File: \`test/total.test.js\`
- Name: \`skips lines whose product was removed\`
- Asserts: \`computeTotal([{ product: { price: 100 }, quantity: 1 }, { quantity: 2 }])\` returns \`100\`; today it throws a TypeError.

## Fix steps
1. In \`computeTotal\` (\`src/cart/total.js\`), ${fix}.
2. Run \`node --test\`; the new test and the existing suite pass.

## Risks
- Totals silently drop removed products; the cart page already shows them as unavailable.

## Test command
\`\`\`
node --test
\`\`\`
`;
}

/** The shop sample's test/total.test.js plus the test that reproduces the bug. */
export const shopRedTest = `import { test } from "node:test";
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

/** The fix: a line without a product adds nothing. */
export const shopFixedTotal = `/**
 * The cart total in cents: each line's product price times its quantity.
 * @param {Array<{ product?: { price: number }, quantity: number }>} items
 */
export function computeTotal(items) {
  // Lines whose product was removed from the catalogue keep \`product\` undefined until the cart is refreshed.
  return items.reduce((sum, item) => {
    if (!item.product) return sum;
    return sum + item.product.price * item.quantity;
  }, 0);
}
`;

function planningSteps(plan: string, costUsd: number): FakeClaudeStep[] {
  return [
    { type: "text", text: "Reading the Sentry stack trace: computeTotal (src/cart/total.js:8)." },
    { type: "bash", command: "git log --oneline -5" },
    { type: "text", text: "Lines whose product was removed keep product undefined; computeTotal reads item.product.price." },
    { type: "write", path: "PLAN.md", content: plan },
    { type: "result", result: "PLAN.md written.", costUsd, numTurns: 6, usage: { input: 5_200, output: 900, cacheRead: 12_000 } },
  ];
}

export interface ShopReplayOptions {
  /** What a re-plan (after `@agent reject <feedback>`) proposes instead. */
  replanFix?: string;
}

/**
 * Plan, re-plan, red and green for the shop bug, each run picked by its prompt (see the agents' prompts:
 * "This is a re-plan", "STEP 1 of 2", "red step is NOT proven", "STEP 2 of 2"); the plan run is the default.
 */
export function shopReplayScenario(options: ShopReplayOptions = {}): FakeClaudeScenario {
  const red: FakeClaudeStep[] = [
    { type: "text", text: "Writing the failing test: skips lines whose product was removed." },
    { type: "write", path: "test/total.test.js", content: shopRedTest },
    { type: "bash", command: "node --test" },
    { type: "result", result: "The new test fails with the TypeError from Sentry.", costUsd: replayCosts.red, numTurns: 5, usage: { input: 6_100, output: 700 } },
  ];
  return {
    runs: [
      { match: "This is a re-plan", steps: planningSteps(shopPlan(options.replanFix ?? "treat a removed product as price 0"), replayCosts.replanning) },
      { match: "STEP 1 of 2", steps: red },
      { match: "red step is NOT proven", steps: red },
      {
        match: "STEP 2 of 2",
        steps: [
          { type: "text", text: "Guarding computeTotal against lines without a product." },
          { type: "write", path: "src/cart/total.js", content: shopFixedTotal },
          { type: "bash", command: "node --test" },
          { type: "result", result: "All tests pass.", costUsd: replayCosts.green, numTurns: 4, usage: { input: 4_800, output: 500 } },
        ],
      },
      { steps: planningSteps(shopPlan(), replayCosts.planning) },
    ],
  };
}
