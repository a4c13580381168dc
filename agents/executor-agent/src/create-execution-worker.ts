import { createWorker, type FixlineWorker } from "@fixline/queue";
import { executeTask } from "./execute-task";
import type { ExecutorDeps } from "./workflow/execution-context";

/**
 * The `execution` queue's worker: EXECUTOR_CONCURRENCY jobs per process (at most one per PR, by a Redis
 * lock), each an approved plan taken to a verified, pushed, ready-for-review fix or a recorded failure.
 */
export function createExecutionWorker(deps: ExecutorDeps): FixlineWorker {
  return createWorker(
    "execution",
    async ({ data, job, signal, logger }) =>
      executeTask(deps, {
        taskId: data.taskId,
        approvalId: data.approvalId,
        jobId: job.id ?? `${data.taskId}:${data.approvalId}`,
        finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        signal,
        logger,
      }),
    {
      connection: deps.connection,
      ...(deps.prefix ? { prefix: deps.prefix } : {}),
      concurrency: deps.concurrency ?? deps.config.executorConcurrency,
      logger: deps.logger,
      name: "executor",
      ...(deps.pool ? { pool: deps.pool } : {}),
    },
  );
}
