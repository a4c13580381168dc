/** A PLAN.md as the plan-changes skill's template lays it out, for unit tests. */
export const goodPlan = `# Plan: skip cart lines whose product was removed

## Summary
The cart page crashes with a TypeError when a line's product was removed (Sentry SHOP-1A, 42 events).

## Root cause
\`computeTotal\` in \`src/cart/total.js:8\` reads \`item.product.price\` while \`product\` is undefined.

## Affected files
- \`src/cart/total.js\`
- \`./test/total.test.js\`

## Failing test to write first
- File: \`test/total.test.js\`
- Name: \`skips lines whose product was removed\`
- Asserts: \`computeTotal([{ quantity: 1 }])\` returns \`0\`; today it throws.

## Fix steps
1. Skip lines without a product in \`computeTotal\`.

## Risks
- None known.

## Test command
\`\`\`
node --test
\`\`\`
`;
