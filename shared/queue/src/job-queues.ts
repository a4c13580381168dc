import { Queue, type JobsOptions } from "bullmq";
import type { RedisClient } from "./redis-connection";
import { FixlineError } from "@fixline/core";
import { createCircuitBreakers, type CircuitBreakers } from "./circuit-breaker";
import { isPooledQueue, jobCatalog, parseJob, poolQueueName, queueNames, type JobInput, type QueueName, type StoredJobData } from "./job-catalog";

export interface JobQueues {
  /** Adds a job; a second add with the same jobId is a no-op while the first is retained. */
  enqueue<Q extends QueueName>(queue: Q, data: JobInput<Q>, options: { jobId: string; delayMs?: number; priority?: number; pool?: string }): Promise<void>;
  /**
   * Adds many outbox rows of one queue (of one pool, for planning and execution) in one round trip (the outbox
   * relay's batches). Not checked again: the data was checked when its row was written (insertOutboxJobs).
   */
  enqueueBulk(queue: QueueName, jobs: ReadonlyArray<{ data: StoredJobData; jobId: string }>, pool?: string): Promise<void>;
  /** Job counts per BullMQ queue (`execution`, `execution.python`...) and state, for metrics and the dashboard. */
  counts(): Promise<Record<string, Record<string, number>>>;
  /** The BullMQ queue of `name` for `pool` (planning and execution are per pool; the others ignore it). */
  queue(name: QueueName, pool?: string): Queue;
  /**
   * How many workers consume `name` for `pool` now: BullMQ names each worker's Redis connection after its
   * queue, so this is CLIENT LIST, live (a crashed worker's connection is gone) and costs no heartbeat.
   */
  workerCount(name: QueueName, pool?: string): Promise<number>;
  /** The providers' circuit breakers (issue 20), as the workers on these queues record them. */
  breakers: CircuitBreakers;
  close(): Promise<void>;
}

export interface JobQueuesOptions {
  connection: RedisClient;
  /** BullMQ key prefix; tests use a unique one so runs never share queues. */
  prefix?: string;
  /** Pools whose queues are opened at once, so counts() and /queues show them before their first job. */
  pools?: readonly string[];
}

function catalogOptions(queue: QueueName, jobId: string): JobsOptions {
  const entry = jobCatalog[queue];
  return { jobId, attempts: entry.attempts, backoff: entry.backoff, removeOnComplete: entry.removeOnComplete, removeOnFail: entry.removeOnFail };
}

export function createJobQueues({ connection, prefix = "fixline", pools = [] }: JobQueuesOptions): JobQueues {
  // Keyed by the BullMQ queue name; a pool's queues open on first use.
  const queues = new Map<string, Queue>();
  const get = (name: QueueName, pool?: string): Queue => {
    const full = poolQueueName(name, pool);
    let queue = queues.get(full);
    if (!queue) {
      queue = new Queue(full, { connection, prefix });
      queues.set(full, queue);
    }
    return queue;
  };
  for (const name of queueNames) {
    get(name);
    if (isPooledQueue(name)) for (const pool of pools) get(name, pool);
  }
  return {
    async enqueue(queue, data, options) {
      const parsed = parseJob(queue, data);
      const jobOptions: JobsOptions = {
        ...catalogOptions(queue, options.jobId),
        ...(options.delayMs ? { delay: options.delayMs } : {}),
        ...(options.priority ? { priority: options.priority } : {}),
      };
      try {
        await get(queue, options.pool).add(queue, parsed, jobOptions);
      } catch (error) {
        throw new FixlineError("REDIS_UNAVAILABLE", `could not enqueue ${queue} job ${options.jobId}: ${(error as Error).message}`, { cause: error });
      }
    },
    async enqueueBulk(queue, jobs, pool) {
      if (jobs.length === 0) return;
      const bulk = jobs.map((job) => ({ name: queue, data: job.data, opts: catalogOptions(queue, job.jobId) }));
      try {
        await get(queue, pool).addBulk(bulk);
      } catch (error) {
        throw new FixlineError("REDIS_UNAVAILABLE", `could not enqueue ${jobs.length} ${queue} job(s): ${(error as Error).message}`, { cause: error });
      }
    },
    async counts() {
      const result: Record<string, Record<string, number>> = {};
      for (const [name, queue] of queues) {
        result[name] = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed", "paused", "waiting-children");
      }
      return result;
    },
    queue: get,
    breakers: createCircuitBreakers(connection, prefix),
    async workerCount(name, pool) {
      return get(name, pool).getWorkersCount();
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
