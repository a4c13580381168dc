import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Requester, TaskContext, TaskSource } from "@fixline/core";
import type { FixlineDb } from "./create-db";
import type { Database } from "./schema";
import { committedJobsJson, newTaskJobs, outboxRows, signalOutbox, type CommittedJob } from "./outbox";

export interface DeliveryKey {
  source: string;
  deliveryId: string;
  event: string;
}

export interface IngestSignalRequest {
  delivery: DeliveryKey;
  source: TaskSource;
  sourceKey: string;
  repo: string;
  title: string;
  context: TaskContext;
  requester?: Requester | null;
  /** Extra columns for a new task (e.g. the Slack channel to thread in). */
  slackChannel?: string | null;
}

export type IngestOutcome =
  | { outcome: "created"; taskId: string }
  | { outcome: "updated"; taskId: string; occurrences: number }
  | { outcome: "duplicate"; taskId: string | null };

/**
 * One transaction records the delivery (unique per source and delivery id), creates the task or bumps
 * the live task of the same source object, and writes the planning job to the outbox. The HTTP answer is
 * sent only after this commits. A redelivery finds its delivery row and creates nothing; concurrent
 * copies serialize on the unique index, so exactly one creates the task.
 */
export async function ingestSignal(db: FixlineDb, request: IngestSignalRequest): Promise<IngestOutcome> {
  const row = await ingestStatement(db, request);
  return settleIngest(db, request, row);
}

/** What the ingest statement returns for one request: the task it created or bumped, or nothing (a redelivery). */
export interface IngestRow {
  id: string;
  occurrences: number;
  inserted: boolean;
  /** The outbox rows written for a new task, as inserted (null when the task was only bumped). */
  jobs: CommittedJob[] | null;
}

/**
 * The ingest statement for one request, run on its own (autocommit): it is a prepared statement, and the
 * pool's fallback behind a transaction-mode pooler re-sends it unnamed, which only works outside a
 * transaction. Batches of deliveries go through ingestBatchStatement instead.
 */
export async function ingestStatement(db: Kysely<Database>, request: IngestSignalRequest, leaseMs = 0): Promise<IngestRow | undefined> {
  // One statement, so one round trip: Sentry gives us 1 s, and this is the hot path.
  // The delivery insert gates everything after it (INSERT ... SELECT FROM delivery): a redelivery inserts
  // no delivery row, so nothing else happens. Concurrent copies block on the unique index until the first
  // commits, then do nothing. A new task gets its `received` event and its planning + notify jobs; a
  // repeated signal only bumps the live task's counter (no event per alert: a storm must not flood the
  // timeline).
  const actor = JSON.stringify({ via: request.source, ...(request.requester?.name ? { login: request.requester.name } : {}) });
  const eventData = JSON.stringify({ deliveryId: request.delivery.deliveryId, event: request.delivery.event });
  // The id a new task gets, chosen here so its jobs are built and checked by the outbox's one door; a repeated
  // signal keeps the live task's id and writes no jobs.
  const newTaskId = randomUUID();
  const jobs = JSON.stringify(outboxRows(newTaskJobs(newTaskId)));
  const result = await sql<IngestRow>`/* prepared: ingest-one */
    WITH delivery AS (
      INSERT INTO deliveries (source, delivery_id, event, outcome, source_key)
      VALUES (${request.delivery.source}, ${request.delivery.deliveryId}, ${request.delivery.event}, 'accepted', ${request.sourceKey})
      ON CONFLICT (source, delivery_id) DO NOTHING
      RETURNING id
    ), task AS (
      INSERT INTO tasks (id, source, source_key, repo, title, context, requester, slack_channel)
      SELECT ${newTaskId}::uuid, ${request.source}, ${request.sourceKey}, ${request.repo}, ${request.title.slice(0, 300)},
             ${JSON.stringify(request.context)}::jsonb, ${request.requester ? JSON.stringify(request.requester) : null}::jsonb,
             ${request.slackChannel ?? null}
      FROM delivery
      ON CONFLICT (source_key) WHERE state IN ('received','planning','awaiting_approval','approved','executing','waiting_budget')
      DO UPDATE SET occurrences = tasks.occurrences + 1, last_seen_at = now(), updated_at = now(),
                    context = tasks.context || jsonb_build_object('latest', EXCLUDED.context)
      RETURNING id, occurrences, (xmax = 0) AS inserted
    ), event AS (
      INSERT INTO task_events (task_id, type, from_state, to_state, actor, data)
      SELECT task.id, 'received', NULL, 'received', ${actor}::jsonb, ${eventData}::jsonb FROM task WHERE task.inserted
    ), jobs AS (
      INSERT INTO outbox (queue, data, available_at)
      SELECT job->>'queue', job->'data', now() + ${leaseMs}::int * interval '1 millisecond' FROM task, jsonb_array_elements(${jobs}::jsonb) AS job
      WHERE task.inserted
      RETURNING id, queue, data, job_id
    )
    SELECT id, occurrences, inserted, (SELECT ${committedJobsJson} FROM jobs) AS jobs FROM task`.execute(db);
  return result.rows[0];
}

/**
 * After the commit that held the statement: the outcome, and the relays woken when jobs were written (unless
 * the caller sends them itself: `signal: false`).
 */
export async function settleIngest(db: FixlineDb, request: IngestSignalRequest, row: IngestRow | undefined, options: { signal?: boolean } = {}): Promise<IngestOutcome> {
  if (!row) return { outcome: "duplicate", taskId: await deliveryTaskId(db, request.delivery) };
  if (row.inserted) {
    if (options.signal ?? true) signalOutbox(db);
    return { outcome: "created", taskId: row.id };
  }
  return { outcome: "updated", taskId: row.id, occurrences: row.occurrences };
}

async function deliveryTaskId(db: FixlineDb, key: DeliveryKey): Promise<string | null> {
  // The task this delivery created or updated: its own link if set, else the newest task for its source
  // object that existed when it arrived (compared in SQL: a JS Date would drop the microseconds).
  const row = await sql<{ id: string | null }>`
    SELECT coalesce(d.task_id, (
      SELECT t.id FROM tasks t WHERE t.source_key = d.source_key AND t.created_at <= d.received_at ORDER BY t.created_at DESC LIMIT 1
    )) AS id
    FROM deliveries d WHERE d.source = ${key.source} AND d.delivery_id = ${key.deliveryId}`.execute(db);
  return row.rows[0]?.id ?? null;
}

/**
 * Records a delivery that creates no task (ignored events, commands). Returns false when the delivery
 * was seen before, so the caller can skip redoing its effects.
 */
export async function recordDelivery(db: Pick<FixlineDb, "insertInto">, key: DeliveryKey, outcome: string, taskId: string | null = null): Promise<boolean> {
  const row = await db
    .insertInto("deliveries")
    .values({ source: key.source, delivery_id: key.deliveryId, event: key.event, outcome, task_id: taskId })
    .onConflict((oc) => oc.columns(["source", "delivery_id"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}
