import { describe, expect, it } from "vitest";
import { validatePlan } from "@fixline/core";
import type { ResolvedEnvironment } from "@fixline/environments";
import { withEnvironmentNotes } from "./plan-environment";

const environment: ResolvedEnvironment = {
  testCommand: "npm test",
  setup: ["npm ci"],
  env: {},
  detected: { kind: "node-npm", evidence: ["package-lock.json → npm ci", "package.json scripts.test (node --test) → npm test"] },
  allowedBashPrefixes: ["npm test"],
  preRun: [],
  postRun: [],
  timeoutSeconds: 600,
  toolchain: "node",
  lockfile: "package-lock.json",
  sources: { setup: "detected", testCommand: "detected" },
};

const plan = ["## Summary", "s", "## Root cause", "r", "## Affected files", "- `a.js`", "## Failing test to write first", "t", "## Fix steps", "f", "## Risks", "none", "## Test command", "```", "npm test", "```", ""].join("\n");

describe("withEnvironmentNotes", () => {
  it("appends the detected kind, setup, test command and evidence as a last section that keeps the plan valid", () => {
    const noted = withEnvironmentNotes(plan, environment);
    expect(noted.startsWith(plan.trimEnd())).toBe(true);
    expect(noted).toContain("\n\n## Environment notes\n\n- Kind: `node-npm` (toolchain `node`)\n- Setup (detected): `npm ci`\n- Test command (detected): `npm test`\n");
    expect(noted).toContain("  - package-lock.json → npm ci");
    expect(validatePlan(noted).ok).toBe(true);
  });

  it("leaves a plan alone when the agent already wrote environment notes", () => {
    const own = `${plan}\n## Environment notes\nRuns in Docker compose.\n`;
    expect(withEnvironmentNotes(own, environment)).toBe(own);
  });

  it("is not fooled by the heading inside a code block", () => {
    const fenced = plan.replace("## Risks\nnone", "## Risks\n```\n## Environment notes\n```");
    expect(withEnvironmentNotes(fenced, environment)).toContain("- Kind: `node-npm`");
  });
});
