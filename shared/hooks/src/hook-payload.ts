import type { TaskRecord } from "@fixline/db";

/** The JSON body every hook receives. Documented in the README ("Lifecycle hooks"). */
export interface HookPayload {
  /** `pre_execution`, `post_execution`, `on_error` or `state_changed`. */
  event: string;
  deliveryId: string;
  occurredAt: string;
  task: {
    id: string;
    title: string;
    repo: string;
    source: string;
    state: string;
    previousState: string | null;
    errorCode: string | null;
    errorMessage: string | null;
    costUsd: number;
  };
  /** The phase the event belongs to: planning or execution. */
  phase: "planning" | "execution" | null;
  /** For post_execution / on_error: how it ended. */
  outcome: "completed" | "failed" | "cancelled" | "rejected" | null;
  links: { pullRequest: string | null; dashboard: string };
}

export function buildHookPayload(input: {
  event: string;
  deliveryId: string;
  task: TaskRecord;
  previousState: string | null;
  occurredAt: Date;
  publicUrl: string;
}): HookPayload {
  const { task } = input;
  const state = task.state;
  const phase = ["planning", "awaiting_approval", "received"].includes(input.previousState ?? "") || state === "planning" ? "planning" : ["approved", "executing", "waiting_budget"].includes(input.previousState ?? state) ? "execution" : null;
  const outcome = state === "completed" || state === "failed" || state === "cancelled" || state === "rejected" ? state : null;
  return {
    event: input.event,
    deliveryId: input.deliveryId,
    occurredAt: input.occurredAt.toISOString(),
    task: {
      id: task.id,
      title: task.title,
      repo: task.repo,
      source: task.source,
      state,
      previousState: input.previousState,
      errorCode: task.errorCode,
      errorMessage: task.errorMessage,
      costUsd: task.costUsd,
    },
    phase,
    outcome,
    links: { pullRequest: task.prUrl, dashboard: `${input.publicUrl.replace(/\/$/, "")}/#/tasks/${task.id}` },
  };
}
