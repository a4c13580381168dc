import { createAgentWorker, type FixlineWorker } from "@fixline/queue";
import { executeTask } from "./execute-task";
import type { ExecutorDeps } from "./workflow/execution-context";

/**
 * The `execution` queue's worker: EXECUTOR_CONCURRENCY jobs per process (at most one per PR, by a Redis
 * lock), each an approved plan taken to a verified, pushed, ready-for-review fix or a recorded failure.
 * A cancellation aborts the running job (the agent worker's one cancel listener).
 */
export function createExecutionWorker(deps: ExecutorDeps): FixlineWorker {
  return createAgentWorker(
    "execution",
    async ({ data, jobId, finalAttempt, signal, logger }) => executeTask(deps, { taskId: data.taskId, approvalId: data.approvalId, jobId, finalAttempt, signal, logger }),
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
