import { z } from "zod";
import { defaultPool } from "@fixline/core";

/** What a notify job announces. Each is rendered per channel (Slack, Jira, GitHub, Sentry, hooks). */
export const notifyEvents = [
  "task_received",
  "plan_ready",
  "plan_rejected",
  "approved",
  "execution_started",
  "completed",
  "failed",
  "cancelled",
  "command_refused",
  "command_ack",
  /** Issue 21: the task paused at 80% of its execution budget; the one question "continue with +$5?". */
  "budget_needed",
] as const;
export type NotifyEvent = (typeof notifyEvents)[number];

const taskId = z.uuid();

/**
 * The facts a `failed` notify job carries so the notify worker can say everything in its one message
 * (issue 15: the executor no longer comments itself). All optional: planning failures carry fewer.
 */
export const failedDetailsSchema = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  hint: z.string().optional(),
  lastProvenPhase: z.enum(["red", "green"]).nullable().optional(),
  /** The branch the proven commits are on. */
  branch: z.string().optional(),
  /** Where the agent's unverified work is kept for `@agent retry` (refs/fixline/<task>/wip). */
  wipRef: z.string().optional(),
  /** Its commit (a full SHA, which GitHub links in a comment). */
  wipCommit: z.string().optional(),
  /** The deciding test run's output, an excerpt. */
  output: z.string().optional(),
  redProof: z.object({ command: z.string(), failingTests: z.array(z.string()) }).optional(),
  /** What the harness took back from the agent (its commits, refs, PLAN.md edits). */
  findings: z.array(z.string()).optional(),
});
export type FailedDetails = z.infer<typeof failedDetailsSchema>;

/**
 * Every queue's contract: the zod schema of its data and its retry/retention policy. Keyed by queue
 * name; each queue carries one job name (the same), so a job's type is known from its queue.
 * Retention keeps completed jobs for a day so a relay re-send of the same jobId stays a no-op.
 */
export const jobCatalog = {
  planning: {
    schema: z.object({ taskId, feedback: z.string().max(20_000).optional() }),
    attempts: 3,
    backoff: { type: "exponential" as const, delay: 5_000 },
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 7 * 86_400 },
  },
  execution: {
    schema: z.object({ taskId, approvalId: z.uuid() }),
    attempts: 3,
    backoff: { type: "exponential" as const, delay: 10_000 },
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 7 * 86_400 },
  },
  notify: {
    schema: z.object({
      taskId,
      event: z.enum(notifyEvents),
      /** Event-specific facts (error code, the refused user, the command...), all plain JSON. */
      details: z.record(z.string(), z.unknown()).optional(),
    }),
    // Outside APIs go down for minutes; keep trying for about an hour without ever failing the task.
    attempts: 12,
    backoff: { type: "exponential" as const, delay: 2_000 },
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 7 * 86_400 },
  },
  hooks: {
    schema: z.object({
      taskId,
      hook: z.string(),
      event: z.string(),
      deliveryId: z.string(),
      payload: z.record(z.string(), z.unknown()),
    }),
    attempts: 10,
    backoff: { type: "exponential" as const, delay: 2_000 },
    removeOnComplete: { age: 86_400, count: 10_000 },
    removeOnFail: { age: 7 * 86_400 },
  },
} satisfies Record<string, { schema: z.ZodType; attempts: number; backoff: { type: "exponential" | "fixed"; delay: number }; removeOnComplete: object; removeOnFail: object }>;

export type QueueName = keyof typeof jobCatalog;
export const queueNames = Object.keys(jobCatalog) as QueueName[];
export type JobData<Q extends QueueName> = z.infer<(typeof jobCatalog)[Q]["schema"]>;

/** A job to hand to a queue, typed by its queue: what transitions write into the outbox. */
export type JobRequest = { [Q in QueueName]: { queue: Q; data: JobData<Q> } }[QueueName];

export function isQueueName(name: string): name is QueueName {
  return name in jobCatalog;
}

/**
 * The queues whose jobs need a repository's toolchain, so they go to the repository's pool (issue 20). Notify
 * and hooks jobs only talk HTTP and stay shared.
 */
export const pooledQueues = ["planning", "execution"] as const satisfies readonly QueueName[];
export type PooledQueue = (typeof pooledQueues)[number];

export function isPooledQueue(name: QueueName): name is PooledQueue {
  return (pooledQueues as readonly string[]).includes(name);
}

/**
 * The BullMQ queue a job of `queue` for `pool` lives in: the catalog name for the default pool (so an
 * install without pools keeps its queues), `execution.python` otherwise. The only place the name is made.
 */
export function poolQueueName(queue: QueueName, pool: string = defaultPool): string {
  return isPooledQueue(queue) && pool !== defaultPool ? `${queue}.${pool}` : queue;
}
