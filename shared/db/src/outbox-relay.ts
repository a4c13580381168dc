import pg from "pg";
import { sql } from "kysely";
import { toFixlineError, type Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { isPooledQueue, isQueueName, type JobQueues } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import type { DbOrTrx } from "./task-repository";
import { outboxChannel } from "./outbox";
import { groupForEnqueue, taskIdOf, withinDeadline } from "./outbox-send";
import { startWakeLoop } from "./wake-loop";

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
  /**
   * How long one enqueue may take before the batch counts as failed and backs off. The claim's transaction
   * (row locks, a pinned Postgres connection) stays open while BullMQ waits, and a stalled Redis, or a
   * Cluster client waiting out a failover with its offline queue, would otherwise hold it for as long as the
   * outage lasts. A late answer is harmless: the job id comes from the row. Default 10 s.
   */
  enqueueTimeoutMs?: number;
  /**
   * A repository's pool (issue 20): planning and execution rows go to that pool's queue. Outbox rows stay
   * pool-agnostic, so a repository moved to another pool takes its next job there. Default: every task in
   * the default pool.
   */
  poolOf?: (repo: string) => string;
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
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 10_000;
  const cursorRestartEvery = 20;
  let stopped = false;
  let listener: pg.Client | undefined;

  /** `after`: claim only rows with a larger id (see drain). */
  async function relayBatch(after: string | undefined): Promise<{ sent: number; failed: boolean; more: boolean; lastId?: string }> {
    return db.transaction().execute(async (trx) => {
      let claim = trx
        .selectFrom("outbox")
        .select(["id", "queue", "data", "job_id", "attempts"])
        .where("sent_at", "is", null)
        .where("available_at", "<=", sql<Date>`now()`);
      if (after !== undefined) claim = claim.where("id", ">", after);
      const rows = await claim
        .orderBy("id")
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      const repoOf = await tasksRepos(trx, rows);
      // One addBulk per queue and pool and one UPDATE for each: the relay must keep up with webhook storms.
      const { groups, unknown } = groupForEnqueue(rows, (row) => repoOf.get(taskIdOf(row.data) ?? ""), options.poolOf);
      if (unknown.length > 0) {
        await trx.updateTable("outbox").set({ sent_at: sql`now()`, last_error: "unknown queue" }).where("id", "in", unknown.map((row) => row.id)).execute();
      }
      let sent = 0;
      for (const { queue, pool, rows: batch } of groups) {
        try {
          await withinDeadline(queues.enqueueBulk(queue, batch.map((row) => ({ data: row.data, jobId: row.job_id })), pool), enqueueTimeoutMs);
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
      return { sent, failed: false, more: rows.length === batchSize, lastId: rows.at(-1)?.id };
    });
  }

  /**
   * One pass. Its first claim reads from the lowest pending id; each further claim starts after the last
   * row the previous one took. Without that cursor every claim of a storm walked again the index entries
   * of rows just sent (dead until vacuum), which made the claim Postgres's costliest query under load.
   * A row the cursor passes over (its transaction committed after a higher id, another relay held it, its
   * retry was not yet due) is taken by the next pass, which starts from the lowest id again; a pass also
   * restarts from there every `cursorRestartEvery` claims, so a storm that never lets a pass end does not
   * starve such a row.
   */
  async function drain(): Promise<number> {
    let total = 0;
    let after: string | undefined;
    for (let claims = 1; ; claims++) {
      const { sent, failed, more, lastId } = await relayBatch(claims % cursorRestartEvery === 0 ? undefined : after);
      total += sent;
      after = lastId;
      if (failed || !more) break;
    }
    return total;
  }

  const loop = startWakeLoop({ pass: drain, logger, failureMessage: "outbox relay pass failed", pollMs });
  const onSignal = () => loop.kick();

  const usePolling = (reason: string) => {
    if (wakeMode === "poll") return;
    wakeMode = "poll";
    pollMs = fallbackPollMs;
    loop.setPollMs(pollMs);
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
    drainOnce: () => loop.runNow(),
    wakeMode: () => wakeMode,
    async stop() {
      stopped = true;
      await loop.stop();
      if (listener) await listener.end().catch(() => {});
    },
  };
}

/** The repository of each pooled row's task, in one query for the batch. */
async function tasksRepos(trx: DbOrTrx, rows: ReadonlyArray<{ queue: string; data: unknown }>): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((row) => (isQueueName(row.queue) && isPooledQueue(row.queue) ? [taskIdOf(row.data)] : []).filter((id): id is string => id !== undefined)))];
  if (ids.length === 0) return new Map();
  const found = await trx.selectFrom("tasks").select(["id", "repo"]).where("id", "in", ids).execute();
  return new Map(found.map((task) => [task.id, task.repo]));
}

/** Rows not yet enqueued, for the ai_agent_outbox_pending gauge and doctor. */
export async function countPendingOutbox(db: FixlineDb): Promise<number> {
  const row = await db.selectFrom("outbox").select(sql<string>`count(*)`.as("n")).where("sent_at", "is", null).executeTakeFirst();
  const n = Number(row?.n ?? 0);
  metrics.outboxPending.set(n);
  return n;
}
