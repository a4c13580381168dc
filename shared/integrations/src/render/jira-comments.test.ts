import { describe, expect, it } from "vitest";
import { adfToText } from "../jira/adf-to-text";
import { completedJiraComment, failedJiraComment, planReadyJiraComment } from "./jira-comments";

describe("Jira comments", () => {
  it("plan ready explains the analysis and links the PR", () => {
    const doc = planReadyJiraComment({
      taskId: "t-9",
      rootCause: "bundles have no price",
      affectedFiles: ["src/cart/total.ts", "src/cart/bundle.ts"],
      test: { name: "bundles have a total", file: "test/total.test.ts", description: "fails with NaN today" },
      prUrl: "https://github.com/acme/shop/pull/7",
      costUsd: 0.3,
    });
    expect(doc).toMatchObject({ type: "doc", version: 1 });
    expect(JSON.stringify(doc)).toContain('"marks":[{"type":"link","attrs":{"href":"https://github.com/acme/shop/pull/7"}}]');
    expect(adfToText(doc)).toBe(
      [
        "### Fixline: plan ready for approval",
        "",
        "Root cause: bundles have no price",
        "",
        "Affected files:",
        "",
        "- src/cart/total.ts",
        "- src/cart/bundle.ts",
        "",
        "Test written first: bundles have a total in test/total.test.ts: fails with NaN today",
        "",
        "Review and approve the plan on the pull request: https://github.com/acme/shop/pull/7 (comment @agent approve). Cost so far: $0.30.",
        "",
        "Fixline task t-9",
      ].join("\n"),
    );
  });

  it("completed and failed say what happened and what to do", () => {
    const done = adfToText(completedJiraComment({ taskId: "t-9", prUrl: "https://x/7", evidence: { usage: [{ phase: "execution", costUsd: 1, turns: 1, inputTokens: 1, outputTokens: 1 }] } }));
    expect(done).toContain("passes with the fix: https://x/7");
    expect(done).toContain("Evidence: cost $1.00");

    const failed = adfToText(failedJiraComment({ taskId: "t-9", code: "GREEN_NOT_REACHED", message: "2 tests fail", hint: "see the evidence", prUrl: "https://x/7" }));
    expect(failed).toContain("GREEN_NOT_REACHED: 2 tests fail");
    expect(failed).toContain("see the evidence");
    expect(failed).toContain("To retry, comment @agent retry on https://x/7.");
    expect(adfToText(failedJiraComment({ taskId: "t-9", code: "X", message: "m" }))).toContain("Retry on the task in the Fixline dashboard (task t-9)");
  });
});
