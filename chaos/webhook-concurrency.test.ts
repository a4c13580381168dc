import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, silentLogger } from "@fixline/core";
import { createJobQueues, type JobQueues } from "@fixline/queue";
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from "@fixline/testing";
// The webhook server's front door (the root package does not depend on @fixline/webhook-server by name).
import { buildApp } from "@fixline/webhook-server";
import { labelledIssue, signedGitHubDelivery } from "./support/github-deliveries";
import { createHttpPool } from "./support/http-pool";

const secret = "chaos-concurrency-secret";
const copies = 1_000;

describe("chaos: 1,000 deliveries at once against the real webhook app over HTTP", () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let queues: JobQueues;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let pool: ReturnType<typeof createHttpPool>;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
    const config = loadConfig({ DATABASE_URL: database.url, GITHUB_WEBHOOK_SECRET: secret, LOG_LEVEL: "silent" });
    app = await buildApp({ config, db: database.db, redis: redis.producer, queues, logger: silentLogger(), checkPermission: async () => "none" });
    await app.listen({ host: "127.0.0.1", port: 0 });
    pool = createHttpPool(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, 128);
  });
  afterAll(async () => {
    pool?.close();
    await app?.close();
    await queues?.close();
    await redis?.cleanup();
    await database?.destroy();
  });

  async function countTasks(repo: string): Promise<number> {
    const row = await database.db.selectFrom("tasks").select((eb) => eb.fn.countAll<string>().as("n")).where("repo", "=", repo).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  async function planningJobs(taskIds: string[]): Promise<number> {
    const rows = await database.db.selectFrom("outbox").select("data").where("queue", "=", "planning").execute();
    const wanted = new Set(taskIds);
    return rows.filter((r) => wanted.has((r.data as { taskId?: string }).taskId ?? "")).length;
  }

  it("1,000 concurrent copies of one delivery: every copy answered 200, one task, one planning job", async () => {
    const started = Date.now();
    const delivery = signedGitHubDelivery(secret, "issues", labelledIssue("acme/copies", 7));
    const responses = await Promise.all(Array.from({ length: copies }, () => pool.post("/webhooks/github", delivery.headers, delivery.body)));
    const outcomes = responses.map((r) => (r.status === 200 ? (JSON.parse(r.body) as { outcome: string }).outcome : `HTTP ${r.status}`));
    const tally = Object.fromEntries([...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]));
    expect(tally).toEqual({ created: 1, duplicate: copies - 1 });
    expect(await countTasks("acme/copies")).toBe(1);
    const task = await database.db.selectFrom("tasks").select("id").where("repo", "=", "acme/copies").executeTakeFirstOrThrow();
    expect(await planningJobs([task.id])).toBe(1);
    const deliveries = await database.db.selectFrom("deliveries").select("id").where("delivery_id", "=", delivery.headers["x-github-delivery"]!).execute();
    expect(deliveries).toHaveLength(1);
    console.log(`[chaos] 1,000 copies of one delivery: ${Date.now() - started} ms`);
  });

  it("1,000 distinct deliveries at once: 1,000 tasks, each with one planning job", async () => {
    const started = Date.now();
    const deliveries = Array.from({ length: copies }, (_, i) => signedGitHubDelivery(secret, "issues", labelledIssue("acme/distinct", i + 1), randomUUID()));
    const responses = await Promise.all(deliveries.map((d) => pool.post("/webhooks/github", d.headers, d.body)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(responses.every((r) => (JSON.parse(r.body) as { outcome: string }).outcome === "created")).toBe(true);
    expect(await countTasks("acme/distinct")).toBe(copies);
    const ids = (await database.db.selectFrom("tasks").select("id").where("repo", "=", "acme/distinct").execute()).map((t) => t.id);
    expect(await planningJobs(ids)).toBe(copies);
    console.log(`[chaos] 1,000 distinct deliveries: ${Date.now() - started} ms`);
  });
});
