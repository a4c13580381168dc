import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, type Logger } from "@fixline/core";
import { createJobQueues, createRedis } from "@fixline/queue";
import { createTestDatabase, createTestRedis, waitFor, type TestDatabase, type TestRedis } from "@fixline/testing";
import { countPendingOutbox, createIngestBatcher, createOutboxSender, ingestBatchStatement, startOutboxRelay, type IngestSignalRequest } from "@fixline/db";

/**
 * Issue 19, enqueue after commit: the webhook process enqueues the jobs of the deliveries it has just
 * committed, and the outbox relay sends only what a crash or an outage left. Real Postgres and Redis.
 */
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

const pools: Record<string, string> = { "acme/py": "python" };
const poolOf = (repo: string) => pools[repo] ?? "default";

const request = (deliveryId: string, issue: string, repo = "acme/shop"): IngestSignalRequest => ({
  delivery: { source: "sentry", deliveryId, event: "issue.created" },
  source: "sentry",
  sourceKey: `sentry:${issue}`,
  repo,
  title: `bug ${issue}`,
  context: {},
});

async function jobTaskIds(queues: ReturnType<typeof createJobQueues>, queue: "planning" | "notify", pool?: string): Promise<string[]> {
  const jobs = await queues.queue(queue, pool).getJobs(["waiting", "prioritized", "delayed", "active"]);
  return jobs.map((job) => (job.data as { taskId: string }).taskId).sort();
}

describe("enqueue after commit (real Postgres + Redis)", () => {
  it("enqueues each new task's jobs from the ingesting process, to its pool, and marks the rows sent, with no relay running", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: `${r.prefix}-send` });
    const sender = createOutboxSender({ db: t.db, queues, logger: silentLogger(), poolOf });
    const batcher = createIngestBatcher(t.db, { sender });
    // A burst (batches form while a statement commits) and a lone delivery (the one-row statement).
    const burst = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => batcher.ingest(request(`s-${i}`, `s-${i}`, i % 3 === 0 ? "acme/py" : "acme/shop"))),
      ...Array.from({ length: 10 }, (_, i) => batcher.ingest(request(`s-again-${i}`, "s-0", "acme/py"))),
    ]);
    const lone = await batcher.ingest(request("s-lone", "s-lone"));
    await batcher.close();
    const created = [...burst, lone].filter((o) => o.outcome === "created").map((o) => o.taskId!);
    expect(created).toHaveLength(31);

    const python = created.filter((_, i) => i < 30 && i % 3 === 0).sort();
    expect(await jobTaskIds(queues, "planning", "python")).toEqual(python);
    expect(await jobTaskIds(queues, "planning")).toEqual(created.filter((id) => !python.includes(id)).sort());
    expect(await jobTaskIds(queues, "notify")).toEqual([...created].sort());
    // Every row the statements wrote is marked sent, once, by the sender.
    const rows = await t.db.selectFrom("outbox").select(["sent_at", "attempts"]).where(sql<boolean>`data->>'taskId' = ANY(${created}::text[])`).execute();
    expect(rows).toHaveLength(62);
    expect(rows.every((row) => row.sent_at !== null && row.attempts === 1)).toBe(true);
    expect(await countPendingOutbox(t.db)).toBe(0);
    await queues.close();
  });

  it("hands the rows to the relay at once when Redis is down, and the relay sends them once it is back", async () => {
    const deadRedis = createRedis("redis://127.0.0.1:1", "producer", { retryStrategy: () => null });
    const deadQueues = createJobQueues({ connection: deadRedis, prefix: r.prefix });
    const warnings: string[] = [];
    const logger = { ...silentLogger(), warn: (_: unknown, message?: string) => void warnings.push(String(message)) } as unknown as Logger;
    const batcher = createIngestBatcher(t.db, { sender: createOutboxSender({ db: t.db, queues: deadQueues, logger, leaseMs: 600_000 }) });
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => batcher.ingest(request(`down-${i}`, `down-${i}`))));
    await batcher.close();
    await deadQueues.close().catch(() => {});
    deadRedis.disconnect();
    expect(outcomes.every((o) => o.outcome === "created")).toBe(true);
    expect(warnings.join("\n")).toMatch(/could not enqueue just-ingested jobs; the outbox relay will retry them/);
    // Not left for the ten-minute lease: due now, for the relay.
    const ids = outcomes.map((o) => o.taskId!);
    const due = await t.db.selectFrom("outbox").select(sql<boolean>`available_at <= now()`.as("due")).where("sent_at", "is", null).where(sql<boolean>`data->>'taskId' = ANY(${ids}::text[])`).execute();
    expect(due.map((row) => row.due)).toEqual(Array(10).fill(true));

    const queues = createJobQueues({ connection: r.producer, prefix: r.prefix });
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 50 });
    await waitFor(async () => (await countPendingOutbox(t.db)) === 0, { what: "the relay sent what the sender could not" });
    await relay.stop();
    expect(await jobTaskIds(queues, "planning")).toEqual(expect.arrayContaining([...ids].sort()));
    await queues.close();
  });

  it("keeps a relay off rows whose sender may still enqueue them, and lets it send them when the lease ends (a crash after commit)", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: `${r.prefix}-lease` });
    // The statement commits with a lease and nobody sends: what a webhook process killed right after its commit leaves.
    const { outcomes } = await ingestBatchStatement(t.db, [request("lease-1", "lease-1"), request("lease-2", "lease-2")], 1_500);
    const ids = outcomes.map((o) => o.taskId!);
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 50 });
    try {
      await relay.drainOnce();
      expect(await jobTaskIds(queues, "planning")).toEqual([]);
      expect(await countPendingOutbox(t.db)).toBe(4);
      await waitFor(async () => (await countPendingOutbox(t.db)) === 0, { what: "the relay sent the rows once their lease ended", timeoutMs: 10_000 });
      expect(await jobTaskIds(queues, "planning")).toEqual([...ids].sort());
    } finally {
      await relay.stop();
      await queues.close();
    }
  });
});
