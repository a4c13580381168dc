import { Writable } from "node:stream";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, silentLogger } from "@fixline/core";
import { createDb, startOutboxRelay, type FixlineDb } from "@fixline/db";
import { createJobQueues, createRedis } from "@fixline/queue";
import { createTestDatabase, createTestRedis, waitFor, type TestDatabase, type TestRedis } from "@fixline/testing";
import { buildApp, startWebhookServer } from "../src/index";
import { permissionTable, sentryHeaders, sentryIssueBody, slackHeaders, testConfig } from "./support/test-app";

/** A Redis URL nothing listens on: a stopped Redis, for real. */
const deadRedisUrl = "redis://127.0.0.1:1";
const deadDatabaseUrl = "postgres://postgres@127.0.0.1:1/postgres";

describe("dependencies down", () => {
  let database: TestDatabase;
  let redis: TestRedis;
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
  });
  afterAll(async () => {
    await redis.cleanup();
    await database.destroy();
  });

  it("Postgres unreachable: 503 DB_UNAVAILABLE with Retry-After, so senders retry", async () => {
    const db: FixlineDb = await createDb({ databaseUrl: deadDatabaseUrl });
    const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
    const app = await buildApp({ config: testConfig(), db, redis: redis.producer, queues, logger: silentLogger(), checkPermission: permissionTable({}) });
    try {
      const body = sentryIssueBody("5001");
      const res = await app.inject({ method: "POST", url: "/webhooks/sentry", payload: body, headers: sentryHeaders(body, "issue") });
      expect(res.statusCode).toBe(503);
      expect(res.headers["retry-after"]).toBe("30");
      expect(res.json()).toMatchObject({ code: "DB_UNAVAILABLE" });
      const ready = await app.inject({ method: "GET", url: "/ready" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ code: "DB_UNAVAILABLE", checks: { postgres: "unreachable", redis: "ok" } });
      expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    } finally {
      await app.close();
      await queues.close();
      await db.destroy();
    }
  });

  it("Redis stopped: still 2xx (only Postgres is in the path); the job is enqueued once Redis is back", async () => {
    const deadRedis = createRedis(deadRedisUrl, "producer");
    const deadQueues = createJobQueues({ connection: deadRedis, prefix: redis.prefix });
    const app = await buildApp({ config: testConfig({ FIXLINE_API_TOKEN: "test-api-token" }), db: database.db, redis: deadRedis, queues: deadQueues, logger: silentLogger(), checkPermission: permissionTable({}) });
    let taskId: string;
    try {
      const body = sentryIssueBody("5002");
      const res = await app.inject({ method: "POST", url: "/webhooks/sentry", payload: body, headers: sentryHeaders(body, "issue") });
      expect(res.statusCode).toBe(200);
      taskId = res.json<{ taskId: string }>().taskId;
      const ready = await app.inject({ method: "GET", url: "/ready" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ code: "REDIS_UNAVAILABLE", checks: { postgres: "ok", redis: "unreachable" } });
      // /metrics still answers while the queue lengths cannot be read.
      expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200);
      // The credential check does not need Redis (only the guess counter does): right is 200, wrong is 401.
      expect((await app.inject({ method: "GET", url: "/api/session", headers: { authorization: "Bearer test-api-token" } })).statusCode).toBe(200);
      expect((await app.inject({ method: "GET", url: "/api/session", headers: { authorization: "Bearer wrong" } })).statusCode).toBe(401);
    } finally {
      await app.close();
      await deadQueues.close().catch(() => {});
      deadRedis.disconnect();
    }
    // "Restart": a relay with a working Redis picks up what the request committed.
    const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
    const relay = startOutboxRelay({ db: database.db, queues, logger: silentLogger(), pollMs: 100 });
    try {
      const job = await waitFor(
        async () => {
          const jobs = await queues.queue("planning").getJobs(["waiting", "prioritized", "delayed"]);
          return jobs.find((j) => (j.data as { taskId: string }).taskId === taskId);
        },
        { what: "the planning job in BullMQ" },
      );
      expect(job.data).toEqual({ taskId });
    } finally {
      await relay.stop();
      await queues.close();
    }
  });
});

describe("startWebhookServer over real HTTP", () => {
  let database: TestDatabase;
  let redis: TestRedis;
  let server: Awaited<ReturnType<typeof startWebhookServer>>;
  const lines: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString("utf8"));
        callback();
      },
    });
    const config = testConfig({ HOST: "127.0.0.1", DATABASE_URL: database.url, REDIS_URL: redis.url, LOG_LEVEL: "info" });
    const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
    server = await startWebhookServer({ config, logger: createLogger({ level: "info", destination: sink }), db: database.db, redis: redis.producer, queues, checkPermission: permissionTable({ "octo-writer": "write" }), startRelay: false, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await redis.cleanup();
    await database.destroy();
  });

  it("acknowledges /agent run in well under Slack's 3 s", async () => {
    const form = new URLSearchParams({ command: "/agent", text: "run acme/shop real http ack", user_id: "W111", trigger_id: randomUUID(), channel_id: "C1" }).toString();
    const started = performance.now();
    const res = await fetch(`${server.url}/webhooks/slack/commands`, { method: "POST", body: form, headers: slackHeaders(form) });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    // W111 is octo-writer (approvers.slack), who may start tasks on acme/shop.
    expect(((await res.json()) as { text: string }).text).toContain("is queued for acme/shop");
    expect(elapsed).toBeLessThan(3_000);
  });

  it("logs a rejected delivery without its body or signature", async () => {
    const secretText = `do-not-log-${randomUUID()}`;
    const body = JSON.stringify({ action: "created", data: { issue: { id: "1", title: secretText } } });
    const res = await fetch(`${server.url}/webhooks/sentry`, { method: "POST", body, headers: { ...sentryHeaders(body, "issue"), "sentry-hook-signature": "f".repeat(64) } });
    expect(res.status).toBe(401);
    await waitFor(() => lines.some((l) => l.includes("webhook rejected")), { what: "the rejection log line" });
    const all = lines.join("");
    expect(all).toContain("SIGNATURE_INVALID");
    expect(all).not.toContain(secretText);
    expect(all).not.toContain("f".repeat(64));
  });

  it("asks for METRICS_TOKEN on /metrics when it is set", async () => {
    const app = await buildApp({ config: testConfig({ METRICS_TOKEN: "scrape-secret-0123" }), db: database.db, redis: redis.producer, queues: createJobQueues({ connection: redis.producer, prefix: redis.prefix }), logger: silentLogger(), checkPermission: permissionTable({}) });
    try {
      for (const authorization of [undefined, "Bearer wrong", "scrape-secret-0123", "Basic c2NyYXBlLXNlY3JldC0wMTIz"]) {
        const denied = await app.inject({ method: "GET", url: "/metrics", headers: authorization ? { authorization } : {} });
        expect(denied.statusCode, String(authorization)).toBe(401);
        expect(denied.body).not.toContain("ai_agent_");
      }
      const allowed = await app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer scrape-secret-0123" } });
      expect(allowed.statusCode).toBe(200);
      expect(allowed.body).toContain("ai_agent_");
      // Probes stay open: Kubernetes does not send the token.
      expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("serves /health, /ready and Prometheus /metrics", async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    expect(text).toContain("ai_agent_webhook_deliveries_total");
    expect(text).toMatch(/ai_agent_queue_length\{queue="planning",state="waiting"\} \d+/);
  });
});

