import { z } from "zod";
import { defaultPool, FixlineError } from "@fixline/core";

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
export const failedDetailsSchema = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
  hint: z.string().optional(),
  /** Where it failed: `planning`, or the queue whose job could not run. */
  phase: z.string().optional(),
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
 * Where a refused command came from, so it is answered there: the PR comment (a reaction when the user was
 * already told), or the Slack user who pressed a button and its response_url.
 */
export const commandReplySchema = z.object({
  commentId: z.number().optional(),
  repo: z.string().optional(),
  prNumber: z.number().optional(),
  slackUserId: z.string().optional(),
  responseUrl: z.string().optional(),
});
export type CommandReply = z.infer<typeof commandReplySchema>;

/** Who did it, for "approved by octocat". */
const byWhom = { by: z.string().optional(), login: z.string().optional() };
/** Names the announcement in the notifications ledger (default: the job id). */
const ledgerKey = { key: z.string().optional() };

/** A notify job: one announcement, its facts (`details`, all optional) typed by its event. */
export const notifyJobSchema = z.discriminatedUnion("event", [
  z.object({ taskId, event: z.literal("task_received"), details: z.object(ledgerKey).default({}) }),
  z.object({ taskId, event: z.literal("plan_ready"), details: z.object({ ...ledgerKey, planSha: z.string().optional(), prNumber: z.number().int().optional() }).default({}) }),
  z.object({ taskId, event: z.literal("plan_rejected"), details: z.object({ ...ledgerKey, ...byWhom, replanning: z.boolean().optional() }).default({}) }),
  z.object({ taskId, event: z.literal("approved"), details: z.object({ ...ledgerKey, ...byWhom, via: z.string().optional() }).default({}) }),
  z.object({ taskId, event: z.literal("execution_started"), details: z.object(ledgerKey).default({}) }),
  z.object({ taskId, event: z.literal("completed"), details: z.object({ ...ledgerKey, prUrl: z.string().nullable().optional() }).default({}) }),
  z.object({ taskId, event: z.literal("failed"), details: failedDetailsSchema.extend(ledgerKey).default({}) }),
  z.object({ taskId, event: z.literal("cancelled"), details: z.object({ ...ledgerKey, ...byWhom, reason: z.string().optional() }).default({}) }),
  z.object({
    taskId,
    event: z.literal("command_refused"),
    details: commandReplySchema.extend({ ...ledgerKey, ...byWhom, command: z.string().optional(), message: z.string().optional() }).default({}),
  }),
  z.object({ taskId, event: z.literal("command_ack"), details: z.object({ ...ledgerKey, ...byWhom, message: z.string().optional() }).default({}) }),
  // Issue 21: the one question a task paused at 80% of its execution budget asks; only measured numbers.
  z.object({
    taskId,
    event: z.literal("budget_needed"),
    details: z
      .object({ ...ledgerKey, grantedUsd: z.number().optional(), spentUsd: z.number().optional(), topUpUsd: z.number().optional(), lastProvenPhase: z.enum(["red", "green"]).nullable().optional() })
      .default({}),
  }),
]);
export type NotifyJob = z.output<typeof notifyJobSchema>;
/** The facts of one notify event, as the notify worker reads them. */
export type NotifyDetails<E extends NotifyEvent> = Extract<NotifyJob, { event: E }>["details"];

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
    schema: notifyJobSchema,
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
/** A job's data as its handler sees it (parsed: defaults filled in). */
export type JobData<Q extends QueueName> = z.output<(typeof jobCatalog)[Q]["schema"]>;
/** A job's data as a producer writes it. */
export type JobInput<Q extends QueueName> = z.input<(typeof jobCatalog)[Q]["schema"]>;

/** A job to hand to a queue, typed by its queue: what transitions write into the outbox. */
export type JobRequest = { [Q in QueueName]: { queue: Q; data: JobInput<Q> } }[QueueName];

/** A job's data as stored in the outbox: validated by parseJob when the row was written. */
export type StoredJobData = JobRequest["data"];

/**
 * The one check of a job's data against its queue's schema, where the job is written (the outbox insert, or
 * a direct enqueue). Throws JOB_DATA_INVALID: a producer bug, never retried.
 */
export function parseJob<Q extends QueueName>(queue: Q, data: unknown): JobData<Q>;
export function parseJob(queue: QueueName, data: unknown): JobData<QueueName> {
  const parsed = jobCatalog[queue].schema.safeParse(data);
  if (!parsed.success) throw new FixlineError("JOB_DATA_INVALID", `job for ${queue}: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * A job's data as a worker reads it back from Redis: the typed read of what parseJob let in (a job written by
 * another version, or added by hand, is reported instead of run).
 */
export function readJob<Q extends QueueName>(queue: Q, data: unknown): { ok: true; data: JobData<Q> } | { ok: false; issues: string[]; message: string };
export function readJob(queue: QueueName, data: unknown): { ok: true; data: JobData<QueueName> } | { ok: false; issues: string[]; message: string } {
  const parsed = jobCatalog[queue].schema.safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`), message: parsed.error.message };
}

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
