import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { createIngestBatcher, type IngestBatcher } from "@fixline/db";
import { createJobQueues } from "@fixline/queue";
import { createTestDatabase, createTestRedis, waitFor, type TestDatabase, type TestRedis } from "@fixline/testing";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/index";
import { permissionTable, sentryHeaders, sentryIssueBody, testConfig } from "./support/test-app";

/**
 * Issue 19: when deliveries pile up waiting for Postgres, the webhook answers 503 with Retry-After at once
 * instead of letting every sender's latency run away, and records nothing for what it refused, so the
 * sender's retry is a new delivery, not a duplicate.
 */
describe("load shedding at ingest", () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let app: FastifyInstance;
  let ingest: IngestBatcher;
  let reached = 0;
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
    const batcher = createIngestBatcher(database.db, { maxInFlight: 1, maxPending: 2 });
    // The real batcher, counting what reaches it (so the test knows when the first delivery is in flight).
    ingest = { ...batcher, ingest: (request) => (reached++, batcher.ingest(request)) };
    app = await buildApp({ config: testConfig({ FIXLINE_QUEUE_PREFIX: redis.prefix }), db: database.db, redis: redis.producer, queues, logger: silentLogger(), checkPermission: permissionTable({}), ingest });
    app.addHook("onClose", async () => queues.close());
  });
  afterAll(async () => {
    await app?.close();
    await redis?.cleanup();
    await database?.destroy();
  });

  /** Each delivery's Request-ID. */
  const ids = new Map(["9001", "9002", "9003", "9004"].map((issue) => [issue, randomUUID()]));
  const post = (issue: string) => {
    const requestId = ids.get(issue)!;
    const body = sentryIssueBody(issue);
    return app.inject({ method: "POST", url: "/webhooks/sentry", payload: body, headers: sentryHeaders(body, "issue", requestId) });
  };

  it("answers 503 INGEST_OVERLOADED with Retry-After beyond the bound, and writes every delivery it accepted", async () => {
    // Postgres stalls: another session has inserted the first delivery's row and not committed, so the
    // statement writing it waits on the unique index.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = database.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("deliveries").values({ source: "sentry", delivery_id: ids.get("9001")!, event: "issue.created", outcome: "accepted" }).execute();
        held();
        await released;
        throw new Error("roll back the stalling session");
      })
      .catch(() => undefined);
    await holding;
    const first = post("9001");
    // That one statement waits on the lock; two deliveries wait behind it: the bound.
    await waitFor(() => reached === 1, { timeoutMs: 10_000, what: "the first delivery in flight" });
    expect(ingest.pending()).toBe(0);
    const accepted = [first, ...["9002", "9003"].map((issue) => post(issue))];
    await waitFor(() => ingest.pending() === 2, { timeoutMs: 10_000, what: "two deliveries queued" });
    // Not awaited before the stall ends: were it accepted instead, it would wait behind the stall (and answer 200).
    const shedding = post("9004");
    await waitFor(() => reached === 4, { timeoutMs: 10_000, what: "the fourth delivery at the batcher" });
    release();
    await holder;
    const shed = await shedding;
    expect(shed.statusCode).toBe(503);
    expect(shed.headers["retry-after"]).toBe("2");
    expect(shed.json()).toMatchObject({ code: "INGEST_OVERLOADED" });
    const answers = await Promise.all(accepted);
    expect(answers.map((a) => [a.statusCode, a.json<{ outcome: string }>().outcome])).toEqual([
      [200, "created"],
      [200, "created"],
      [200, "created"],
    ]);
    const refusedRows = await database.db.selectFrom("deliveries").select("id").where("delivery_id", "=", ids.get("9004")!).execute();
    expect(refusedRows).toHaveLength(0);
    // The sender retries after Retry-After: a new delivery, and the task is created.
    const retried = await post("9004");
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ outcome: "created" });
    const tasks = await database.db.selectFrom("tasks").select("source_key").where("source_key", "in", ["sentry:9001", "sentry:9002", "sentry:9003", "sentry:9004"]).execute();
    expect(tasks).toHaveLength(4);
  });
});
