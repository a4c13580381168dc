import { DelayedError, Worker, UnrecoverableError, type Job } from "bullmq";
import type { RedisClient } from "./redis-connection";
import { isFixlineError, outageProvider, type Logger, type OutageProvider } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { poolQueueName, readJob, type JobData, type QueueName } from "./job-catalog";
import { createCircuitBreakers } from "./circuit-breaker";

/** Retry-After is honoured up to 15 minutes, and for at most this many waits of one job. */
const maxRetryAfterSeconds = 900;
const maxRetryAfterWaits = 30;

/** The providers a successful job of each queue proves reachable again, closing their breakers. */
const provenBySuccess: Record<QueueName, OutageProvider[]> = { planning: ["claude", "github"], execution: ["claude", "github"], notify: ["github"], hooks: [] };

export interface JobContext<Q extends QueueName> {
  data: JobData<Q>;
  job: Job;
  /** Aborted when the worker shuts down past its grace period or the task is cancelled. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Lock and stall settings for every worker this process creates, set once at boot from config
 * (`setWorkerDefaults`), so the recovery time after a crash is an operator's choice, not each caller's.
 */
const workerDefaults = { lockDuration: 60_000, stalledInterval: 30_000, maxStalledCount: 2 };
export function setWorkerDefaults(defaults: { lockDuration: number; stalledInterval: number; maxStalledCount?: number }): void {
  Object.assign(workerDefaults, defaults);
}

export type JobHandler<Q extends QueueName> = (context: JobContext<Q>) => Promise<unknown>;

export interface CreateWorkerOptions {
  connection: RedisClient;
  prefix?: string;
  concurrency?: number;
  logger: Logger;
  /** Lock renewal: BullMQ renews every lockDuration/2 while the handler runs, so long Claude runs keep their job. */
  lockDuration?: number;
  stalledInterval?: number;
  /** Extra label for logs and metrics when several workers share a queue. */
  name?: string;
  /** The pool to consume (planning and execution only; issue 20). Default `default`. */
  pool?: string;
}

export interface FixlineWorker {
  worker: Worker;
  queue: QueueName;
  /** The BullMQ queue it consumes (`execution`, `execution.python`...). */
  queueName: string;
  /** Aborts running jobs whose data has this taskId (a cancellation). Returns how many were aborted. */
  abortTask(taskId: string, reason?: string): number;
  /** Stops taking jobs, waits up to graceMs for running ones, then aborts them and closes. */
  drain(graceMs: number): Promise<void>;
  /** Resolves once a cancellation published now reaches the running jobs (agent workers listen; others need not). */
  listening: Promise<void>;
}

/**
 * A BullMQ worker with Fixline's contract: data parsed against the catalog schema (a mismatch fails
 * the job at once as unrecoverable, without retries), an AbortSignal per job, a child logger, metrics,
 * and coded errors that are not retryable failing fast.
 */
export function createWorker<Q extends QueueName>(queue: Q, handler: JobHandler<Q>, options: CreateWorkerOptions): FixlineWorker {
  const running = new Map<string, { controller: AbortController; taskId: string | undefined }>();
  const queueName = poolQueueName(queue, options.pool);
  const breakers = createCircuitBreakers(options.connection, options.prefix ?? "fixline");
  const worker = new Worker(
    queueName,
    async (job: Job, token?: string) => {
      const logger = options.logger.child({ queue: queueName, jobId: job.id, attempt: job.attemptsMade + 1 });
      const read = readJob(queue, job.data);
      if (!read.ok) {
        metrics.jobs.inc({ queue, outcome: "invalid" });
        logger.error({ issues: read.issues }, "job data does not match its schema; failing without retry");
        throw new UnrecoverableError(`JOB_DATA_INVALID: ${read.message}`);
      }
      const { data } = read;
      const taskId: string | undefined = data.taskId;
      const controller = new AbortController();
      running.set(job.id!, { controller, taskId });
      const taskLogger = taskId ? logger.child({ taskId }) : logger;
      const started = performance.now();
      try {
        const result = await handler({ data, job, signal: controller.signal, logger: taskLogger });
        metrics.jobs.inc({ queue, outcome: "completed" });
        for (const provider of provenBySuccess[queue]) await breakers.close(provider).catch(() => {});
        return result;
      } catch (error) {
        const provider = outageProvider(error);
        if (provider && !controller.signal.aborted) {
          // An outage, not a failure (issue 20): open the provider's breaker and pause this queue for every
          // worker (BullMQ's queue-wide rate limit); the job goes back to waiting without using up an attempt.
          const { delayMs, state } = await breakers.open(provider, error as { code: string; message: string });
          metrics.jobs.inc({ queue, outcome: "paused" });
          taskLogger.warn({ provider, code: (error as { code: string }).code, pauseMs: delayMs, failures: state.failures }, `${provider} is unavailable; pausing ${queueName} and keeping the job`);
          await worker.rateLimit(delayMs);
          throw Worker.RateLimitError();
        }
        const retryAfterSeconds = isFixlineError(error) && error.retryable ? Number(error.details?.retryAfterSeconds) : Number.NaN;
        if (token && retryAfterSeconds > 0 && retryAfterSeconds <= maxRetryAfterSeconds && job.attemptsStarted <= maxRetryAfterWaits && !controller.signal.aborted) {
          // Slack, Jira or GitHub said when to come back (429 + Retry-After): wait exactly that, without using up an
          // attempt (issue 20); bounded, so a service that always says "later" still ends in the catalog's retries.
          metrics.jobs.inc({ queue, outcome: "delayed" });
          taskLogger.warn({ retryAfterSeconds, code: (error as { code: string }).code }, "rate limited; retrying when the service asked");
          await job.moveToDelayed(Date.now() + retryAfterSeconds * 1_000, token);
          throw new DelayedError();
        }
        if (isFixlineError(error) && !error.retryable) {
          metrics.jobs.inc({ queue, outcome: "failed" });
          taskLogger.warn({ code: error.code, err: error.message }, "job failed permanently");
          throw new UnrecoverableError(`${error.code}: ${error.message}`);
        }
        metrics.jobs.inc({ queue, outcome: "retry" });
        taskLogger.warn({ err: error instanceof Error ? error.message : String(error) }, "job failed; BullMQ will retry if attempts remain");
        throw error;
      } finally {
        running.delete(job.id!);
        metrics.jobDuration.observe({ queue }, (performance.now() - started) / 1000);
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix ?? "fixline",
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDuration ?? workerDefaults.lockDuration,
      stalledInterval: options.stalledInterval ?? workerDefaults.stalledInterval,
      // How many times a job may lose its worker (crash, kill -9) before BullMQ fails it.
      maxStalledCount: workerDefaults.maxStalledCount,
      // Never reached; it makes BullMQ honour worker.rateLimit(), the circuit breaker's queue-wide pause.
      limiter: { max: 1_000_000, duration: 1_000 },
    },
  );
  worker.on("error", (error) => options.logger.error({ queue, err: error.message }, "worker error"));

  return {
    worker,
    queue,
    queueName,
    listening: Promise.resolve(),
    abortTask(taskId, reason = "cancelled") {
      let count = 0;
      for (const { controller, taskId: t } of running.values()) {
        if (t === taskId) {
          controller.abort(new Error(reason));
          count++;
        }
      }
      return count;
    },
    async drain(graceMs) {
      // close() stops fetching new jobs and resolves when running ones end. If that takes longer than the
      // grace period, abort them: their handlers stop Claude, and BullMQ's stalled-job check hands the job
      // to another worker once this process's lock lapses.
      const closing = worker.close();
      const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
      if (timedOut) {
        options.logger.warn({ queue, running: running.size }, "grace period over; aborting running jobs");
        for (const { controller } of running.values()) controller.abort(new Error("worker shutting down"));
        await worker.close(true);
      }
    },
  };
}
