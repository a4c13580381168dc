import { describe, expect, it } from "vitest";
import { parsePlanSections } from "./parse-plan-sections";

const plan = `# Plan: pad cents

## Summary
formatPrice(105) prints $1.5.

## Root cause
\`formatPrice\` in \`src/price.js:6\` does not pad.

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

describe("parsePlanSections", () => {
  it("reads affected files, the failing test and the test command", () => {
    const parsed = parsePlanSections(plan);
    expect(parsed.affectedFiles).toEqual(["src/price.js", "test/price.test.js"]);
    expect(parsed.testCommand).toBe("npm test");
    expect(parsed.failingTest).toContain("pads cents");
    expect(parsed.summary).toBe("formatPrice(105) prints $1.5.");
    expect(parsed.allowsTestChanges).toBe(false);
  });

  it("ignores headings inside fenced blocks and tolerates a missing test command", () => {
    const parsed = parsePlanSections("## Summary\n```\n## Test command\nrm -rf /\n```\n## Affected files\n- `a.py`\n");
    expect(parsed.testCommand).toBeUndefined();
    expect(parsed.affectedFiles).toEqual(["a.py"]);
  });

  it("lets the plan explicitly allow changes to the red test", () => {
    expect(parsePlanSections("## Fix steps\n1. The red test may be adjusted to the new fixture.\n").allowsTestChanges).toBe(true);
  });
});
