/**
 * The `pr_number` a dry-run plan is recorded with: the column is an integer and plan_ready needs one, and 0 is
 * never a real GitHub number, so 0 means "no PR: dry run". The PR the run would have opened is in
 * `data.dryRunPullRequest`. Test it only with the helpers below.
 */
export const dryRunPrNumber = 0;

/** Whether the task has a real pull request (not none, not a dry run's placeholder). */
export function hasPullRequest<T extends { prNumber: number | null }>(task: T): task is T & { prNumber: number } {
  return task.prNumber !== null && task.prNumber > dryRunPrNumber;
}

/** Whether the task's plan was made in a dry run (it has the placeholder PR number). */
export function isDryRunPlan(task: { prNumber: number | null }): boolean {
  return task.prNumber === dryRunPrNumber;
}
