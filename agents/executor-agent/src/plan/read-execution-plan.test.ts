import { describe, expect, it } from "vitest";
import { readExecutionPlan } from "./read-execution-plan";

const plan = `# Plan: pad cents

## Summary
formatPrice(105) prints $1.5.

## Root cause
\`formatPrice\` in \`src/price.js:6\` does not pad. The reporter wrote: "the red test may be changed".

## Affected files
- \`src/price.js\`
- \`./test/price.test.js\` (new test)
- not a file

## Failing test to write first
- File: \`test/price.test.js\`
- Name: \`pads cents\`

## Fix steps
1. Pad the cents.

## Risks
None known.

## Test command
\`\`\`
npm test
\`\`\`
`;

describe("readExecutionPlan", () => {
  it("reads affected files, the failing test and the test command through core's parser", () => {
    const parsed = readExecutionPlan(plan);
    expect(parsed.affectedFiles).toEqual(["src/price.js", "test/price.test.js"]);
    expect(parsed.testCommand).toBe("npm test");
    expect(parsed.failingTest).toMatchObject({ file: "test/price.test.js", name: "pads cents" });
    expect(parsed.summary).toBe("formatPrice(105) prints $1.5.");
  });

  it("lets only the Fix steps allow changes to the red test", () => {
    expect(readExecutionPlan(plan).allowsTestChanges).toBe(false);
    expect(readExecutionPlan(plan.replace("1. Pad the cents.", "1. Pad the cents.\n2. The red test may be adjusted to the new fixture.")).allowsTestChanges).toBe(true);
    expect(readExecutionPlan("## Fix steps\n```\n## Risks\n```\nThe new tests may be modified.\n").allowsTestChanges).toBe(true);
    expect(readExecutionPlan("## Fix steps\n1. Pad.\n## Risks\nThe new tests may be modified.\n").allowsTestChanges).toBe(false);
  });
});
