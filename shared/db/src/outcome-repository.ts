import { sql } from "kysely";
import { metrics } from "@fixline/observability";
import type { FixlineDb } from "./create-db";
import { taskSpentUsd } from "./agent-run-repository";
import { appendTaskEvent, toTask, type TaskOutcome, type TaskRecord } from "./task-repository";

/**
 * Issue 21: one function per fact about a completed task's PR. Each is a single guarded UPDATE whose
 * WHERE admits only a real change, so a redelivered webhook or the reconcile that sees the same fact
 * again changes nothing, and the metric is counted only by the call that changed the row.
 */

export interface OutcomeOptions {
  /** Repositories from FIXLINE_CONFIG `repos`: the metric's repository label; anything else is "other". */
  knownRepos: readonly string[];
  /** Who told us: a webhook, or the reconcile. Recorded on the task's timeline. */
  via: "webhook" | "reconcile";
}

/** The repository label, bounded by config (names in payloads are never labels on their own). */
export function outcomeRepoLabel(repo: string, knownRepos: readonly string[]): string {
  return knownRepos.includes(repo) ? repo : "other";
}

async function afterChange(db: FixlineDb, task: TaskRecord, outcome: TaskOutcome, options: OutcomeOptions, data: Record<string, unknown>): Promise<void> {
  const repository = outcomeRepoLabel(task.repo, options.knownRepos);
  if (outcome === "merged") {
    metrics.tasksMerged.inc({ repository });
    // Dollars per merged fix = this over tasks_merged_total: what the whole task cost (planning and execution).
    metrics.mergedFixCostUsd.inc({ repository }, await taskSpentUsd(db, task.id));
    // Ready = the move to completed (the PR marked ready for review with its evidence).
    if (task.endedAt && task.mergedAt) metrics.readyToMerge.observe({ repository }, Math.max(0, (task.mergedAt.getTime() - task.endedAt.getTime()) / 1000));
  } else if (outcome === "reverted") metrics.tasksReverted.inc({ repository });
  else metrics.tasksClosedUnmerged.inc({ repository });
  await appendTaskEvent(db, { taskId: task.id, type: `outcome_${outcome}`, actor: { via: "github" }, data: { ...data, via: options.via }, state: task.state });
}

/** The PR was merged. A PR closed unmerged and then re-opened and merged moves closed_unmerged -> merged; a reverted fix stays reverted. */
export async function recordMerged(db: FixlineDb, input: { taskId: string; mergedAt: Date; mergeCommitSha: string | null }, options: OutcomeOptions): Promise<boolean> {
  const row = await db
    .updateTable("tasks")
    .set({ outcome: "merged", outcome_at: sql`now()`, merged_at: input.mergedAt, merge_commit_sha: input.mergeCommitSha })
    .where("id", "=", input.taskId)
    .where("state", "=", "completed")
    .where((eb) => eb.or([eb("outcome", "is", null), eb("outcome", "=", "closed_unmerged")]))
    .returningAll()
    .executeTakeFirst();
  if (!row) return false;
  await afterChange(db, toTask(row), "merged", options, { mergedAt: input.mergedAt.toISOString(), mergeCommitSha: input.mergeCommitSha });
  return true;
}

/** The PR was closed without merging. Only a task with no outcome yet takes it. */
export async function recordClosedUnmerged(db: FixlineDb, input: { taskId: string }, options: OutcomeOptions): Promise<boolean> {
  const row = await db
    .updateTable("tasks")
    .set({ outcome: "closed_unmerged", outcome_at: sql`now()` })
    .where("id", "=", input.taskId)
    .where("state", "=", "completed")
    .where("outcome", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!row) return false;
  await afterChange(db, toTask(row), "closed_unmerged", options, {});
  return true;
}

/** A later commit or PR reverted the merged fix. Only a merged task inside the window takes it. */
export async function recordReverted(db: FixlineDb, input: { taskId: string; revertedBy: string; windowDays: number }, options: OutcomeOptions): Promise<boolean> {
  const row = await db
    .updateTable("tasks")
    .set({ outcome: "reverted", outcome_at: sql`now()`, reverted_by: input.revertedBy })
    .where("id", "=", input.taskId)
    .where("outcome", "=", "merged")
    .where("merged_at", ">=", sql<Date>`now() - make_interval(days => ${input.windowDays})`)
    .returningAll()
    .executeTakeFirst();
  if (!row) return false;
  await afterChange(db, toTask(row), "reverted", options, { revertedBy: input.revertedBy });
  return true;
}

/** Merged tasks of a repository still inside the revert window: the candidates a revert commit may name. */
export async function listRevertCandidates(db: FixlineDb, repo: string, windowDays: number): Promise<TaskRecord[]> {
  const rows = await db
    .selectFrom("tasks")
    .selectAll()
    .where("repo", "=", repo)
    .where("outcome", "=", "merged")
    .where("merged_at", ">=", sql<Date>`now() - make_interval(days => ${windowDays})`)
    .orderBy("merged_at", "desc")
    .limit(500)
    .execute();
  return rows.map(toTask);
}

/** Completed tasks with a PR and no outcome, ended inside the window: what the reconcile asks GitHub about. */
export async function listTasksAwaitingOutcome(db: FixlineDb, windowDays: number, limit = 100): Promise<TaskRecord[]> {
  const rows = await db
    .selectFrom("tasks")
    .selectAll()
    .where("state", "=", "completed")
    .where("outcome", "is", null)
    .where("pr_number", "is not", null)
    .where("ended_at", ">=", sql<Date>`now() - make_interval(days => ${windowDays})`)
    .orderBy("ended_at", "asc")
    .limit(limit)
    .execute();
  return rows.map(toTask);
}
