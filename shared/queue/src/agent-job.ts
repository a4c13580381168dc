import type { RedisClient } from "./redis-connection";
import { FixlineError, outageProvider, toFixlineError, type Logger } from "@fixline/core";
import { acquireLock } from "./task-lock";

/** What becomes of an agent job whose work threw. */
export type AgentJobVerdict =
  /** The task left the states this job acts in (cancelled, planned or failed elsewhere): end quietly. */
  | "step_aside"
  /** The worker is shutting down: the job goes back to the queue, the task is left as it is. */
  | "interrupted"
  /** Transient, or an outage (the worker's circuit breaker pauses the queue): BullMQ runs the job again. */
  | "retry"
  /** The task ends failed: the agent's fail transition runs, once. */
  | "fail";

/**
 * Retry or fail, decided in one place for both agents (issue 18: the planner decided in its worker wrapper,
 * the executor inside executeTask). An outage (issue 20) is never the task's failure, even on the last attempt.
 */
export function decideAfterError(input: { error: FixlineError; aborted: boolean; finalAttempt: boolean; taskActs: boolean }): AgentJobVerdict {
  if (!input.taskActs) return "step_aside";
  if (input.aborted) return "interrupted";
  if (outageProvider(input.error)) return "retry";
  if (input.error.retryable && !input.finalAttempt) return "retry";
  return "fail";
}

/** Why an agent job stepped aside: the state the task is in now, and whether the job was aborted (a cancellation). */
export interface StepAside {
  state: string | undefined;
  aborted: boolean;
  error: FixlineError;
}

export interface AgentJob<R> {
  /** For logs and errors: `planning`, `execution`. */
  name: string;
  signal: AbortSignal;
  /** False while BullMQ has attempts left: a retryable error is then retried instead of failing the task. */
  finalAttempt: boolean;
  logger: Logger;
  /** One holder per key across processes, renewed while the job runs; the owner is the job id. */
  lock: { redis: RedisClient; key: string; owner: string; ttlMs?: number };
  /** Another job holds the lock. */
  busy(): Promise<R>;
  /** The states this job may act in; a task found elsewhere after an error is left alone. */
  states: readonly string[];
  /** The task's state now (undefined when it is gone). */
  readState(): Promise<string | undefined>;
  run(): Promise<R>;
  stepAside(why: StepAside): R;
  /** The fail transition (and whatever the agent keeps of the work first). Runs at most once, for a final error. */
  fail(error: FixlineError, cause: unknown): Promise<R>;
  /** After everything, the fail transition included, before the lock goes. */
  cleanup?(): Promise<void>;
}

/**
 * The lifecycle every agent job shares: take the lock (renewed while Claude runs), run the work, and on an
 * error decide once between stepping aside, going back to the queue, retrying and failing the task.
 */
export async function runAgentJob<R>(job: AgentJob<R>): Promise<R> {
  const lock = await acquireLock(job.lock.redis, job.lock.key, job.lock.owner, job.lock.ttlMs !== undefined ? { ttlMs: job.lock.ttlMs } : {});
  if (!lock) return job.busy();
  try {
    return await job.run();
  } catch (caught) {
    return await afterError(job, caught);
  } finally {
    try {
      await job.cleanup?.();
    } finally {
      await lock.release().catch((error: unknown) => job.logger.warn({ err: error }, "could not release the lock; it expires by itself"));
    }
  }
}

async function afterError<R>(job: AgentJob<R>, caught: unknown): Promise<R> {
  const error = toFixlineError(caught);
  const aborted = job.signal.aborted;
  const state = await job.readState();
  const verdict = decideAfterError({ error, aborted, finalAttempt: job.finalAttempt, taskActs: state !== undefined && job.states.includes(state) });
  switch (verdict) {
    case "step_aside":
      job.logger.info({ state, code: error.code, aborted }, `${job.name} stopped: the task is ${state ?? "gone"}`);
      return job.stepAside({ state, aborted, error });
    case "interrupted":
      // Shutting down: keep the work and let the job be picked up again rather than failing the task.
      job.logger.warn({ code: error.code }, `${job.name} interrupted; work kept for the next attempt`);
      throw new FixlineError("INTERNAL", `${job.name} interrupted by a worker shutdown`, { cause: caught, retryable: true });
    case "retry":
      job.logger.warn({ code: error.code, err: error.message }, `${job.name}: transient failure; the job will be retried`);
      throw error;
    case "fail":
      return job.fail(error, caught);
    default: {
      const never: never = verdict;
      throw new Error(`unknown verdict ${String(never)}`);
    }
  }
}
