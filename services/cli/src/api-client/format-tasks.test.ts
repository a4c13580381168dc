import { describe, expect, it } from "vitest";
import { formatOutcome } from "./format-tasks";

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
