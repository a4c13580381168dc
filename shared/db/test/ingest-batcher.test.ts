import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFixlineError } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import { createIngestBatcher, type IngestSignalRequest } from "@fixline/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});

const request = (deliveryId: string, issue: string, title = `bug ${issue}`): IngestSignalRequest => ({
  delivery: { source: "sentry", deliveryId, event: "issue.created" },
  source: "sentry",
  sourceKey: `sentry:${issue}`,
  repo: "acme/shop",
  title,
  context: {},
});

async function batchSizes(): Promise<{ count: number; sum: number }> {
  const values = (await metrics.ingestBatchSize.get()).values;
  return { count: Number(values.find((v) => v.metricName === "ai_agent_ingest_batch_size_count")?.value ?? 0), sum: Number(values.find((v) => v.metricName === "ai_agent_ingest_batch_size_sum")?.value ?? 0) };
}

describe("group commit at ingest (real Postgres)", () => {
  it("writes 300 simultaneous deliveries of distinct issues in far fewer commits, each answered with its own task", async () => {
    const batcher = createIngestBatcher(t.db, { maxInFlight: 2 });
    const before = await batchSizes();
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => batcher.ingest(request(`distinct-${i}`, `distinct-${i}`))));
    const after = await batchSizes();
    expect(outcomes.every((o) => o.outcome === "created")).toBe(true);
    expect(new Set(outcomes.map((o) => o.taskId)).size).toBe(300);
    expect(after.sum - before.sum).toBe(300);
    // 300 deliveries, 2 transactions in flight, at most 64 per transaction: at least 5 commits, far fewer than 300.
    expect(after.count - before.count).toBeLessThan(30);
    const tasks = await t.db.selectFrom("tasks").select("id").where("source_key", "like", "sentry:distinct-%").execute();
    expect(tasks).toHaveLength(300);
    // Each new task got its planning and notify jobs in the same commit.
    const ids = new Set(outcomes.map((o) => o.taskId));
    const jobs = (await t.db.selectFrom("outbox").select("data").execute()).filter((row) => ids.has((row.data as { taskId?: string }).taskId ?? ""));
    expect(jobs).toHaveLength(600);
    await batcher.close();
  });

  it("keeps dedupe exact inside one batch: 50 copies of one delivery give one task; 20 alerts for one issue bump it", async () => {
    const batcher = createIngestBatcher(t.db, { maxInFlight: 1 });
    const copies = await Promise.all(Array.from({ length: 50 }, () => batcher.ingest(request("copy-1", "copied"))));
    expect(copies.filter((o) => o.outcome === "created")).toHaveLength(1);
    expect(copies.filter((o) => o.outcome === "duplicate")).toHaveLength(49);
    const taskId = copies.find((o) => o.outcome === "created")!.taskId;
    for (const copy of copies) expect(copy.taskId).toBe(taskId);

    const alerts = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.ingest(request(`storm-${i}`, "stormy"))));
    expect(alerts.filter((o) => o.outcome === "created")).toHaveLength(1);
    expect(alerts.filter((o) => o.outcome === "updated")).toHaveLength(19);
    const task = await t.db.selectFrom("tasks").select(["occurrences"]).where("source_key", "=", "sentry:stormy").executeTakeFirstOrThrow();
    expect(task.occurrences).toBe(20);
    await batcher.close();
  });

  it("fails only the bad delivery when one in a batch cannot be written", async () => {
    const batcher = createIngestBatcher(t.db, { maxInFlight: 1 });
    // Postgres text cannot hold NUL: this statement fails, and with it the batch's transaction.
    const results = await Promise.allSettled([
      batcher.ingest(request("good-0", "good-0")),
      batcher.ingest(request("good-1", "good-1")),
      batcher.ingest(request("bad", "bad", "broken \u0000 title")),
      batcher.ingest(request("good-2", "good-2")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const written = await t.db.selectFrom("tasks").select("source_key").where("source_key", "in", ["sentry:good-0", "sentry:good-1", "sentry:good-2", "sentry:bad"]).execute();
    expect(written.map((r) => r.source_key).sort()).toEqual(["sentry:good-0", "sentry:good-1", "sentry:good-2"]);
    await batcher.close();
  });

  it("sheds load: beyond maxPending waiting deliveries it refuses with INGEST_OVERLOADED and loses none it accepted", async () => {
    const batcher = createIngestBatcher(t.db, { maxInFlight: 1, maxBatch: 5, maxPending: 10 });
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => batcher.ingest(request(`shed-${i}`, `shed-${i}`))));
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(isFixlineError((r as PromiseRejectedResult).reason) && (r as PromiseRejectedResult).reason.code).toBe("INGEST_OVERLOADED");
    const accepted = results.filter((r) => r.status === "fulfilled").length;
    const written = await t.db.selectFrom("tasks").select("id").where("source_key", "like", "sentry:shed-%").execute();
    expect(written).toHaveLength(accepted);
    await batcher.close();
  });

  it("sheds load once the oldest waiting delivery has waited longer than maxQueueWaitMs, and writes all it accepted", async () => {
    let now = 0;
    const batcher = createIngestBatcher(t.db, { maxInFlight: 1, maxPending: 1_000, maxQueueWaitMs: 100, nowMs: () => now });
    // Postgres stalls: another session holds a lock every delivery insert waits for.
    const blocker = new pg.Client({ connectionString: t.url });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE deliveries IN SHARE ROW EXCLUSIVE MODE");
    const inFlight = batcher.ingest(request("wait-0", "wait-0"));
    const queued = [1, 2, 3].map((i) => batcher.ingest(request(`wait-${i}`, `wait-${i}`)));
    expect(batcher.pending()).toBe(3);
    now = 100; // the oldest has waited exactly the limit: still accepted
    const atLimit = batcher.ingest(request("wait-4", "wait-4"));
    now = 101;
    const refused = batcher.ingest(request("wait-5", "wait-5")).then(
      () => "accepted",
      (error: unknown) => (isFixlineError(error) ? error.code : String(error)),
    );
    await blocker.query("ROLLBACK");
    await blocker.end();
    expect(await refused).toBe("INGEST_OVERLOADED");
    const outcomes = await Promise.all([inFlight, ...queued, atLimit]);
    expect(outcomes.map((o) => o.outcome)).toEqual(["created", "created", "created", "created", "created"]);
    // Drained: new deliveries are accepted again, and the refused one, retried by its sender, is new (never recorded).
    expect((await batcher.ingest(request("wait-5", "wait-5"))).outcome).toBe("created");
    const written = await t.db.selectFrom("tasks").select("source_key").where("source_key", "like", "sentry:wait-%").execute();
    expect(written.map((r) => r.source_key).sort()).toEqual(["sentry:wait-0", "sentry:wait-1", "sentry:wait-2", "sentry:wait-3", "sentry:wait-4", "sentry:wait-5"]);
    await batcher.close();
  });
});
