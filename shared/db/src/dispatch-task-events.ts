import { sql } from "kysely";
import type { JobRequest } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import { insertOutboxJobs, signalOutbox } from "./outbox";
import { getTask, type TaskRecord } from "./task-repository";

/** A state change not yet turned into hook jobs. */
export interface UndispatchedTaskEvent {
  id: string;
  taskId: string;
  fromState: string | null;
  toState: string | null;
  createdAt: Date;
}

export interface DispatchTaskEventsRequest {
  batchSize: number;
  /** The jobs for a batch of events; `loadTask` reads inside the claiming transaction. */
  toJobs: (events: readonly UndispatchedTaskEvent[], loadTask: (taskId: string) => Promise<TaskRecord | undefined>) => Promise<JobRequest[]>;
}

/**
 * Claims a batch of task_events rows not yet dispatched (FOR UPDATE SKIP LOCKED, so several dispatchers
 * share the work), writes the jobs made from them to the outbox and marks them dispatched, in one
 * transaction: a crash in between dispatches the batch again, never loses it. Returns how many jobs it wrote.
 */
export async function dispatchTaskEvents(db: FixlineDb, request: DispatchTaskEventsRequest): Promise<number> {
  const queued = await db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom("task_events")
      .select(["id", "task_id", "from_state", "to_state", "created_at"])
      .where("hooks_dispatched_at", "is", null)
      .orderBy("id")
      .limit(request.batchSize)
      .forUpdate()
      .skipLocked()
      .execute();
    if (rows.length === 0) return 0;
    const events = rows.map((row) => ({ id: row.id, taskId: row.task_id, fromState: row.from_state, toState: row.to_state, createdAt: row.created_at }));
    const jobs = await request.toJobs(events, (taskId) => getTask(trx, taskId));
    await insertOutboxJobs(trx, jobs);
    await trx.updateTable("task_events").set({ hooks_dispatched_at: sql`now()` }).where("id", "in", rows.map((row) => row.id)).execute();
    return jobs.length;
  });
  if (queued > 0) signalOutbox(db);
  return queued;
}
