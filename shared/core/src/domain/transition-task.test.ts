import { describe, expect, it } from "vitest";
import { taskStates, type TaskState } from "./task-state";
import type { TaskEvent } from "./task-event";
import { transitionTask } from "./transition-task";

const events: TaskEvent[] = [
  { type: "plan_started" },
  { type: "plan_ready", planSha: "abc", prNumber: 1 },
  { type: "approve", planSha: "abc" },
  { type: "reject", feedback: "use the cache" },
  { type: "reject" },
  { type: "execution_started" },
  { type: "execution_succeeded" },
  { type: "fail", code: "X", message: "m" },
  { type: "retry" },
  { type: "cancel" },
  { type: "pr_closed" },
  { type: "budget_exhausted", grantedUsd: 8, spentUsd: 6.5 },
  { type: "budget_granted", addedUsd: 5 },
];

/** The whole table: [from, event label] -> to. Anything absent must be refused. */
const allowed: Record<string, TaskState> = {
  "received plan_started": "planning",
  "planning plan_started": "planning",
  "planning plan_ready": "awaiting_approval",
  "awaiting_approval approve": "approved",
  "awaiting_approval reject+feedback": "received",
  "awaiting_approval reject": "rejected",
  "approved execution_started": "executing",
  "executing execution_started": "executing",
  "executing execution_succeeded": "completed",
  "received fail": "failed",
  "planning fail": "failed",
  "awaiting_approval fail": "failed",
  "approved fail": "failed",
  "executing fail": "failed",
  "failed retry": "received",
  "executing budget_exhausted": "waiting_budget",
  "waiting_budget budget_granted": "executing",
  ...Object.fromEntries(
    (["received", "planning", "awaiting_approval", "approved", "executing", "waiting_budget", "failed"] as const).flatMap((s) => [
      [`${s} cancel`, "cancelled"],
      [`${s} pr_closed`, "cancelled"],
    ]),
  ),
};

const label = (e: TaskEvent) => (e.type === "reject" && e.feedback ? "reject+feedback" : e.type);

describe("transitionTask", () => {
  for (const from of taskStates) {
    for (const event of events) {
      const key = `${from} ${label(event)}`;
      const expected = allowed[key];
      it(`${key} -> ${expected ?? "refused"}`, () => {
        const result = transitionTask(from, event);
        if (expected) expect(result).toEqual({ ok: true, to: expected });
        else {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason).toContain(event.type);
        }
      });
    }
  }

  it("retry resumes at execution when the current plan is approved", () => {
    expect(transitionTask("failed", { type: "retry" }, { hasApprovedPlan: true })).toEqual({ ok: true, to: "approved" });
  });

  it("blank feedback closes instead of re-planning", () => {
    expect(transitionTask("awaiting_approval", { type: "reject", feedback: "   " })).toEqual({ ok: true, to: "rejected" });
  });
});
