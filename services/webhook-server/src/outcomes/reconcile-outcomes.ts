import type { Config, Logger } from "@fixline/core";
import { listTasksAwaitingOutcome, recordClosedUnmerged, recordMerged, type FixlineDb } from "@fixline/db";
import type { GitHubClient } from "@fixline/integrations";

export interface ReconcileOutcomesDeps {
  db: FixlineDb;
  github: GitHubClient;
  config: Config;
  logger: Logger;
}

/** Every ten minutes: a missed `pull_request.closed` delivery shows up within one period. */
export const reconcileIntervalMs = 10 * 60_000;

/**
 * Issue 21: completed tasks whose PR has no outcome yet (a delivery GitHub never sent, or one we were down
 * for) are asked about through the GitHub client. Writes go through the same guarded functions as the
 * webhook, so a fact the webhook already recorded changes nothing and is not counted twice.
 */
export async function reconcileOutcomes(deps: ReconcileOutcomesDeps): Promise<{ checked: number; changed: number }> {
  const options = { knownRepos: Object.keys(deps.config.file.repos), via: "reconcile" as const };
  const tasks = await listTasksAwaitingOutcome(deps.db, deps.config.file.defaults.revertWindowDays);
  let changed = 0;
  for (const task of tasks) {
    try {
      const pull = await deps.github.getPullRequest(task.repo, task.prNumber!);
      if (pull.state !== "closed") continue;
      const wrote = pull.merged
        ? await recordMerged(deps.db, { taskId: task.id, mergedAt: pull.mergedAt ? new Date(pull.mergedAt) : new Date(), mergeCommitSha: pull.mergeCommitSha ?? null }, options)
        : await recordClosedUnmerged(deps.db, { taskId: task.id }, options);
      if (wrote) changed += 1;
    } catch (error) {
      // One repository's outage must not stop the rest; the next period asks again.
      deps.logger.warn({ taskId: task.id, err: (error as Error).message }, "outcome reconcile: GitHub lookup failed");
    }
  }
  if (changed) deps.logger.info({ checked: tasks.length, changed }, "outcome reconcile recorded missed deliveries");
  return { checked: tasks.length, changed };
}

/** Runs the reconcile every period until stopped; a failed round is logged and the next one tries again. */
export function startOutcomeReconcile(deps: ReconcileOutcomesDeps, intervalMs = reconcileIntervalMs): { stop(): void } {
  const timer = setInterval(() => {
    reconcileOutcomes(deps).catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, "outcome reconcile failed"));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
