import { describe, expect, it } from "vitest";
import { agentGitChanges } from "./agent-git-changes";

const branch = "fixline/abc-price";
const a = "a".repeat(40);
const b = "b".repeat(40);
const snapshot = (head: string, refs: Record<string, string>, headBranch: string | undefined = branch) => ({ head, headBranch, refs });

describe("agentGitChanges", () => {
  it("nothing moved: no findings", () => {
    const before = snapshot(a, { [`refs/heads/${branch}`]: a, "refs/heads/main": a });
    const result = agentGitChanges(before, before, branch, a);
    expect(result).toEqual({ headMoved: false, createdRefs: [], movedRefs: [], findings: [] });
  });

  it("a commit on the task branch moves HEAD", () => {
    const result = agentGitChanges(snapshot(a, { [`refs/heads/${branch}`]: a }), snapshot(b, { [`refs/heads/${branch}`]: b }), branch, a);
    expect(result.headMoved).toBe(true);
    expect(result.findings[0]).toContain("was moved from aaaaaaaaaaaa to bbbbbbbbbbbb");
  });

  it("a checkout of a new branch and a tag are findings; another task's fixline/ branch is not", () => {
    const before = snapshot(a, { [`refs/heads/${branch}`]: a, "refs/heads/main": a });
    const after = snapshot(b, { [`refs/heads/${branch}`]: a, "refs/heads/main": b, "refs/heads/evil": b, "refs/tags/v9": b, "refs/heads/fixline/other-task": b }, "evil");
    const result = agentGitChanges(before, after, branch, a);
    expect(result.headMoved).toBe(true);
    expect(result.createdRefs).toEqual(["refs/heads/evil", "refs/tags/v9"]);
    expect(result.movedRefs).toEqual([{ ref: "refs/heads/main", from: a }]);
    expect(result.findings).toContain("HEAD was moved off fixline/abc-price (to evil)");
  });

  it("a detached HEAD at the same commit is still a finding", () => {
    const refs = { [`refs/heads/${branch}`]: a };
    expect(agentGitChanges(snapshot(a, refs), { head: a, headBranch: undefined, refs }, branch, a).findings).toEqual(["HEAD was moved off fixline/abc-price (detached)"]);
  });
});
