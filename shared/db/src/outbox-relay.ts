import pg from "pg";
import { sql } from "kysely";
import { toFixlineError, type Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { isQueueName, type JobQueues, type QueueName } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import { outboxChannel, outboxSignal } from "./outbox";

export interface OutboxRelayOptions {
  db: FixlineDb;
  queues: JobQueues;
  logger: Logger;
  /** When set, LISTEN on this Postgres for wake-ups from other processes. */
  databaseUrl?: string | undefined;
  /** Fallback poll; rows are also picked up at once on a signal. */
  pollMs?: number;
  batchSize?: number;
}

export interface OutboxRelay {
  /** Relays what is pending now; returns how many rows were enqueued. */
  drainOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Moves outbox rows into BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so several relays
 * (one per process) share the work without sending a row twice; the BullMQ jobId comes from the row,
 * so even a re-send after a crash is a no-op. While Redis is down rows stay pending with a growing
 * available_at, and go out once it is back.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, queues, logger } = options;
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let listener: pg.Client | undefined;

  async function relayBatch(): Promise<{ sent: number; failed: boolean; more: boolean }> {
    return db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom("outbox")
        .select(["id", "queue", "data", "job_id", "attempts"])
        .where("sent_at", "is", null)
        .where("available_at", "<=", sql<Date>`now()`)
        .orderBy("id")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      // One addBulk per queue and one UPDATE for the batch: the relay must keep up with webhook storms.
      const byQueue = new Map<QueueName, typeof rows>();
      const unknown: string[] = [];
      for (const row of rows) {
        if (!isQueueName(row.queue)) unknown.push(row.id);
        else byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
      }
      if (unknown.length > 0) {
        await trx.updateTable("outbox").set({ sent_at: sql`now()`, last_error: "unknown queue" }).where("id", "in", unknown).execute();
      }
      let sent = 0;
      for (const [queue, batch] of byQueue) {
        try {
          await queues.enqueueBulk(queue, batch.map((row) => ({ data: row.data as never, jobId: row.job_id })));
        } catch (error) {
          const attempts = Math.max(...batch.map((row) => row.attempts));
          const backoffMs = Math.min(30_000, 250 * 2 ** Math.min(attempts, 7));
          await trx
            .updateTable("outbox")
            .set({ attempts: sql`attempts + 1`, last_error: toFixlineError(error).message.slice(0, 500), available_at: sql`now() + ${`${backoffMs} milliseconds`}::interval` })
            .where("id", "in", batch.map((row) => row.id))
            .execute();
          logger.warn({ queue, rows: batch.length, err: (error as Error).message }, "outbox relay could not enqueue; will retry");
          return { sent, failed: true, more: false };
        }
        await trx.updateTable("outbox").set({ sent_at: sql`now()`, attempts: sql`attempts + 1` }).where("id", "in", batch.map((row) => row.id)).execute();
        metrics.outboxRelayed.inc({ queue }, batch.length);
        sent += batch.length;
      }
      return { sent, failed: false, more: rows.length === batchSize };
    });
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { sent, failed, more } = await relayBatch();
      total += sent;
      if (failed || !more) break;
    }
    return total;
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => {
        logger.warn({ err: (error as Error).message }, "outbox relay pass failed");
        return 0;
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const onSignal = () => kick();
  outboxSignal.on("jobs", onSignal);
  const poll = () => {
    kick();
    timer = setTimeout(poll, pollMs);
    timer.unref();
  };
  poll();

  if (options.databaseUrl) {
    const connectListener = async () => {
      if (stopped) return;
      const client = new pg.Client({ connectionString: options.databaseUrl });
      client.on("notification", onSignal);
      client.on("error", () => {
        // Postgres restarted: reconnect the listener; the poll covers the gap.
        listener = undefined;
        setTimeout(() => void connectListener().catch(() => {}), 1_000).unref();
      });
      await client.connect();
      await client.query(`LISTEN ${outboxChannel}`);
      listener = client;
    };
    connectListener().catch((error: unknown) => logger.warn({ err: (error as Error).message }, "outbox LISTEN unavailable; polling only"));
  }

  return {
    async drainOnce() {
      if (running) await running;
      return drain();
    },
    async stop() {
      stopped = true;
      outboxSignal.off("jobs", onSignal);
      if (timer) clearTimeout(timer);
      if (running) await running.catch(() => {});
      if (listener) await listener.end().catch(() => {});
    },
  };
}

/** Rows not yet enqueued, for the ai_agent_outbox_pending gauge and doctor. */
export async function countPendingOutbox(db: FixlineDb): Promise<number> {
  const row = await db.selectFrom("outbox").select(sql<string>`count(*)`.as("n")).where("sent_at", "is", null).executeTakeFirst();
  const n = Number(row?.n ?? 0);
  metrics.outboxPending.set(n);
  return n;
}
