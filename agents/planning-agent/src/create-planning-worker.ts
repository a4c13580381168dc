import { metrics } from "@fixline/observability";
import { createAgentWorker, type FixlineWorker } from "@fixline/queue";
import type { PlanningDeps } from "./planning-deps";
import { runPlanning } from "./run-planning";

/**
 * The `planning` queue's worker. Retryable failures (a clone that failed, a crashed CLI) are rethrown so
 * BullMQ retries them; on the last attempt, and for every other coded failure, the task ends failed and the
 * requester is told (runPlanning, in the shared agent-job skeleton). A cancellation aborts the running Claude
 * and the job ends quietly; a worker shutdown leaves the job to be retried elsewhere.
 */
export function createPlanningWorker(deps: PlanningDeps): FixlineWorker {
  return createAgentWorker(
    "planning",
    async ({ data, jobId, finalAttempt, signal, logger }) => {
      const started = performance.now();
      try {
        const result = await runPlanning(data, deps, { signal, logger, jobId, finalAttempt });
        if (result.outcome === "skipped") logger.info({ reason: result.reason }, "planning job skipped");
        return result;
      } finally {
        metrics.phaseDuration.observe({ phase: "planning" }, (performance.now() - started) / 1000);
      }
    },
    {
      connection: deps.connection,
      logger: deps.logger,
      concurrency: deps.concurrency ?? deps.config.plannerConcurrency,
      // Claude runs for many minutes; BullMQ renews the lock every lockDuration/2 while the handler runs.
      lockDuration: 120_000,
      name: "planning",
      ...(deps.pool ? { pool: deps.pool } : {}),
      ...(deps.prefix ? { prefix: deps.prefix } : {}),
    },
  );
}
