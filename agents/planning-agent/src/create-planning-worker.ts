import { FixlineError, outageProvider, toFixlineError } from "@fixline/core";
import { getTask } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { createWorker, type FixlineWorker } from "@fixline/queue";
import { cancelChannel } from "./cancel-channel";
import { failTask } from "./fail-task";
import type { PlanningDeps } from "./planning-deps";
import { runPlanning } from "./run-planning";

/**
 * The `planning` queue's worker. Retryable failures (a clone that failed, a crashed CLI) are rethrown so
 * BullMQ retries them; on the last attempt, and for every other coded failure, the task ends failed and the
 * requester is told. A cancellation (published on `fixline:cancel`) aborts the running Claude and the job
 * ends quietly; a worker shutdown leaves the job to be retried elsewhere.
 */
export function createPlanningWorker(deps: PlanningDeps): FixlineWorker {
  const fixlineWorker = createWorker(
    "planning",
    async ({ data, job, signal, logger }) => {
      const started = performance.now();
      try {
        const result = await runPlanning(data, deps, { signal, logger });
        if (result.outcome === "skipped") logger.info({ reason: result.reason }, "planning job skipped");
        return result;
      } catch (caught) {
        const error = toFixlineError(caught);
        const task = await getTask(deps.db, data.taskId);
        if (signal.aborted) {
          if (task?.state === "cancelled") {
            logger.info("planning stopped: the task was cancelled");
            return { outcome: "cancelled" };
          }
          // Shutting down: let the job be picked up again rather than failing the task.
          throw new FixlineError("INTERNAL", "planning interrupted by a worker shutdown", { cause: caught, retryable: true });
        }
        if (!task || (task.state !== "received" && task.state !== "planning")) {
          logger.info({ state: task?.state, code: error.code }, "planning stopped: the task moved on meanwhile");
          return { outcome: "skipped", reason: `task is ${task?.state ?? "gone"}` };
        }
        // A Claude or GitHub outage pauses the queue (the worker's circuit breaker) and never fails the task.
        if (outageProvider(error)) throw error;
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (error.retryable && !lastAttempt) throw error;
        await failTask(deps.db, data.taskId, error, logger);
        throw new FixlineError(error.code, error.message, { cause: caught, retryable: false });
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

  const subscriber = deps.connection.duplicate();
  subscriber.on("error", () => {});
  subscriber.on("message", (channel: string, taskId: string) => {
    if (channel !== cancelChannel) return;
    const aborted = fixlineWorker.abortTask(taskId, "cancelled");
    if (aborted > 0) deps.logger.info({ taskId, aborted }, "cancelled a running planning job");
  });
  void subscriber.subscribe(cancelChannel).catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, "cannot subscribe to cancellations"));

  return {
    ...fixlineWorker,
    async drain(graceMs) {
      await fixlineWorker.drain(graceMs);
      subscriber.disconnect();
    },
  };
}
