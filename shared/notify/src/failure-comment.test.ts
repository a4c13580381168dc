import { describe, expect, it } from "vitest";
import type { TaskRecord } from "@fixline/db";
import { failureComment } from "./failure-comment";

const task = { id: "t1", repo: "acme/shop", branch: "fixline/t1-cart", prNumber: 7, errorCode: null, errorMessage: null } as unknown as TaskRecord;

describe("failureComment (the one PR comment for a failed execution)", () => {
  it("says the code, the reason, the hint, the proof so far, where the unverified work is and how to retry", () => {
    const body = failureComment(task, {
      code: "GREEN_NOT_REACHED",
      message: "the suite fails (exit 1)",
      lastProvenPhase: "red",
      branch: "fixline/t1-cart",
      wipRef: "refs/fixline/t1/wip",
      wipCommit: "a".repeat(40),
      output: "not ok 1 - formats\n```\ninjected fence",
      redProof: { command: "npm test", failingTests: ["pads cents"] },
      findings: ["the agent edited PLAN.md; the approved plan was put back"],
    });
    expect(body).toContain("`GREEN_NOT_REACHED`");
    expect(body).toContain("The suite did not pass with the fix");
    expect(body).toContain("Last proven phase: red (the failing test is committed)");
    expect(body).toContain(`\`refs/fixline/t1/wip\` at ${"a".repeat(40)}`);
    expect(body).toContain("Red proof: `npm test` failed with `pads cents`.");
    expect(body).toContain("- the agent edited PLAN.md; the approved plan was put back");
    expect(body).toContain("@agent retry");
    // The output cannot close the code fence it is shown in.
    expect(body.match(/^```/gm)).toHaveLength(2);
  });

  it("a planning-style failure without execution facts still reads well", () => {
    const body = failureComment(task, { code: "PLAN_INVALID", message: "PLAN.md lacks Risks" });
    expect(body).toContain("`PLAN_INVALID`");
    expect(body).toContain("Last proven phase: none yet");
    expect(body).not.toContain("refs/fixline");
  });
});
