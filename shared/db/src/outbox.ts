import { EventEmitter } from "node:events";
import { sql, type RawBuilder } from "kysely";
import { parseJob, type JobRequest, type QueueName, type StoredJobData } from "@fixline/queue";
import type { DbOrTrx } from "./task-repository";

/**
 * In-process wake-up for relays in the same process (and PGlite, which has no cross-process NOTIFY).
 * Other processes are woken by Postgres NOTIFY on the `fixline_outbox` channel.
 */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(100);
export const outboxChannel = "fixline_outbox";

/**
 * Inserts outbox rows inside the caller's transaction; the relay enqueues them after commit. The one door
 * for outbox rows: each job's data is checked against its queue's schema here, once (JOB_DATA_INVALID before
 * anything is written), and not again by the relay.
 */
export async function insertOutboxJobs(trx: DbOrTrx, jobs: readonly JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  await trx
    .insertInto("outbox")
    .values(outboxRows(jobs).map((row) => ({ queue: row.queue, data: JSON.stringify(row.data) })))
    .execute();
}

/** An outbox row as its insert returned it: what enqueueing it takes. */
export interface CommittedJob {
  id: number;
  queue: string;
  data: StoredJobData;
  jobId: string;
}

/** In an ingest statement: the outbox rows its `jobs` CTE inserted, as a JSON array of CommittedJob. */
export const committedJobsJson: RawBuilder<unknown> = sql`jsonb_agg(jsonb_build_object('id', id, 'queue', queue, 'data', data, 'jobId', job_id) ORDER BY id)`;

/** The jobs ingest hands a new task: plan it, and tell people it arrived. Both ingest statements write these. */
export function newTaskJobs(taskId: string): JobRequest[] {
  return [
    { queue: "planning", data: { taskId } },
    { queue: "notify", data: { taskId, event: "task_received" } },
  ];
}

/**
 * The rows insertOutboxJobs writes, checked: also what ingest's single statement inserts (it cannot call an
 * async function mid-statement, so it takes the checked rows as one JSON array).
 */
export function outboxRows(jobs: readonly JobRequest[]): Array<{ queue: QueueName; data: StoredJobData }> {
  return jobs.map((job) => ({ queue: job.queue, data: parseJob(job.queue, job.data) }));
}

const notifyDebounceMs = 10;
const pendingNotify = new WeakSet<object>();

/**
 * Call after the transaction that inserted outbox rows commits. Wakes this process's relay at once, and
 * other processes' relays through Postgres NOTIFY — debounced and outside the writer's transaction,
 * because NOTIFY inside a transaction takes a global lock at commit and serializes every writer (it cut
 * webhook ingest throughput by more than half). The relays' poll covers a lost notification.
 */
export function signalOutbox(db?: DbOrTrx): void {
  outboxSignal.emit("jobs");
  if (!db || pendingNotify.has(db)) return;
  pendingNotify.add(db);
  setTimeout(() => {
    pendingNotify.delete(db);
    sql`SELECT pg_notify(${outboxChannel}, '')`.execute(db).catch(() => {});
  }, notifyDebounceMs).unref();
}
