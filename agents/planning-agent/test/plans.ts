import type { FakeClaudeStep } from "@fixline/testing";

/** A plan for the shop sample's real bug, laid out as the plan-changes skill asks. */
export function shopPlan(variant = "skip lines whose product was removed"): string {
  return `# Plan: ${variant}

## Summary
The cart page throws \`TypeError: Cannot read properties of undefined (reading 'price')\` when a cart line's product was removed from the catalogue (Sentry SHOP-1A, 42 events). Fix: ${variant}.

## Root cause
\`computeTotal\` in \`src/cart/total.js:8\` reads \`item.product.price\` for every line, but lines whose product was removed keep \`product: undefined\` until the cart is refreshed.

## Affected files
- \`src/cart/total.js\`
- \`test/total.test.js\`

## Failing test to write first
- File: \`test/total.test.js\`
- Name: \`skips lines whose product was removed\`
- Asserts: \`computeTotal([{ product: { price: 100 }, quantity: 1 }, { quantity: 2 }])\` returns \`100\`; today it throws a TypeError.

## Fix steps
1. In \`computeTotal\` (\`src/cart/total.js\`), add nothing for a line without a product.
2. Run the test command; the new test and the existing suite pass.

## Risks
- Totals silently drop removed products; the cart page already shows them as unavailable.

## Test command
\`\`\`
node --test
\`\`\`
`;
}

/** A run that writes PLAN.md and finishes with a cost. */
export function writesPlan(content: string, costUsd = 0.12): FakeClaudeStep[] {
  return [
    { type: "text", text: "Reading src/cart/total.js" },
    { type: "write", path: "PLAN.md", content },
    { type: "result", result: "Plan written.", costUsd },
  ];
}
