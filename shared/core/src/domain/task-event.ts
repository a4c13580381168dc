/**
 * What can happen to a task. The state machine (transition-task.ts) is a pure function of
 * (state, event); the db layer applies it with a guarded UPDATE.
 */
export type TaskEvent =
  | { type: "plan_started" }
  | { type: "plan_ready"; planSha: string; prNumber: number }
  | { type: "approve"; planSha: string }
  | { type: "reject"; feedback?: string }
  | { type: "execution_started" }
  | { type: "execution_succeeded" }
  /** Issue 21: the executor stopped at 80% of the granted execution budget (between runs, or a run hit its --max-budget-usd). */
  | { type: "budget_exhausted"; grantedUsd: number; spentUsd: number }
  /** Issue 21: a writer added budget to a task waiting for it; execution resumes from its checkpoint. */
  | { type: "budget_granted"; addedUsd: number }
  | { type: "fail"; code: string; message: string }
  | { type: "retry" }
  | { type: "cancel"; reason?: string }
  | { type: "pr_closed" };

export type TaskEventType = TaskEvent["type"];

/** How an accepted action reached us: who did it and through which door. */
export interface Actor {
  via: "github" | "slack" | "jira" | "sentry" | "api" | "dashboard" | "cli" | "system";
  /** GitHub login, Slack user id, API token name... never a secret. */
  login?: string;
  displayName?: string;
  /**
   * "operator": the shared FIXLINE_API_TOKEN, which never speaks as a GitHub login (login is "operator").
   * Absent: `login` is a verified identity (a GitHub sign-in, a personal API token, a comment's author).
   */
  role?: "operator";
}
