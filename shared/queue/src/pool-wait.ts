import type { JobQueues } from "./job-queues";
import { poolQueueName, type PooledQueue } from "./job-catalog";

/** Which pooled queue a task in this state waits on, if any: a received task on a planner, an approved one on an executor. */
export function awaitedQueue(state: string): PooledQueue | undefined {
  if (state === "received") return "planning";
  if (state === "approved") return "execution";
  return undefined;
}

/** Why a task waits, when the reason is a pool nobody serves (issue 20): the sentence `show`, the dashboard and doctor print. */
export function noWorkerMessage(queue: PooledQueue, pool: string): string {
  const role = queue === "planning" ? "planner" : "executor";
  return `waiting for a \`${pool}\` ${role}: no worker takes the ${poolQueueName(queue, pool)} queue; start one with \`fixline start --role ${role} --pool ${pool}\``;
}

export interface PoolWaitCheck {
  /** The no-worker sentence for a task, or null when it is not waiting on a queue or a worker serves its pool. */
  reason(task: { state: string; repo: string }): Promise<string | null>;
}

/**
 * Looks up whether anyone consumes a task's pool queue (BullMQ's CLIENT LIST of worker connections), cached
 * for `ttlMs` per queue so a page of 50 tasks costs one lookup per pool, not 50.
 */
export function createPoolWaitCheck(queues: JobQueues, poolOf: (repo: string) => string, ttlMs = 2_000): PoolWaitCheck {
  const cache = new Map<string, { at: number; workers: Promise<number> }>();
  const workers = (queue: PooledQueue, pool: string): Promise<number> => {
    const key = poolQueueName(queue, pool);
    const hit = cache.get(key);
    if (hit && performance.now() - hit.at < ttlMs) return hit.workers;
    // A Redis that refuses CLIENT LIST (some managed offerings) must not hide the task: unknown counts as served.
    const count = queues.workerCount(queue, pool).catch(() => Number.POSITIVE_INFINITY);
    cache.set(key, { at: performance.now(), workers: count });
    return count;
  };
  return {
    async reason(task) {
      const queue = awaitedQueue(task.state);
      if (!queue) return null;
      const pool = poolOf(task.repo);
      return (await workers(queue, pool)) === 0 ? noWorkerMessage(queue, pool) : null;
    },
  };
}
