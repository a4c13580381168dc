import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa, type ResultPromise } from "execa";
import { loadConfig, silentLogger } from "@fixline/core";
import { createJobQueues, createRedis, createWorker, type JobData } from "@fixline/queue";
import { freePort, waitFor } from "@fixline/testing";
import type { Redis } from "ioredis";

/**
 * Issue 20: Fixline's queues on Redis Cluster. A real redis-server in cluster mode owning all 16,384 slots
 * alone: Cluster refuses a script or command whose keys hash to different slots (CROSSSLOT) even on one
 * node, so this catches what a multi-node cluster would refuse, without needing six servers.
 */
let dir: string;
let server: ResultPromise;
let url: string;
let producer: Redis;
let worker: Redis;


beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fixline-cluster-"));
  const port = await freePort();
  url = `redis://127.0.0.1:${port}`;
  server = execa("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf"), "--save", "", "--appendonly", "no", "--dir", dir], { reject: false });
  const cli = (...args: string[]) => execa("redis-cli", ["-p", String(port), ...args], { reject: false });
  await waitFor(async () => (await cli("ping")).stdout === "PONG", { what: "redis-server in cluster mode" });
  await cli("cluster", "addslotsrange", "0", "16383");
  await waitFor(async () => (await cli("cluster", "info")).stdout.includes("cluster_state:ok"), { what: "the one-node cluster to be ok" });
  producer = createRedis(url, "producer");
  worker = createRedis(url, "worker");
});
afterAll(async () => {
  producer?.disconnect();
  worker?.disconnect();
  server?.kill("SIGKILL");
  await server;
  await rm(dir, { recursive: true, force: true });
});

describe("queues on Redis Cluster", () => {
  it("accepts a hash-tagged prefix in the configuration and refuses other braces", () => {
    expect(loadConfig({ FIXLINE_QUEUE_PREFIX: "{fixline}" }).queuePrefix).toBe("{fixline}");
    expect(() => loadConfig({ FIXLINE_QUEUE_PREFIX: "{fix}line" })).toThrow(/FIXLINE_QUEUE_PREFIX: .*hash tag such as \{fixline\}/);
  });

  it("runs a job end to end under a hash-tagged prefix, every key in one slot", async () => {
    const prefix = `{fixline-${randomUUID().slice(0, 8)}}`;
    const queues = createJobQueues({ connection: producer, prefix });
    const seen: Array<JobData<"planning">> = [];
    const w = createWorker("planning", async ({ data }) => void seen.push(data), { connection: worker, prefix, logger: silentLogger() });
    const taskId = randomUUID();
    await queues.enqueue("planning", { taskId }, { jobId: `plan-${taskId}` });
    await waitFor(() => seen.length === 1, { what: "the job to run on the cluster" });
    expect(seen[0]).toEqual({ taskId });
    const keys = await producer.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    const slots = new Set(await Promise.all(keys.map((key) => producer.cluster("KEYSLOT", key))));
    expect(slots.size).toBe(1);
    await w.drain(1_000);
    await queues.close();
  });

  it("without a hash tag the cluster refuses BullMQ's multi-key scripts (why the prefix must be tagged)", async () => {
    const queues = createJobQueues({ connection: producer, prefix: `fixline-${randomUUID().slice(0, 8)}` });
    const taskId = randomUUID();
    await expect(queues.enqueue("planning", { taskId }, { jobId: `plan-${taskId}` })).rejects.toThrow(/CROSSSLOT/);
    await queues.close();
  });
});
