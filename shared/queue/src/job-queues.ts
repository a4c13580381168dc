import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { FixlineError } from "@fixline/core";
import { jobCatalog, queueNames, type JobData, type QueueName } from "./job-catalog";

export interface JobQueues {
  /** Adds a job; a second add with the same jobId is a no-op while the first is retained. */
  enqueue<Q extends QueueName>(queue: Q, data: JobData<Q>, options: { jobId: string; delayMs?: number; priority?: number }): Promise<void>;
  /** Adds many jobs of one queue in one round trip (the outbox relay's batches). */
  enqueueBulk<Q extends QueueName>(queue: Q, jobs: ReadonlyArray<{ data: JobData<Q>; jobId: string }>): Promise<void>;
  /** Job counts per queue and state, for metrics and the dashboard. */
  counts(): Promise<Record<QueueName, Record<string, number>>>;
  queue(name: QueueName): Queue;
  close(): Promise<void>;
}

export interface JobQueuesOptions {
  connection: Redis;
  /** BullMQ key prefix; tests use a unique one so runs never share queues. */
  prefix?: string;
}

function catalogOptions(queue: QueueName, jobId: string): JobsOptions {
  const entry = jobCatalog[queue];
  return { jobId, attempts: entry.attempts, backoff: entry.backoff, removeOnComplete: entry.removeOnComplete, removeOnFail: entry.removeOnFail };
}

export function createJobQueues({ connection, prefix = "fixline" }: JobQueuesOptions): JobQueues {
  const queues = new Map<QueueName, Queue>();
  for (const name of queueNames) queues.set(name, new Queue(name, { connection, prefix }));
  const get = (name: QueueName): Queue => queues.get(name)!;
  return {
    async enqueue(queue, data, options) {
      const entry = jobCatalog[queue];
      const parsed = entry.schema.safeParse(data);
      if (!parsed.success) throw new FixlineError("JOB_DATA_INVALID", `job for ${queue}: ${parsed.error.message}`);
      const jobOptions: JobsOptions = {
        ...catalogOptions(queue, options.jobId),
        ...(options.delayMs ? { delay: options.delayMs } : {}),
        ...(options.priority ? { priority: options.priority } : {}),
      };
      try {
        await get(queue).add(queue, parsed.data, jobOptions);
      } catch (error) {
        throw new FixlineError("REDIS_UNAVAILABLE", `could not enqueue ${queue} job ${options.jobId}: ${(error as Error).message}`, { cause: error });
      }
    },
    async enqueueBulk(queue, jobs) {
      if (jobs.length === 0) return;
      const entry = jobCatalog[queue];
      const bulk = jobs.map((job) => {
        const parsed = entry.schema.safeParse(job.data);
        if (!parsed.success) throw new FixlineError("JOB_DATA_INVALID", `job ${job.jobId} for ${queue}: ${parsed.error.message}`);
        return { name: queue, data: parsed.data, opts: catalogOptions(queue, job.jobId) };
      });
      try {
        await get(queue).addBulk(bulk);
      } catch (error) {
        throw new FixlineError("REDIS_UNAVAILABLE", `could not enqueue ${jobs.length} ${queue} job(s): ${(error as Error).message}`, { cause: error });
      }
    },
    async counts() {
      const result = {} as Record<QueueName, Record<string, number>>;
      for (const name of queueNames) {
        result[name] = await get(name).getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed", "paused", "waiting-children");
      }
      return result;
    },
    queue: get,
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
