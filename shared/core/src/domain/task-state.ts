/** The states a task moves through; see DESIGN.md §2. */
export const taskStates = [
  "received",
  "planning",
  "awaiting_approval",
  "approved",
  "executing",
  /** Issue 21: 80% of the execution budget granted with the approval is spent; a writer's `@agent approve budget=+$N` resumes. */
  "waiting_budget",
  "completed",
  "failed",
  "rejected",
  "cancelled",
] as const;
export type TaskState = (typeof taskStates)[number];

/** States from which nothing moves on by itself. `failed` is not final: `retry` revives it. */
export const finalStates: readonly TaskState[] = ["completed", "rejected", "cancelled"];
/** A task in one of these holds its source object: a new alert for it updates this task. */
export const liveStates: readonly TaskState[] = ["received", "planning", "awaiting_approval", "approved", "executing", "waiting_budget"];

export const taskSources = ["sentry", "jira", "github", "slack", "api"] as const;
export type TaskSource = (typeof taskSources)[number];

export const agentPhases = ["planning", "plan_repair", "red", "green", "setup"] as const;
export type AgentPhase = (typeof agentPhases)[number];
