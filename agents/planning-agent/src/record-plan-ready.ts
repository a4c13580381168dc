import type { Logger, ParsedPlan } from "@fixline/core";
import { transition, updateTaskFields, type FixlineDb } from "@fixline/db";
import { metrics } from "@fixline/observability";
import type { PlanPullRequest } from "./outbound";

export type PlanningResult =
  | { outcome: "skipped"; reason: string }
  /** The task was cancelled while planning ran: the job stopped and ends quietly. */
  | { outcome: "cancelled" }
  | { outcome: "plan_ready"; planSha: string; prNumber: number; prUrl: string; createdPullRequest: boolean }
  /** A dry run: the plan is committed locally and nothing left the machine (see `data.wouldHaveSent`). */
  | { outcome: "plan_ready_dry_run"; planSha: string };

export interface ReadyPlan {
  taskId: string;
  planSha: string;
  markdown: string;
  plan: ParsedPlan;
  baseBranch: string;
  title: string;
  body: string;
  costUsd: number;
  /** The task's repository as a metric label (configured repositories only, else "other"; issue 21). */
  repository: string;
  taskCreatedAt: Date;
}

/**
 * The one ending of a planning job, a dry run's too: the plan and its PR on the task, planning ->
 * awaiting_approval with a plan_ready notify job. A dry run keeps the PR body it would have opened for the
 * dashboard, and waits for approval like any other (from the dashboard, API or CLI: there is no PR to comment on).
 */
export async function recordPlanReady(db: FixlineDb, ready: ReadyPlan, pr: PlanPullRequest, log: Logger): Promise<PlanningResult> {
  const { taskId, planSha, costUsd } = ready;
  await updateTaskFields(db, taskId, {
    prNumber: pr.number,
    ...(pr.url ? { prUrl: pr.url } : {}),
    planMarkdown: ready.markdown,
    data: { plan: ready.plan, baseBranch: ready.baseBranch, planCommit: planSha, ...(pr.dryRun ? { dryRunPullRequest: { title: ready.title, body: ready.body } } : {}) },
  });
  await transition(db, {
    taskId,
    expected: "planning",
    event: { type: "plan_ready", planSha, prNumber: pr.number },
    actor: { via: "system" },
    data: { prUrl: pr.url, costUsd, ...(pr.dryRun ? { dryRun: true } : {}) },
    jobs: [{ queue: "notify", data: { taskId, event: "plan_ready", details: { planSha, prNumber: pr.number } } }],
  });
  // Issue 21 truth metrics: every published plan, and the time to the first draft PR.
  metrics.tasksPlanned.inc({ repository: ready.repository });
  if (pr.created) metrics.timeToDraftPr.observe({ repository: ready.repository }, Math.max(0, (Date.now() - ready.taskCreatedAt.getTime()) / 1000));
  if (pr.dryRun || !pr.url) {
    log.info({ planSha, dryRun: true, costUsd }, "dry run: plan committed locally and ready for approval; nothing was pushed");
    return { outcome: "plan_ready_dry_run", planSha };
  }
  log.info({ planSha, pr: pr.number, created: pr.created, costUsd }, "plan ready for approval");
  return { outcome: "plan_ready", planSha, prNumber: pr.number, prUrl: pr.url, createdPullRequest: pr.created };
}
