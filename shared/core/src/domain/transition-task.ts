import type { TaskState } from "./task-state";
import type { TaskEvent } from "./task-event";

export interface TransitionContext {
  /** For `retry`: whether the task has an approved plan, so it resumes at execution rather than planning. */
  hasApprovedPlan?: boolean;
}

export type TransitionResult =
  | { ok: true; to: TaskState }
  | { ok: false; reason: string };

const notFinal: readonly TaskState[] = ["received", "planning", "awaiting_approval", "approved", "executing", "waiting_budget", "failed"];

/**
 * The task state machine, as a pure function. Self-loops (`planning` -> `planning` on plan_started,
 * `executing` -> `executing` on execution_started) exist because jobs are at-least-once: a worker that
 * picks up a job whose previous holder died must be able to resume it.
 */
export function transitionTask(from: TaskState, event: TaskEvent, context: TransitionContext = {}): TransitionResult {
  const deny = (why: string): TransitionResult => ({ ok: false, reason: `cannot ${event.type} a task that is ${from}: ${why}` });
  switch (event.type) {
    case "plan_started":
      return from === "received" || from === "planning" ? { ok: true, to: "planning" } : deny("planning starts from received");
    case "plan_ready":
      return from === "planning" ? { ok: true, to: "awaiting_approval" } : deny("only a planning task can publish a plan");
    case "approve":
      return from === "awaiting_approval" ? { ok: true, to: "approved" } : deny("only a plan awaiting approval can be approved");
    case "reject":
      if (from !== "awaiting_approval") return deny("only a plan awaiting approval can be rejected");
      // Feedback means "plan again, differently" on the same PR; no feedback closes the task.
      return event.feedback && event.feedback.trim() !== "" ? { ok: true, to: "received" } : { ok: true, to: "rejected" };
    case "execution_started":
      return from === "approved" || from === "executing" ? { ok: true, to: "executing" } : deny("execution starts from approved");
    case "execution_succeeded":
      return from === "executing" ? { ok: true, to: "completed" } : deny("only an executing task can complete");
    case "budget_exhausted":
      return from === "executing" ? { ok: true, to: "waiting_budget" } : deny("only an executing task can wait for budget");
    case "budget_granted":
      // Straight back to executing (not approved): the execution job that follows resumes, it does not start over.
      return from === "waiting_budget" ? { ok: true, to: "executing" } : deny("budget can be added only to a task waiting for it");
    case "fail":
      return from === "received" || from === "planning" || from === "approved" || from === "executing" || from === "awaiting_approval"
        ? { ok: true, to: "failed" }
        : deny("the task is already finished");
    case "retry":
      if (from !== "failed") return deny("only a failed task can be retried");
      return { ok: true, to: context.hasApprovedPlan ? "approved" : "received" };
    case "cancel":
      return notFinal.includes(from) ? { ok: true, to: "cancelled" } : deny("the task is already finished");
    case "pr_closed":
      return notFinal.includes(from) ? { ok: true, to: "cancelled" } : deny("the task is already finished");
    default: {
      const never: never = event;
      return { ok: false, reason: `unknown event ${JSON.stringify(never)}` };
    }
  }
}
