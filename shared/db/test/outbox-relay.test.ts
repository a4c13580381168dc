import { spawn } from "node:child_process";
import { once } from "node:events";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, type Logger } from "@fixline/core";
import { createJobQueues, createRedis } from "@fixline/queue";
import { createTestDatabase, createTestRedis, freePort, startTestPgbouncer, waitFor, type TestDatabase, type TestPgbouncer, type TestRedis } from "@fixline/testing";
import { countPendingOutbox, createDb, ingestSignal, startOutboxRelay, type FixlineDb } from "@fixline/db";

let t: TestDatabase;
let r: TestRedis;
beforeAll(async () => {
  t = await createTestDatabase();
  r = await createTestRedis();
});
afterAll(async () => {
  await r?.cleanup();
  await t?.destroy();
});

async function createTasks(count: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await ingestSignal(t.db, {
      delivery: { source: "sentry", deliveryId: `${tag}-${i}`, event: "issue.created" },
      source: "sentry",
      sourceKey: `sentry:${tag}-${i}`,
      repo: "acme/shop",
      title: `bug ${i}`,
      context: {},
    });
    ids.push(res.taskId!);
  }
  return ids;
}

describe("outbox relay (real Postgres + Redis)", () => {
  it("keeps rows while Redis is down and enqueues each exactly once after it returns", async () => {
    // A producer pointed at a closed port is what "Redis is down" looks like to the relay.
    const deadRedis = createRedis("redis://127.0.0.1:1", "producer", { retryStrategy: () => null });
    const deadQueues = createJobQueues({ connection: deadRedis, prefix: r.prefix });
    const ids = await createTasks(5, "down");
    const downRelay = startOutboxRelay({ db: t.db, queues: deadQueues, logger: silentLogger(), pollMs: 50 });
    await new Promise((res) => setTimeout(res, 300));
    await downRelay.stop();
    await deadQueues.close().catch(() => {});
    deadRedis.disconnect();
    expect(await countPendingOutbox(t.db)).toBe(10);
    const failedAttempts = await t.db.selectFrom("outbox").select(["attempts", "last_error"]).where("sent_at", "is", null).execute();
    expect(failedAttempts.some((row) => row.attempts > 0 && row.last_error)).toBe(true);

    // Redis "returns": a relay with a working connection catches up (available_at backoff included).
    await t.db.updateTable("outbox").set({ available_at: new Date(0) }).where("sent_at", "is", null).execute();
    const queues = createJobQueues({ connection: r.producer, prefix: r.prefix });
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 50, databaseUrl: t.url });
    await waitFor(async () => (await countPendingOutbox(t.db)) === 0, { what: "outbox drained" });
    await relay.stop();
    const planning = await queues.queue("planning").getJobs(["waiting", "prioritized", "delayed", "active"]);
    const planningTaskIds = planning.map((j) => (j.data as { taskId: string }).taskId);
    for (const id of ids) expect(planningTaskIds.filter((x) => x === id)).toHaveLength(1);
    await queues.close();
  });

  it("two relays running together enqueue every job once", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: `${r.prefix}-two` });
    const a = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 10, batchSize: 3 });
    const b = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 10, batchSize: 3 });
    const ids = await createTasks(40, "two");
    await waitFor(async () => (await countPendingOutbox(t.db)) === 0, { what: "outbox drained" });
    await Promise.all([a.stop(), b.stop()]);
    const jobs = await queues.queue("planning").getJobs(["waiting", "prioritized", "delayed", "active"]);
    const counts = new Map<string, number>();
    for (const j of jobs) counts.set((j.data as { taskId: string }).taskId, (counts.get((j.data as { taskId: string }).taskId) ?? 0) + 1);
    for (const id of ids) expect(counts.get(id)).toBe(1);
    // BullMQ's jobId dedup would hide a double send, so check the relays themselves: one send per row.
    const sends = await t.db.selectFrom("outbox").select("attempts").where(sql<boolean>`data @> ${JSON.stringify({ taskId: ids[0]! })}::jsonb`).execute();
    expect(sends.map((s) => s.attempts)).toEqual([1, 1]);
    const allRows = await t.db.selectFrom("outbox").select("attempts").where("sent_at", "is not", null).where("last_error", "is", null).execute();
    expect(allRows.every((row) => row.attempts === 1)).toBe(true);
    // Re-sending a row (a relay that crashed after enqueue, before marking sent) is a no-op in BullMQ.
    const row = await t.db.selectFrom("outbox").select(["id"]).where("queue", "=", "planning").orderBy("id", "desc").executeTakeFirstOrThrow();
    await t.db.updateTable("outbox").set({ sent_at: null }).where("id", "=", row.id).execute();
    const c = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 10 });
    await waitFor(async () => (await countPendingOutbox(t.db)) === 0, { what: "re-sent row drained" });
    await c.stop();
    expect(await queues.queue("planning").getJobCountByTypes("waiting", "prioritized", "delayed", "active")).toBe(jobs.length);
    await queues.close();
  });

  it("a row a pass's cursor went past (its transaction committed after higher ids) goes out on the next pass", async () => {
    const { insertOutboxJobs } = await import("@fixline/db");
    const queues = createJobQueues({ connection: r.producer, prefix: `${r.prefix}-cursor` });
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 60_000, batchSize: 3 });
    const [taskId] = await createTasks(1, "cursor");
    await relay.drainOnce();
    // A writer takes the lowest id of what follows and commits only after ten higher ids were committed
    // and relayed in a pass of several claims, so that pass's cursor is already past it.
    let commitLate!: () => void;
    const held = new Promise<void>((resolve) => (commitLate = resolve));
    const lateWriter = t.db.transaction().execute(async (trx) => {
      await insertOutboxJobs(trx, [{ queue: "notify", data: { taskId: taskId!, event: "completed" } }]);
      await held;
    });
    await waitFor(async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()`.execute(t.db)).rows[0]!.n) > 0, { what: "late writer inside its transaction" });
    await insertOutboxJobs(t.db, Array.from({ length: 10 }, () => ({ queue: "notify" as const, data: { taskId: taskId!, event: "completed" as const } })));
    expect(await relay.drainOnce()).toBe(10);
    commitLate();
    await lateWriter;
    expect(await countPendingOutbox(t.db)).toBe(1);
    expect(await relay.drainOnce()).toBe(1);
    expect(await countPendingOutbox(t.db)).toBe(0);
    await relay.stop();
    await queues.close();
  });

  it("wakes on NOTIFY from another connection without waiting for the poll", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: `${r.prefix}-notify` });
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 60_000, databaseUrl: t.url });
    await relay.drainOnce();
    await new Promise((res) => setTimeout(res, 200)); // let LISTEN connect
    // Insert through a separate pool so the in-process signal is not what wakes the relay.
    const { createDb } = await import("@fixline/db");
    const other = await createDb({ databaseUrl: t.url, maxConnections: 1 });
    const { insertOutboxJobs, signalOutbox } = await import("@fixline/db");
    const [taskId] = await createTasks(1, "notify");
    await t.db.updateTable("outbox").set({ sent_at: new Date() }).where("sent_at", "is", null).execute();
    await insertOutboxJobs(other, [{ queue: "notify", data: { taskId: taskId!, event: "completed" } }]);
    // What a writer in another process does after commit; the in-process signal also fires here, so
    // remove this process's listeners to prove the NOTIFY path alone wakes the relay.
    const { outboxSignal } = await import("@fixline/db");
    const listeners = outboxSignal.listeners("jobs");
    outboxSignal.removeAllListeners("jobs");
    const started = Date.now();
    signalOutbox(other);
    await waitFor(async () => (await countPendingOutbox(t.db)) === 0, { what: "notified row relayed", timeoutMs: 5_000, intervalMs: 10 });
    expect(Date.now() - started).toBeLessThan(2_000);
    for (const listener of listeners) outboxSignal.on("jobs", listener as () => void);
    await relay.stop();
    await other.destroy();
    await queues.close();
  });
  it("gives up an enqueue a stalled Redis never answers, frees its claim, and sends the rows once Redis wakes", async () => {
    // A real redis-server stopped with SIGSTOP: the kernel still accepts and buffers, nothing ever answers,
    // so no client error or reconnect ends the wait (what a hung server or a cluster failover looks like).
    const port = await freePort();
    const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const exited = once(server, "exit");
    const redis = createRedis(`redis://127.0.0.1:${port}`, "producer");
    const queues = createJobQueues({ connection: redis, prefix: r.prefix });
    try {
      await waitFor(async () => (await redis.ping().catch(() => "")) === "PONG", { what: "the private redis-server" });
      const warmUp = randomUUID();
      await queues.enqueue("planning", { taskId: warmUp }, { jobId: `plan-${warmUp}` });
      const ids = await createTasks(2, "stalled");
      server.kill("SIGSTOP");
      const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 100_000, enqueueTimeoutMs: 300 });
      // Without the deadline this pass never returns (the test would time out).
      await relay.drainOnce();
      // The pass stops at the first queue that fails: that queue's rows back off with the reason, none went out.
      const rows = await t.db.selectFrom("outbox").select(["attempts", "last_error"]).where("sent_at", "is", null).where(sql<string>`data->>'taskId'`, "in", ids).execute();
      expect(rows).toHaveLength(4);
      expect(rows.filter((row) => row.attempts > 0 && /did not answer within 300 ms/.test(row.last_error ?? "")).length).toBeGreaterThan(0);

      server.kill("SIGCONT");
      await t.db.updateTable("outbox").set({ available_at: new Date(0) }).where("sent_at", "is", null).execute();
      await waitFor(async () => (await relay.drainOnce(), (await countPendingOutbox(t.db)) === 0), { what: "the outbox to drain once Redis answers", timeoutMs: 20_000 });
      await relay.stop();
      const planning = await queues.queue("planning").getJobs(["waiting", "prioritized", "delayed", "active"]);
      for (const id of ids) expect(planning.filter((job) => (job.data as { taskId: string }).taskId === id)).toHaveLength(1);
    } finally {
      server.kill("SIGCONT");
      await queues.close().catch(() => {});
      redis.disconnect();
      server.kill("SIGKILL");
      await exited;
    }
  });
});

describe("outbox relay behind pgbouncer in transaction mode (real pgbouncer)", () => {
  let bouncer: TestPgbouncer;
  let db: FixlineDb;
  beforeAll(async () => {
    bouncer = await startTestPgbouncer();
    db = await createDb({ databaseUrl: bouncer.through(t.url), maxConnections: 5 });
  });
  afterAll(async () => {
    await db?.destroy();
    await bouncer?.stop();
  });

  it("finds that LISTEN/NOTIFY does not arrive, says so, polls instead, and still drains every row", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: `${r.prefix}-bouncer` });
    const warnings: string[] = [];
    const logger = { ...silentLogger(), warn: (_: unknown, message?: string) => void warnings.push(String(message)) } as unknown as Logger;
    const relay = startOutboxRelay({ db, queues, logger, pollMs: 60_000, fallbackPollMs: 100, probeTimeoutMs: 1_000, databaseUrl: bouncer.through(t.url) });
    await waitFor(() => relay.wakeMode() !== "probing", { what: "the LISTEN probe to finish", timeoutMs: 10_000 });
    expect(relay.wakeMode()).toBe("poll");
    expect(warnings.join("\n")).toMatch(/LISTEN\/NOTIFY does not reach this process .*polling every 100 ms/);
    // Rows written through the pooler (no prepared statements survive there) go out within the short poll,
    // although the 60 s regular poll never fires and no notification arrives.
    const before = await countPendingOutbox(t.db);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await ingestSignal(db, { delivery: { source: "sentry", deliveryId: `bouncer-${i}`, event: "issue.created" }, source: "sentry", sourceKey: `sentry:bouncer-${i}`, repo: "acme/shop", title: `bug ${i}`, context: {} });
      ids.push(res.taskId!);
    }
    await waitFor(async () => (await countPendingOutbox(t.db)) === 0, { what: "outbox drained through pgbouncer", timeoutMs: 10_000 });
    expect(before).toBe(0);
    const planned = (await queues.queue("planning").getJobs(["waiting", "prioritized", "delayed", "active"])).map((j) => (j.data as { taskId: string }).taskId);
    for (const id of ids) expect(planned.filter((x) => x === id)).toHaveLength(1);
    await relay.stop();
    await queues.close();
  });

  it("keeps NOTIFY when it works: the same probe against Postgres directly says notify", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: `${r.prefix}-direct` });
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 60_000, probeTimeoutMs: 5_000, databaseUrl: t.url });
    await waitFor(() => relay.wakeMode() !== "probing", { what: "the LISTEN probe to finish", timeoutMs: 10_000 });
    expect(relay.wakeMode()).toBe("notify");
    await relay.stop();
    await queues.close();
  });
});
