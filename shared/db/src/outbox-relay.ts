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
  /**
   * The poll when LISTEN/NOTIFY turns out not to reach this process (pgbouncer in transaction mode hands the
   * listening server connection to other clients, so notifications go nowhere): short, so job pickup stays
   * quick, and bounded, so an idle relay costs one indexed query per interval. Default 200 ms.
   */
  fallbackPollMs?: number;
  /** How long to wait for the relay's own probe notification before deciding LISTEN does not work. */
  probeTimeoutMs?: number;
  batchSize?: number;
}

/** How other processes' writes wake this relay: NOTIFY proven by a probe, polling only, or not yet known. */
export type RelayWakeMode = "notify" | "poll" | "probing";

export interface OutboxRelay {
  /** Relays what is pending now; returns how many rows were enqueued. */
  drainOnce(): Promise<number>;
  wakeMode(): RelayWakeMode;
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
  let pollMs = options.pollMs ?? 1_000;
  const fallbackPollMs = Math.min(options.fallbackPollMs ?? 200, pollMs);
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  let wakeMode: RelayWakeMode = options.databaseUrl ? "probing" : "poll";
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

  const usePolling = (reason: string) => {
    if (wakeMode === "poll") return;
    wakeMode = "poll";
    pollMs = fallbackPollMs;
    logger.warn({ pollMs, reason }, `outbox relay: Postgres LISTEN/NOTIFY does not reach this process (${reason}); polling every ${pollMs} ms instead`);
  };

  if (options.databaseUrl) {
    const connectListener = async () => {
      if (stopped) return;
      const client = new pg.Client({ connectionString: options.databaseUrl });
      const probe = `probe-${process.pid}-${Math.random().toString(36).slice(2)}`;
      let probed: () => void = () => {};
      const probeArrived = new Promise<void>((resolve) => (probed = resolve));
      client.on("notification", (message) => {
        if (message.payload === probe) probed();
        else onSignal();
      });
      client.on("error", () => {
        // Postgres restarted: reconnect the listener; the poll covers the gap.
        listener = undefined;
        setTimeout(() => void connectListener().catch(() => {}), 1_000).unref();
      });
      await client.connect();
      await client.query(`LISTEN ${outboxChannel}`);
      listener = client;
      if (wakeMode !== "probing") return;
      // Prove the wake-up path end to end: a NOTIFY sent through the pool, as writers send theirs, must arrive
      // here. Behind pgbouncer (transaction mode) LISTEN succeeds but nothing is ever delivered.
      await sql`SELECT pg_notify(${outboxChannel}, ${probe})`.execute(db);
      let timer: NodeJS.Timeout | undefined;
      const arrived = await Promise.race([probeArrived.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), probeTimeoutMs)))]);
      clearTimeout(timer);
      if (arrived) {
        wakeMode = "notify";
        logger.debug("outbox relay: woken by Postgres LISTEN/NOTIFY");
      } else usePolling(`the probe notification did not arrive within ${probeTimeoutMs} ms; a connection pooler in transaction mode?`);
    };
    connectListener().catch((error: unknown) => usePolling(`LISTEN failed: ${(error as Error).message}`));
  }

  return {
    async drainOnce() {
      if (running) await running;
      return drain();
    },
    wakeMode: () => wakeMode,
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
