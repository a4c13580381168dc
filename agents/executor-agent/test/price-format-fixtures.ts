import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sampleDir } from "./executor-harness";

/** PLAN.md for the js-price-format sample's bug, as the planning agent would write it. */
export const pricePlan = `# Plan: pad single-digit cents

## Summary
formatPrice(105) returns "$1.5" instead of "$1.05".

## Root cause
\`formatPrice\` in \`src/price.js:7\` interpolates \`abs % 100\` without padding it to two digits.

## Affected files
- \`src/price.js\`
- \`test/price.test.js\`

## Failing test to write first
- File: \`test/price.test.js\`
- Name: \`pads single-digit cents\`
- Asserts: \`formatPrice(105)\` returns \`"$1.05"\`; today it returns \`"$1.5"\`.

## Fix steps
1. Pad the cents to two digits in \`formatPrice\`.

## Risks
None known.

## Test command
\`\`\`
npm test
\`\`\`
`;

export const originalTest = readFileSync(join(sampleDir("js-price-format"), "test/price.test.js"), "utf8");
export const originalSource = readFileSync(join(sampleDir("js-price-format"), "src/price.js"), "utf8");

/** The honest red test: the original suite plus the test that reproduces the bug. */
export const redTest = `${originalTest}
test("pads single-digit cents", () => {
  assert.equal(formatPrice(105), "$1.05");
});
`;

/** The right fix. */
export const fixedSource = originalSource.replace("const rest = abs % 100;", 'const rest = String(abs % 100).padStart(2, "0");');

/** A "fix" that makes the new test pass and breaks "formats dollars and cents" ($12.034). */
export const breakingSource = originalSource.replace("const rest = abs % 100;", 'const rest = "0" + (abs % 100);');

/**
 * A "fix" that passes on every odd run and fails on every even one. The counter lives in the worktree's
 * node_modules (relative to the test run's cwd): test runs are sandboxed and can write nothing else that lasts.
 */
export function flakySource(counterFile: string): string {
  return `import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
mkdirSync("node_modules", { recursive: true });
${fixedSource.replace(
  "export function formatPrice(cents) {",
  `export function formatPrice(cents) {
  let n = 0;
  try { n = Number(readFileSync(${JSON.stringify(counterFile)}, "utf8")) || 0; } catch {}
  if (cents === 105) writeFileSync(${JSON.stringify(counterFile)}, String(n + 1));
  if (cents === 105 && n % 2 === 1) return "$1.5";`,
)}`;
}

/** The red test weakened to pass without a fix. */
export const weakenedTest = redTest.replace('assert.equal(formatPrice(105), "$1.05");', 'assert.ok(formatPrice(105).startsWith("$1."));');

/** A red "test" that passes on the buggy code. */
export const passingTest = `${originalTest}
test("pads single-digit cents", () => {
  assert.equal(formatPrice(1234), "$12.34");
});
`;
