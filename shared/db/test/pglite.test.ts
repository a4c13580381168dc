import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isFixlineError, silentLogger } from "@fixline/core";
import { createJobQueues } from "@fixline/queue";
import { createTestRedis } from "@fixline/testing";
import { countPendingOutbox, createDb, createIngestBatcher, createOutboxSender, getTask, ingestBatchStatement, ingestSignal, migrateToLatest, transition } from "@fixline/db";

const dir = mkdtempSync(join(tmpdir(), "fixline-pglite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("embedded PGlite (DATABASE_URL unset)", () => {
  it("runs the same migrations and the same guarded transitions", async () => {
    const db = await createDb({ pgliteDir: join(dir, "db") });
    expect(await migrateToLatest(db)).toContain("0001_initial");
    const created = await ingestSignal(db, {
      delivery: { source: "jira", deliveryId: "w-1", event: "jira:issue_created" },
      source: "jira",
      sourceKey: "jira:ED-1",
      repo: "acme/shop",
      title: "Login fails",
      context: { jira: { key: "ED-1" } },
    });
    expect(created.outcome).toBe("created");
    expect((await ingestSignal(db, { delivery: { source: "jira", deliveryId: "w-1", event: "x" }, source: "jira", sourceKey: "jira:ED-1", repo: "acme/shop", title: "x", context: {} })).outcome).toBe("duplicate");
    await transition(db, { taskId: created.taskId!, expected: "received", event: { type: "plan_started" } });
    const error = await transition(db, { taskId: created.taskId!, expected: "received", event: { type: "plan_started" } }).catch((e: unknown) => e);
    expect(isFixlineError(error, "STALE_STATE")).toBe(true);
    expect((await getTask(db, created.taskId!))?.state).toBe("planning");
    await db.destroy();
    // Data survives a restart of the embedded database.
    const reopened = await createDb({ pgliteDir: join(dir, "db") });
    expect(await migrateToLatest(reopened)).toEqual([]);
    expect((await getTask(reopened, created.taskId!))?.state).toBe("planning");
    await reopened.destroy();
  });

  it("writes a group-commit batch in one statement too (copies folded, alerts for one issue counted)", async () => {
    const db = await createDb({ pgliteDir: join(dir, "batch") });
    await migrateToLatest(db);
    const request = (deliveryId: string, key: string) => ({ delivery: { source: "jira", deliveryId, event: "jira:issue_created" }, source: "jira" as const, sourceKey: `jira:${key}`, repo: "acme/shop", title: key, context: {} });
    const { outcomes } = await ingestBatchStatement(db, [request("b-1", "ED-2"), request("b-1", "ED-2"), request("b-2", "ED-2"), request("b-3", "ED-3")]);
    expect(outcomes.map((o) => o.outcome)).toEqual(["created", "duplicate", "updated", "created"]);
    expect((await getTask(db, outcomes[0]!.taskId!))?.occurrences).toBe(2);
    const jobs = await db.selectFrom("outbox").select("queue").execute();
    expect(jobs).toHaveLength(4);
    await db.destroy();
  });

  it("enqueues each commit's jobs from the ingesting process and marks them sent (enqueue after commit)", async () => {
    const db = await createDb({ pgliteDir: join(dir, "send") });
    await migrateToLatest(db);
    const redis = await createTestRedis();
    const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
    try {
      const batcher = createIngestBatcher(db, { sender: createOutboxSender({ db, queues, logger: silentLogger() }) });
      const request = (deliveryId: string, key: string) => ({ delivery: { source: "jira", deliveryId, event: "jira:issue_created" }, source: "jira" as const, sourceKey: `jira:${key}`, repo: "acme/shop", title: key, context: {} });
      const outcomes = await Promise.all([batcher.ingest(request("s-1", "ED-5")), batcher.ingest(request("s-2", "ED-6")), batcher.ingest(request("s-3", "ED-7"))]);
      await batcher.close();
      const planned = (await queues.queue("planning").getJobs(["waiting", "prioritized"])).map((job) => (job.data as { taskId: string }).taskId).sort();
      expect(planned).toEqual(outcomes.map((o) => o.taskId).sort());
      expect(await countPendingOutbox(db)).toBe(0);
    } finally {
      await queues.close();
      await redis.cleanup();
      await db.destroy();
    }
  });
});
