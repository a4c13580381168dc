import { describe, expect, it } from "vitest";
import { evidenceSummary, renderEvidenceTable } from "./evidence-table";
import type { Evidence } from "./render-types";

const evidence: Evidence = {
  red: {
    command: "npx vitest run test/total.test.ts",
    exitCode: 1,
    failingTests: ["total > bundles | have a price", "total > empty cart"],
    outputExcerpt: "FAIL test/total.test.ts\n  expected NaN to be 12\n```",
    durationMs: 2100,
  },
  green: { command: "npm test", passed: 1234, failed: 0, skipped: 3, reruns: 1, durationMs: 65_000 },
  usage: [
    { phase: "planning", costUsd: 0.41, turns: 12, inputTokens: 34_000, outputTokens: 2100 },
    { phase: "execution", costUsd: 1.2, turns: 30, inputTokens: 120_500, outputTokens: 9000 },
  ],
};

describe("renderEvidenceTable", () => {
  it("shows red, green and per-phase cost with totals", () => {
    const md = renderEvidenceTable(evidence);
    expect(md).toContain("| 🔴 Red: new test on the unfixed code | `npx vitest run test/total.test.ts` | exit 1, 2 failing: `total > bundles \\| have a price`, `total > empty cart` · 2.1 s |");
    expect(md).toContain("| 🟢 Green: full suite with the fix | `npm test` | 1,234 passed, 0 failed, 3 skipped · 1 rerun · 1 min 5 s |");
    expect(md).toContain("| planning | 12 | 34,000 | 2,100 | $0.41 |");
    expect(md).toContain("| **Total** | 42 | 154,500 | 11,100 | $1.61 |");
    // The excerpt's own ``` cannot end the fence.
    expect(md).toContain("````text\nFAIL test/total.test.ts\n  expected NaN to be 12\n```\n````");
  });

  it("says when there are no runs yet and lists at most five failing names", () => {
    expect(renderEvidenceTable({ usage: [] })).toBe("### Evidence\n\nNo test runs yet.");
    const many = renderEvidenceTable({ red: { command: "t", exitCode: null, failingTests: ["a", "b", "c", "d", "e", "f", "g"], outputExcerpt: "" }, usage: [] });
    expect(many).toContain("killed, 7 failing: `a`, `b`, `c`, `d`, `e` and 2 more");
    expect(many).not.toContain("<details>");
  });
});

describe("evidenceSummary", () => {
  it("is one line for chat", () => {
    expect(evidenceSummary(evidence)).toBe("red: 2 failing tests before the fix · green: 1234 passed, 0 failed after the fix · cost $1.61");
  });
});
