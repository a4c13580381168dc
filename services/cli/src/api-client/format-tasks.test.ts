import { describe, expect, it } from "vitest";
import { formatBudget, formatOutcome } from "./format-tasks";

describe("formatOutcome (fixline show, issue 21)", () => {
  const endedAt = "2026-12-01T10:00:00Z";
  it("says merged with the time from ready to merge, closed, and reverted with what reverted it", () => {
    expect(formatOutcome({ outcome: "merged", endedAt, mergedAt: "2026-12-01T13:30:00Z", revertedBy: null })).toBe("Outcome: merged 3h after ready");
    expect(formatOutcome({ outcome: "closed_unmerged", endedAt, mergedAt: null, revertedBy: null })).toBe("Outcome: closed without merging");
    expect(formatOutcome({ outcome: "reverted", endedAt, mergedAt: "2026-12-01T10:20:00Z", revertedBy: "a".repeat(40) })).toBe("Outcome: reverted by aaaaaaaaaaaa (merged 20m after ready)");
    expect(formatOutcome({ outcome: "reverted", endedAt, mergedAt: "2026-12-01T10:20:00Z", revertedBy: "#201" })).toBe("Outcome: reverted by #201 (merged 20m after ready)");
  });
  it("says nothing while the PR is open, or for an older server without outcomes", () => {
    expect(formatOutcome({ outcome: null, endedAt, mergedAt: null, revertedBy: null })).toBeUndefined();
    expect(formatOutcome({})).toBeUndefined();
  });
});

describe("formatBudget (fixline show, issue 21)", () => {
  const grants = [
    { kind: "explicit" as const, amountUsd: 1, login: "maintainer", via: "github", createdAt: "2026-12-01T10:00:00.000Z" },
    { kind: "top_up" as const, amountUsd: 5, login: "lead", via: "slack", createdAt: "2026-12-01T10:05:00.000Z" },
  ];
  it("shows spent of granted with who granted what, and in waiting_budget how to continue", () => {
    expect(formatBudget({ task: { state: "executing" } as never, budget: { estimateUsd: 1.5, grantedUsd: 6, spentUsd: 0.9, grants } })).toBe(
      "Budget: $0.90 of $6.00 spent (estimate $1.50; $1.00 by maintainer, +$5.00 by lead)",
    );
    expect(formatBudget({ task: { state: "waiting_budget" } as never, budget: { estimateUsd: null, grantedUsd: 1, spentUsd: 0.9, grants: grants.slice(0, 1) } })).toBe(
      "Budget: $0.90 of $1.00 spent ($1.00 by maintainer). Waiting for budget: a writer comments `@agent approve budget=+$5` to continue.",
    );
  });
  it("before approval shows the estimate; without one (or an older server) nothing", () => {
    expect(formatBudget({ task: { state: "awaiting_approval" } as never, budget: { estimateUsd: 2.5, grantedUsd: null, spentUsd: 0, grants: [] } })).toBe("Budget: estimate $2.50; approving grants it for execution");
    expect(formatBudget({ task: { state: "awaiting_approval" } as never, budget: { estimateUsd: null, grantedUsd: null, spentUsd: 0, grants: [] } })).toBeUndefined();
    expect(formatBudget({ task: { state: "completed" } as never })).toBeUndefined();
  });
});
