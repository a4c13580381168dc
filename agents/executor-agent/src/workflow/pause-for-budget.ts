import { budgetTopUpUsd, isFixlineError, type FixlineError } from "@fixline/core";
import { outcomeRepoLabel, transition } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { keepUnverifiedWork, type FailureContext } from "./handle-failure";

/**
 * Issue 21: 80% of the execution budget is spent. The work is kept exactly as a failure keeps it (proven
 * phases on the branch, anything unverified in refs/fixline/<task>/wip), so the execution job that a writer's
 * `@agent approve budget=+$5` queues resumes from that checkpoint like a retry does. The task moves to
 * waiting_budget with one notify job: the question is asked once per pause, on the PR and in Slack, by the
 * notify worker. The job itself ends normally: nothing is retried, nothing run again, nothing billed twice.
 */
export async function pauseForBudget(context: FailureContext, error: FixlineError): Promise<void> {
  const { deps, task, state, logger } = context;
  const grantedUsd = Number(error.details?.grantedUsd ?? 0);
  const spentUsd = Number(error.details?.spentUsd ?? 0);
  const wipRef = await keepUnverifiedWork(context, error);
  try {
    await transition(deps.db, {
      taskId: task.id,
      expected: "executing",
      event: { type: "budget_exhausted", grantedUsd, spentUsd },
      actor: { via: "system", login: "executor" },
      data: { jobId: context.jobId, lastProvenPhase: state.lastProvenPhase ?? null, ...(wipRef ? { wipRef } : {}) },
      jobs: [
        {
          queue: "notify",
          data: { taskId: task.id, event: "budget_needed", details: { grantedUsd, spentUsd, topUpUsd: budgetTopUpUsd, lastProvenPhase: state.lastProvenPhase ?? null } },
        },
      ],
    });
    metrics.budgetPauses.inc({ repository: outcomeRepoLabel(task.repo, Object.keys(deps.config.file.repos)) });
  } catch (transitionError) {
    // Cancelled meanwhile (STALE_STATE): the cancellation stands.
    if (!isFixlineError(transitionError, "STALE_STATE")) throw transitionError;
    logger.info("task left executing before the pause was recorded; leaving it as it is");
    return;
  }
  logger.info({ grantedUsd, spentUsd, lastProvenPhase: state.lastProvenPhase, wipRef }, "execution paused: waiting for budget");
}
