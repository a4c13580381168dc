import type { RedisClient } from "@fixline/queue";
import { getTask } from "@fixline/db";
import { createWorker, type FixlineWorker } from "@fixline/queue";
import { notifyTask } from "./notify-task";
import type { NotifyDeps } from "./notify-types";

export interface NotifyWorkerDeps extends NotifyDeps {
  /** A worker-style Redis connection (maxRetriesPerRequest: null). */
  connection: RedisClient;
  prefix?: string;
  concurrency?: number;
}

/**
 * The `notify` queue's worker. Each job is one announcement; its id keys the ledger, so a retried job
 * re-sends only the channels that have not succeeded yet. A channel outage throws (BullMQ retries with
 * backoff for about an hour); refusals are skipped. Jobs of the same task run one after another in this
 * process, so the first message creates the Slack thread before the next one looks for it.
 */
export function createNotifyWorker(deps: NotifyWorkerDeps): FixlineWorker {
  const perTask = new Map<string, Promise<unknown>>();

  function serialized<T>(taskId: string, run: () => Promise<T>): Promise<T> {
    const previous = perTask.get(taskId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(run);
    perTask.set(taskId, next);
    void next.catch(() => {}).finally(() => {
      if (perTask.get(taskId) === next) perTask.delete(taskId);
    });
    return next;
  }

  return createWorker(
    "notify",
    async ({ data, job, logger }) =>
      serialized(data.taskId, async () => {
        const task = await getTask(deps.db, data.taskId);
        if (!task) {
          logger.warn("notify job for a task that does not exist; dropped");
          return { dropped: true };
        }
        const key = data.details.key ?? `job:${job.id ?? "unknown"}`;
        const outcome = await notifyTask({ ...data, task, key }, { ...deps, logger });
        const firstFailure = outcome.failed[0];
        if (firstFailure) throw firstFailure.error;
        return { sent: outcome.sent, skipped: outcome.skipped, rejected: outcome.rejected, dryRun: outcome.dryRun };
      }),
    { connection: deps.connection, logger: deps.logger, concurrency: deps.concurrency ?? 4, name: "notify", ...(deps.prefix ? { prefix: deps.prefix } : {}) },
  );
}
