import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sampleRepos } from "./create-sample-remote";

/**
 * What an honest agent produces for the shop sample's real bug (computeTotal throws on a cart line whose
 * product was removed): the plan, the failing test, the fix. One copy for the demo's replay agent, the
 * benchmarks and the chaos suite. The test and the fix are derived from the sample's own files, so they
 * cannot silently drift from it.
 */
export function shopPlan(options: { fix?: string; testCommand?: string } = {}): string {
  const fix = options.fix ?? "skip lines whose product was removed";
  const testCommand = options.testCommand ?? "node --test";
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
2. Run \`${testCommand}\`; the new test and the existing suite pass.

## Risks
- Totals silently drop removed products; the cart page already shows them as unavailable.

## Test command
\`\`\`
${testCommand}
\`\`\`
`;
}

const originalTest = readFileSync(join(sampleRepos.shop, "test", "total.test.js"), "utf8");
const originalSource = readFileSync(join(sampleRepos.shop, "src", "cart", "total.js"), "utf8");

/** The sample's test file plus the test that reproduces the bug (fails on the unfixed code). */
export const shopRedTest = `${originalTest.trimEnd()}

test("skips lines whose product was removed", () => {
  assert.equal(computeTotal([{ product: { price: 100 }, quantity: 1 }, { quantity: 2 }]), 100);
});
`;

/** The sample's total.js with the fix: a line without a product adds nothing. */
export const shopFixedSource = originalSource.replace(
  "return sum + item.product.price * item.quantity;",
  "return item.product ? sum + item.product.price * item.quantity : sum;",
);
if (shopFixedSource === originalSource) throw new Error("the shop sample changed: shopFixedSource no longer applies to src/cart/total.js");
