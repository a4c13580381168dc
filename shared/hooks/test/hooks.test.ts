import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, silentLogger } from "@fixline/core";
import { getTask, ingestSignal, startOutboxRelay, transition } from "@fixline/db";
import { createJobQueues } from "@fixline/queue";
import { createTestDatabase, createTestRedis, waitFor, type TestDatabase, type TestRedis } from "@fixline/testing";
import { createHooksWorker, runPreExecutionHooks, startHookDispatcher, verifyHookSignature } from "@fixline/hooks";

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

interface Received {
  delivery: string;
  event: string;
  verified: boolean;
  body: Record<string, unknown>;
}

/** A real receiver on loopback; `mode` decides how it answers. */
async function startReceiver(secret: string): Promise<{ url: string; received: Received[]; setMode(m: "ok" | "down" | "veto" | "403"): void; close(): Promise<void> }> {
  const received: Received[] = [];
  let mode: "ok" | "down" | "veto" | "403" = "ok";
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (mode === "down") {
        res.writeHead(503).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      received.push({
        delivery: String(req.headers["x-fixline-delivery"]),
        event: String(req.headers["x-fixline-event"]),
        verified: verifyHookSignature(secret, raw, req.headers["x-fixline-signature-256"] as string | undefined),
        body: JSON.parse(raw.toString()) as Record<string, unknown>,
      });
      if (mode === "403") res.writeHead(403).end("policy says no");
      else if (mode === "veto") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ allow: false, reason: "change freeze until Monday" }));
      else res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/hook`, received, setMode: (m) => (mode = m), close: () => new Promise((res) => server.close(() => res())) };
}

describe("lifecycle hooks (real Postgres, Redis, HTTP)", () => {
  it("delivers each state change once per delivery id, signed, after a receiver outage", async () => {
    const receiver = await startReceiver("hook-secret");
    const config = loadConfig({
      FIXLINE_HOOK_SECRET: "hook-secret",
      FIXLINE_CONFIG: `hooks:\n  - name: audit\n    url: ${receiver.url}\n    events: [state_changed, on_error]\n    timeoutMs: 1000\n`,
    });
    receiver.setMode("down");
    const queues = createJobQueues({ connection: r.producer, prefix: r.prefix });
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 50 });
    const dispatcher = startHookDispatcher({ db: t.db, config, logger: silentLogger(), pollMs: 50 });
    const worker = createHooksWorker({ config, connection: r.worker, prefix: r.prefix, logger: silentLogger() });

    const created = await ingestSignal(t.db, { delivery: { source: "sentry", deliveryId: "h-1", event: "x" }, source: "sentry", sourceKey: "sentry:h1", repo: "acme/shop", title: "bug", context: {} });
    await transition(t.db, { taskId: created.taskId!, expected: "received", event: { type: "plan_started" } });
    await transition(t.db, { taskId: created.taskId!, expected: "planning", event: { type: "fail", code: "PLAN_INVALID", message: "no sections" } });
    await new Promise((res) => setTimeout(res, 600));
    expect(receiver.received).toHaveLength(0);

    receiver.setMode("ok");
    await waitFor(() => receiver.received.length >= 4, { what: "hook deliveries", timeoutMs: 30_000 });
    await new Promise((res) => setTimeout(res, 500));
    const ids = receiver.received.map((x) => x.delivery);
    expect(new Set(ids).size).toBe(ids.length);
    expect(receiver.received.map((x) => x.event).sort()).toEqual(["on_error", "state_changed", "state_changed", "state_changed"]);
    expect(receiver.received.every((x) => x.verified)).toBe(true);
    const onError = receiver.received.find((x) => x.event === "on_error")!;
    expect(onError.body).toMatchObject({ event: "on_error", outcome: "failed", task: { id: created.taskId, errorCode: "PLAN_INVALID", repo: "acme/shop" } });

    await worker.drain(1_000);
    await dispatcher.stop();
    await relay.stop();
    await queues.close();
    await receiver.close();
  });

  it("a pre_execution hook can veto, with its reason; a receiver that is down vetoes within its timeout", async () => {
    const receiver = await startReceiver("s");
    const config = loadConfig({ FIXLINE_HOOK_SECRET: "s", FIXLINE_CONFIG: `hooks:\n  - name: gate\n    url: ${receiver.url}\n    events: [pre_execution]\n    timeoutMs: 500\n` });
    const created = await ingestSignal(t.db, { delivery: { source: "sentry", deliveryId: "h-2", event: "x" }, source: "sentry", sourceKey: "sentry:h2", repo: "acme/shop", title: "bug", context: {} });
    const task = (await getTask(t.db, created.taskId!))!;
    expect(await runPreExecutionHooks({ config, logger: silentLogger() }, task, "1")).toEqual({ allowed: true });
    receiver.setMode("veto");
    expect(await runPreExecutionHooks({ config, logger: silentLogger() }, task, "2")).toEqual({ allowed: false, hook: "gate", reason: "change freeze until Monday" });
    receiver.setMode("403");
    expect(await runPreExecutionHooks({ config, logger: silentLogger() }, task, "3")).toMatchObject({ allowed: false, reason: expect.stringContaining("403") });
    expect(receiver.received.every((x) => x.verified && x.event === "pre_execution")).toBe(true);
    await receiver.close();
    const started = Date.now();
    const verdict = await runPreExecutionHooks({ config, logger: silentLogger() }, task, "4");
    expect(verdict).toMatchObject({ allowed: false, reason: expect.stringContaining("unreachable") });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a payload whose task text holds a configured secret arrives [redacted], still signed over what was sent", async () => {
    const receiver = await startReceiver("hook-signing-secret");
    const token = "ghp_hook_test_token_value_0001";
    const config = loadConfig({ GITHUB_TOKEN: token, FIXLINE_HOOK_SECRET: "hook-signing-secret", FIXLINE_CONFIG: `hooks:\n  - name: gate\n    url: ${receiver.url}\n    events: [pre_execution]\n` });
    const created = await ingestSignal(t.db, { delivery: { source: "sentry", deliveryId: "h-3", event: "x" }, source: "sentry", sourceKey: "sentry:h3", repo: "acme/shop", title: `crash with ${token}`, context: {} });
    const task = (await getTask(t.db, created.taskId!))!;
    expect(await runPreExecutionHooks({ config, logger: silentLogger() }, task, "1")).toEqual({ allowed: true });
    const [delivery] = receiver.received;
    expect(delivery?.verified).toBe(true);
    const text = JSON.stringify(delivery?.body);
    expect(text).toContain("crash with [redacted]");
    expect(text).not.toContain(token);
    await receiver.close();
  });
});
