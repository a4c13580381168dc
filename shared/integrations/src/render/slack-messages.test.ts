import { describe, expect, it } from "vitest";
import { completedMessage, failedMessage, parseSlackButtonValue, planReadyMessage, slackActionIds, slackButtonValue, taskStartedMessage } from "./slack-messages";

const ref = { taskId: "task-42", title: "Cart <total> & tax", repo: "acme/shop" };

function allText(value: unknown): string {
  return JSON.stringify(value);
}

describe("Slack messages", () => {
  it("plan ready carries the summary, PR, cost and Approve/Reject buttons with the task id", () => {
    const message = planReadyMessage({ ...ref, planSummary: "Guard <null> prices", prUrl: "https://github.com/acme/shop/pull/7", prNumber: 7, costUsd: 0.25 });
    expect(message.text).toBe("Plan ready for approval: Cart &lt;total&gt; &amp; tax (acme/shop)");
    const actions = message.blocks.find((block) => block.type === "actions") as unknown as { elements: Array<{ action_id: string; value: string; style: string }> };
    expect(actions.elements.map((e) => [e.action_id, e.value, e.style])).toEqual([
      [slackActionIds.approve, "task-42", "primary"],
      [slackActionIds.reject, "task-42", "danger"],
    ]);
    expect(slackActionIds).toEqual({ approve: "fixline_approve", reject: "fixline_reject", addBudget: "fixline_add_budget" });
    const text = allText(message.blocks);
    expect(text).toContain("Guard &lt;null&gt; prices");
    expect(text).toContain("<https://github.com/acme/shop/pull/7|PR #7>");
    expect(text).toContain("$0.25");
    // The header is plain_text: shown literally, so it is not escaped.
    expect(message.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "📝 Plan ready: Cart <total> & tax", emoji: true } });
  });

  it("binds the buttons to the plan SHA the message shows (issue 16)", () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const message = planReadyMessage({ ...ref, taskId: "5f0c1d2e-0000-4000-8000-000000000001", planSha: sha, planSummary: "x", prUrl: "https://x/1", costUsd: 0 });
    const actions = message.blocks.find((block) => block.type === "actions") as unknown as { elements: Array<{ value: string }> };
    expect(actions.elements.map((e) => e.value)).toEqual([`5f0c1d2e-0000-4000-8000-000000000001:${sha}`, `5f0c1d2e-0000-4000-8000-000000000001:${sha}`]);
    expect(parseSlackButtonValue(actions.elements[0]!.value)).toEqual({ taskId: "5f0c1d2e-0000-4000-8000-000000000001", planSha: sha });
    expect(parseSlackButtonValue("task-42")).toEqual({ taskId: "task-42", planSha: undefined });
    expect(parseSlackButtonValue("task-42:not a sha")).toEqual({ taskId: "task-42", planSha: undefined });
    expect(slackButtonValue("t", undefined)).toBe("t");
  });

  it("keeps section text within Block Kit's 3000 characters", () => {
    const message = planReadyMessage({ ...ref, planSummary: "x".repeat(5000), prUrl: "https://x/1", costUsd: 0 });
    const section = message.blocks[1] as unknown as { text: { text: string } };
    expect(section.text.text.length).toBe(3000);
    expect(section.text.text.endsWith("…")).toBe(true);
  });

  it("task started says which phase and where it came from", () => {
    const message = taskStartedMessage({ ...ref, phase: "planning", sourceLabel: "Sentry SHOP-1A", taskUrl: "https://fixline/t/42" });
    expect(message.text).toBe("Planning a fix for Cart &lt;total&gt; &amp; tax (from Sentry SHOP-1A)");
    expect(allText(message.blocks)).toContain("<https://fixline/t/42|task task-42>");
    expect(taskStartedMessage({ ...ref, phase: "execution" }).text).toBe("Fixing Cart &lt;total&gt; &amp; tax");
  });

  it("completed shows the evidence summary and cost", () => {
    const message = completedMessage({
      ...ref,
      prUrl: "https://github.com/acme/shop/pull/7",
      costUsd: 1.5,
      evidence: { red: { command: "t", exitCode: 1, failingTests: ["a"], outputExcerpt: "" }, green: { command: "t", passed: 10, failed: 0, skipped: 0, reruns: 0, durationMs: 1 }, usage: [] },
    });
    const text = allText(message.blocks);
    expect(text).toContain("red: 1 failing test before the fix · green: 10 passed, 0 failed after the fix");
    expect(text).toContain("cost $1.50");
  });

  it("failed shows code, message, hint and how to retry", () => {
    const withPr = failedMessage({ ...ref, code: "RED_NOT_PROVEN", message: "test passed <before> the fix", hint: "refine the test", prUrl: "https://github.com/acme/shop/pull/7" });
    const text = allText(withPr.blocks);
    expect(withPr.text).toBe("Failed: Cart &lt;total&gt; &amp; tax: RED_NOT_PROVEN");
    expect(text).toContain("*RED_NOT_PROVEN*: test passed &lt;before&gt; the fix");
    expect(text).toContain("_refine the test_");
    expect(text).toContain("Comment `@agent retry` on <https://github.com/acme/shop/pull/7|pull request>");
    expect(allText(failedMessage({ ...ref, code: "X", message: "m", taskUrl: "https://fixline/t/42" }).blocks)).toContain("Use Retry on <https://fixline/t/42|the task page>");
    expect(allText(failedMessage({ ...ref, code: "X", message: "m" }).blocks)).toContain("POST /api/tasks/task-42/retry");
  });
});
