import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@fixline/testing";
import { createChaosWorld, webhookSecret, type ChaosWorld } from "./support/chaos-world";
import { residentKib } from "./support/find-processes";
import { freePort } from "./support/free-port";
import { connectHeapProbe, type HeapProbe } from "./support/heap-probe";
import type { FixlineProcess } from "./support/fixline-process";
import { createFuzzer, type FuzzRequest } from "./support/fuzz-requests";
import { createHttpPool, type RawResponse } from "./support/http-pool";
import { shopScenario } from "./support/shop-fixtures";

const bodyLimit = 64 * 1024;
const warmupRequests = 1_000;
const fuzzRequests = 3_000;
const rounds = 12;
const seed = Number(process.env.CHAOS_FUZZ_SEED ?? Date.now() % 1_000_000);

/** A request whose body never fully arrives: headers and part of the body, then silence, then we hang up. */
function partialRequest(port: number, path: string, declared: number, sent: number, holdMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(answer));
    socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${declared}\r\nx-github-event: issues\r\n\r\n${"{".repeat(sent)}`);
    setTimeout(() => socket.destroy(), holdMs);
  });
}

describe("chaos: webhook fuzzing against the real webhook server process", () => {
  let world: ChaosWorld;
  let server: FixlineProcess;
  let baseUrl: string;
  let port: number;
  let heap: HeapProbe;
  beforeAll(async () => {
    world = await createChaosWorld({ scenario: shopScenario(0) });
    port = await freePort();
    const inspectPort = await freePort();
    server = await world.start("webhook", {
      // The inspector lets the test force a full GC and read the live heap: the leak witness (heap-probe.ts).
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
      PORT: String(port),
      WEBHOOK_BODY_LIMIT_BYTES: String(bodyLimit),
      SENTRY_CLIENT_SECRET: "chaos-sentry-secret",
      JIRA_WEBHOOK_SECRET: "chaos-jira-secret",
      SLACK_SIGNING_SECRET: "chaos-slack-secret",
    });
    baseUrl = `http://127.0.0.1:${port}`;
    heap = await connectHeapProbe(inspectPort);
  });
  afterAll(async () => {
    heap?.close();
    await world?.close();
  });

  it(`answers ${warmupRequests + fuzzRequests} malformed, forged, oversized, truncated and mis-encoded requests without a 5xx, a crash, a task or growing memory (seed ${seed})`, async () => {
    const started = Date.now();
    const fuzzer = createFuzzer(seed, { github: webhookSecret }, bodyLimit);
    // A connection per request: the server rightly closes connections after some rejections (413, 431), and a
    // keep-alive client racing that close would report hang-ups that are not the server's fault.
    const pool = createHttpPool(baseUrl, 16, { keepAlive: false });
    const statuses = new Map<string, Map<number, number>>();
    const kindOf = new Map<string, string>();
    const serverErrors: Array<{ request: FuzzRequest; response: RawResponse | string }> = [];
    async function fire(count: number): Promise<void> {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const request = fuzzer.next();
        const deliveryId = request.headers["x-github-delivery"];
        if (deliveryId) kindOf.set(deliveryId, request.kind);
        batch.push(
          pool.post(request.path, request.headers, request.body, 20_000).then(
            (response) => {
              const byKind = statuses.get(request.kind) ?? new Map<number, number>();
              byKind.set(response.status, (byKind.get(response.status) ?? 0) + 1);
              statuses.set(request.kind, byKind);
              if (response.status >= 500) serverErrors.push({ request, response });
            },
            (error: unknown) => {
              // The server may hang up on an oversized body before reading it; anything else is a failure.
              const message = (error as Error).message;
              if (request.kind === "oversized" && /EPIPE|ECONNRESET|socket hang up/.test(message)) return;
              serverErrors.push({ request, response: message });
            },
          ),
        );
        if (batch.length >= 16) await Promise.all(batch.splice(0));
      }
      await Promise.all(batch);
    }

    await fire(warmupRequests);
    const rssAfterWarmup = await residentKib(server.pid);
    const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
    const heapAfterWarmup = mib(await heap.usedAfterGc());
    // The main run in rounds, the live heap after a full GC sampled after each: what a leak retains survives
    // the collection and grows with every round; RSS is only printed (it follows V8's reservations, not leaks).
    const heapByRound: number[] = [];
    const rssByRound: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await fire(fuzzRequests / rounds);
      heapByRound.push(mib(await heap.usedAfterGc()));
      rssByRound.push(Math.round((await residentKib(server.pid)) / 1024));
    }
    // Slowloris-ish: bodies that never arrive, held open, then abandoned.
    const partial = await Promise.all(Array.from({ length: 40 }, (_, i) => partialRequest(port, i % 2 ? "/webhooks/github" : "/webhooks/sentry", 5_000, 10 + i, 1_500)));
    const rssAfter = await residentKib(server.pid);
    pool.close();

    expect(serverErrors.map((e) => ({ kind: e.request.kind, path: e.request.path, headers: Object.fromEntries(Object.entries(e.request.headers).map(([k, v]) => [k, v.slice(0, 80)])), bytes: e.request.body.length, response: typeof e.response === "string" ? e.response : `${e.response.status} ${e.response.body.slice(0, 200)}` }))).toEqual([]);
    for (const answer of partial) expect(answer).not.toMatch(/^HTTP\/1\.1 5\d\d/);
    expect(server.alive()).toBe(true);
    const health = await fetch(`${baseUrl}/health`);
    expect(health.status).toBe(200);
    // No task: and if there is one, say which requests made it.
    const taskKeys = (await world.db.selectFrom("tasks").select("source_key").execute()).map((t) => t.source_key);
    const created = taskKeys.length === 0 ? [] : await world.db.selectFrom("deliveries").select(["delivery_id", "event", "source_key"]).where("source_key", "in", taskKeys).execute();
    expect(created.map((d) => ({ ...d, kind: kindOf.get(d.delivery_id) }))).toEqual([]);
    expect(await world.db.selectFrom("tasks").select("id").execute()).toEqual([]);
    // Memory flat, judged on what is still held after a forced full GC (V8 heap + external Buffers). Measured
    // here, three runs: +0.4 MiB over the 12 rounds, +0.2 MiB over the second half (RSS meanwhile moved by up
    // to 80 MiB). A leak of 1 KiB per request adds ~1.5 MiB in the second half (checked by planting one: it
    // failed), a retained 64 KiB body per oversized request (~3% of requests) ~2.8 MiB. So the second half
    // (1,500 hostile requests) may add at most 1 MiB, the whole run at most 2 MiB over the warmed-up heap.
    expect(heapByRound.at(-1)! - heapByRound[rounds / 2 - 1]!).toBeLessThan(1);
    expect(heapByRound.at(-1)! - heapAfterWarmup).toBeLessThan(2);
    // Every kind was exercised and answered (4xx mostly; 200 for well-formed events that need nothing).
    const summary = Object.fromEntries([...statuses].map(([kind, byStatus]) => [kind, Object.fromEntries(byStatus)]));
    expect(Object.keys(summary).sort()).toEqual([...fuzzer.kinds].sort());
    console.log(`[chaos] fuzz seed ${seed}: ${JSON.stringify(summary)}; live heap after GC: ${heapAfterWarmup} MiB after warm-up, by round ${heapByRound.join(", ")} MiB; RSS after warm-up ${Math.round(rssAfterWarmup / 1024)} MiB, by round ${rssByRound.join(", ")}, at the end ${Math.round(rssAfter / 1024)} MiB; ${Math.round((Date.now() - started) / 1000)} s`);
    await waitFor(() => server.alive(), { timeoutMs: 1_000 });
  });
});
