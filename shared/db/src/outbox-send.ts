import { sql } from "kysely";
import type { Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { isPooledQueue, isQueueName, type JobQueues, type QueueName, type StoredJobData } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import { signalOutbox, type CommittedJob } from "./outbox";

/** Rejects when `work` has not settled within `ms`; its own late outcome is dropped. */
export async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Outbox rows of one BullMQ queue (and pool, for planning and execution): one addBulk. */
export interface EnqueueGroup<R> {
  queue: QueueName;
  pool: string | undefined;
  rows: R[];
}

/**
 * Groups outbox rows for addBulk by queue and pool. `repoOf` gives a pooled row's repository (its task's);
 * without `poolOf` every row goes to the default pool. Rows naming no known queue come back apart.
 */
export function groupForEnqueue<R extends { queue: string; data: unknown }>(
  rows: readonly R[],
  repoOf: (row: R) => string | undefined,
  poolOf: ((repo: string) => string) | undefined,
): { groups: Array<EnqueueGroup<R>>; unknown: R[] } {
  const groups = new Map<string, EnqueueGroup<R>>();
  const unknown: R[] = [];
  for (const row of rows) {
    if (!isQueueName(row.queue)) {
      unknown.push(row);
      continue;
    }
    const repo = isPooledQueue(row.queue) && poolOf ? repoOf(row) : undefined;
    const pool = repo ? poolOf!(repo) : undefined;
    const key = `${row.queue}\u0000${pool ?? ""}`;
    const group = groups.get(key) ?? { queue: row.queue, pool, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return { groups: [...groups.values()], unknown };
}

/** The task id in a job's data, if it is a uuid (only a uuid may reach a query). */
export function taskIdOf(data: unknown): string | undefined {
  const taskId = (data as { taskId?: unknown } | null)?.taskId;
  return typeof taskId === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(taskId) ? taskId : undefined;
}

export interface OutboxSenderOptions {
  db: FixlineDb;
  queues: JobQueues;
  logger: Logger;
  /** A repository's pool (issue 20), as the relay has it; default: every task in the default pool. */
  poolOf?: ((repo: string) => string) | undefined;
  /**
   * How long the rows an ingest statement wrote stay the sender's alone before the relays may take them
   * (their available_at). Only a process that died between its commit and its enqueue leaves rows that
   * long; a failed enqueue hands them to the relays at once. Default 10 s.
   */
  leaseMs?: number;
  /** How long one addBulk may take before its rows are handed to the relays. Default 5 s. */
  enqueueTimeoutMs?: number;
}

export interface OutboxSender {
  readonly leaseMs: number;
  /** Enqueues rows just committed and marks them sent. Never throws: what fails is left to the relays. */
  send(jobs: readonly CommittedJob[], repoOfTask: (taskId: string) => string | undefined): void;
  /** Waits for the enqueues and marks under way. */
  close(): Promise<void>;
}

/**
 * Enqueue after commit (issue 19): the webhook process puts the jobs of the deliveries it has just committed
 * into BullMQ itself, instead of leaving them to the outbox relay, whose claim (a locking read of the pending
 * rows), task look-up and transaction cost about a third of ingest throughput in the webhook benchmark. The
 * outbox stays the record: the rows are written in the ingest statement with `available_at` a lease ahead,
 * so no relay takes them meanwhile, and are marked sent here, many ids per UPDATE. If the process dies first,
 * a relay sends them when the lease ends; the job id comes from the row, so a second send is a no-op.
 * Sends are coalesced like the commits: one addBulk per queue in flight, and the jobs of every commit that
 * lands meanwhile go together in the next (one addBulk per commit cost Redis and this process a third more
 * CPU a delivery than the relay's larger batches).
 */
export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { db, queues, logger } = options;
  const leaseMs = options.leaseMs ?? 10_000;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 5_000;
  const lanes = new Map<string, Lane>();
  let sentIds: number[] = [];
  let marking: Promise<void> | undefined;

  async function markSent(): Promise<void> {
    while (sentIds.length > 0) {
      const ids = sentIds;
      sentIds = [];
      // Guarded: a relay that took a row whose lease ran out may have marked it already.
      await sql`/* prepared: outbox-mark-sent */ UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY(${ids}::bigint[]) AND sent_at IS NULL`
        .execute(db)
        .catch((error: unknown) => logger.warn({ rows: ids.length, err: (error as Error).message }, "outbox: could not mark enqueued rows sent; a relay will send them again after their lease (a no-op in BullMQ)"));
    }
    marking = undefined;
  }

  async function handToRelays(ids: number[]): Promise<void> {
    await sql`UPDATE outbox SET available_at = now() WHERE id = ANY(${ids}::bigint[]) AND sent_at IS NULL`
      .execute(db)
      .then(() => signalOutbox(db))
      .catch(() => {
        // Postgres is gone too: the lease runs out and a relay takes the rows then.
      });
  }

  async function sendBulk(queue: QueueName, pool: string | undefined, rows: readonly CommittedJob[]): Promise<void> {
    try {
      await withinDeadline(queues.enqueueBulk(queue, rows.map((row) => ({ data: row.data as StoredJobData, jobId: row.jobId })), pool), enqueueTimeoutMs);
    } catch (error) {
      logger.warn({ queue, rows: rows.length, err: (error as Error).message }, "could not enqueue just-ingested jobs; the outbox relay will retry them");
      await handToRelays(rows.map((row) => row.id));
      return;
    }
    metrics.outboxRelayed.inc({ queue }, rows.length);
    sentIds.push(...rows.map((row) => row.id));
    marking ??= markSent();
  }

  /** One addBulk in flight per lane; what commits meanwhile goes in the next, together. */
  async function drain(lane: Lane): Promise<void> {
    while (lane.waiting.length > 0) await sendBulk(lane.queue, lane.pool, lane.waiting.splice(0, maxBulk));
    lane.running = undefined;
  }

  return {
    leaseMs,
    send(jobs, repoOfTask) {
      if (jobs.length === 0) return;
      const { groups, unknown } = groupForEnqueue(jobs, (row) => repoOfTask(taskIdOf(row.data) ?? ""), options.poolOf);
      // Ingest writes only known queues; anything else is the relay's to record as unknown.
      if (unknown.length > 0) void handToRelays(unknown.map((row) => row.id));
      for (const group of groups) {
        const key = `${group.queue}\u0000${group.pool ?? ""}`;
        let lane = lanes.get(key);
        if (!lane) lanes.set(key, (lane = { queue: group.queue, pool: group.pool, waiting: [] }));
        lane.waiting.push(...group.rows);
        lane.running ??= drain(lane);
      }
    },
    async close() {
      for (;;) {
        const running = [...lanes.values()].flatMap((lane) => (lane.running ? [lane.running] : []));
        if (running.length === 0) break;
        await Promise.all(running);
      }
      await marking;
    },
  };
}

/** The jobs of one queue and pool waiting for their addBulk. */
interface Lane {
  queue: QueueName;
  pool: string | undefined;
  waiting: CommittedJob[];
  running?: Promise<void> | undefined;
}

/** Most jobs in one addBulk (one Redis MULTI). */
const maxBulk = 500;
