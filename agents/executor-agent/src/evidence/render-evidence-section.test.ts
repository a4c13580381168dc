import { describe, expect, it } from "vitest";
import type { ExecutionEvidence } from "./build-evidence";
import { renderEvidenceSection } from "./render-evidence-section";

const evidence: ExecutionEvidence = {
  red: { command: "npm test", exitCode: 1, failingTests: ["pads cents"], outputExcerpt: "not ok 1 - pads cents", durationMs: 10 },
  green: { command: "npm test", passed: 4, failed: 0, skipped: 0, reruns: 2, durationMs: 10 },
  usage: [],
  environment: {
    testCommand: "npm test",
    detected: { kind: "node-npm", evidence: ["package-lock.json → npm ci", "package.json scripts.test (node --test) → npm test"] },
    setupCommands: ["npm ci"],
    setupMs: 2345,
    cacheHit: true,
  },
  baseline: { commit: "abc", passed: 3, failed: 1, preExistingFailures: ["known `broken`"] },
};

describe("renderEvidenceSection", () => {
  it("puts the environment, setup time and cache under the table", () => {
    const section = renderEvidenceSection(evidence);
    expect(section.indexOf("### Evidence")).toBeLessThan(section.indexOf("- Environment"));
    expect(section).toContain("- Environment `node-npm`: setup `npm ci` in 2.3s (dependency cache hit); test command `npm test`. From: package-lock.json → npm ci; package.json scripts.test (node --test) → npm test.");
    expect(section).toContain("`known broken`");
  });

  it("says when there was no setup", () => {
    const section = renderEvidenceSection({ ...evidence, environment: { ...evidence.environment, detected: { kind: "unknown", evidence: [] }, setupCommands: [], setupMs: 0 } });
    expect(section).toContain("- Environment `unknown`: no setup; test command `npm test`.\n");
  });
});
