import { EventEmitter } from "node:events";
import { sql } from "kysely";
import type { JobRequest } from "@fixline/queue";
import type { DbOrTrx } from "./task-repository";

/**
 * In-process wake-up for relays in the same process (and PGlite, which has no cross-process NOTIFY).
 * Other processes are woken by Postgres NOTIFY on the `fixline_outbox` channel.
 */
export const outboxSignal = new EventEmitter();
outboxSignal.setMaxListeners(100);
export const outboxChannel = "fixline_outbox";

/** Inserts outbox rows inside the caller's transaction; the relay enqueues them after commit. */
export async function insertOutboxJobs(trx: DbOrTrx, jobs: readonly JobRequest[]): Promise<void> {
  if (jobs.length === 0) return;
  await trx
    .insertInto("outbox")
    .values(jobs.map((job) => ({ queue: job.queue, data: JSON.stringify(job.data) })))
    .execute();
  await sql`SELECT pg_notify(${outboxChannel}, '')`.execute(trx);
}

/** Call after the transaction that inserted outbox rows commits. */
export function signalOutbox(): void {
  outboxSignal.emit("jobs");
}
