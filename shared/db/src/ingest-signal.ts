import { sql } from "kysely";
import type { Requester, TaskContext, TaskSource } from "@fixline/core";
import type { JobRequest } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import { insertOutboxJobs, signalOutbox } from "./outbox";

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
  const result = await db.transaction().execute(async (trx): Promise<IngestOutcome> => {
    const inserted = await trx
      .insertInto("deliveries")
      .values({ source: request.delivery.source, delivery_id: request.delivery.deliveryId, event: request.delivery.event, outcome: "accepted" })
      .onConflict((oc) => oc.columns(["source", "delivery_id"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) return { outcome: "duplicate", taskId: await deliveryTaskId(trx, request.delivery) };

    const upserted = await sql<{ id: string; occurrences: number; inserted: boolean }>`
      INSERT INTO tasks (source, source_key, repo, title, context, requester, slack_channel)
      VALUES (${request.source}, ${request.sourceKey}, ${request.repo}, ${request.title.slice(0, 300)},
              ${JSON.stringify(request.context)}::jsonb, ${request.requester ? JSON.stringify(request.requester) : null}::jsonb,
              ${request.slackChannel ?? null})
      ON CONFLICT (source_key) WHERE state IN ('received','planning','awaiting_approval','approved','executing')
      DO UPDATE SET occurrences = tasks.occurrences + 1, last_seen_at = now(), updated_at = now(),
                    context = tasks.context || jsonb_build_object('latest', EXCLUDED.context)
      RETURNING id, occurrences, (xmax = 0) AS inserted`.execute(trx);
    const task = upserted.rows[0]!;
    await trx.updateTable("deliveries").set({ task_id: task.id, outcome: task.inserted ? "created" : "updated" }).where("id", "=", inserted.id).execute();

    if (task.inserted) {
      await trx
        .insertInto("task_events")
        .values({
          task_id: task.id,
          type: "received",
          from_state: null,
          to_state: "received",
          actor: JSON.stringify({ via: request.source, ...(request.requester?.name ? { login: request.requester.name } : {}) }),
          data: JSON.stringify({ deliveryId: request.delivery.deliveryId, event: request.delivery.event }),
        })
        .execute();
      const jobs: JobRequest[] = [
        { queue: "planning", data: { taskId: task.id } },
        { queue: "notify", data: { taskId: task.id, event: "task_received" } },
      ];
      await insertOutboxJobs(trx, jobs);
      return { outcome: "created", taskId: task.id };
    }
    await trx
      .insertInto("task_events")
      .values({ task_id: task.id, type: "signal_repeated", data: JSON.stringify({ deliveryId: request.delivery.deliveryId, occurrences: task.occurrences }) })
      .execute();
    return { outcome: "updated", taskId: task.id, occurrences: task.occurrences };
  });
  if (result.outcome === "created") signalOutbox();
  return result;
}

async function deliveryTaskId(db: Pick<FixlineDb, "selectFrom">, key: DeliveryKey): Promise<string | null> {
  const row = await db.selectFrom("deliveries").select("task_id").where("source", "=", key.source).where("delivery_id", "=", key.deliveryId).executeTakeFirst();
  return row?.task_id ?? null;
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
