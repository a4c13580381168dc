import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa, type ResultPromise } from "execa";
import { loadConfig, silentLogger } from "@fixline/core";
import { acquireLock, createCircuitBreakers, createJobQueues, createRedis, createWorker, dataNodes, describeRedis, listenForCancellations, publishCancellation, type JobData, type RedisClient } from "@fixline/queue";
import { freePort, startTestRedisCluster, waitFor, type TestRedisCluster } from "@fixline/testing";
import { Cluster, type Redis } from "ioredis";

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
  // The bus port is given: Redis would take port + 10,000, past 65,535 for an ephemeral port above 55,535.
  server = execa("redis-server", ["--port", String(port), "--cluster-port", String(await freePort()), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf"), "--save", "", "--appendonly", "no", "--dir", dir], { reject: false });
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

/**
 * A real three-master cluster (redis-cli --cluster create): each node owns a third of the slots, so the client
 * must follow MOVED to reach Fixline's own keys (locks, breakers, live-output streams), which hash anywhere,
 * while BullMQ's keys sit together under the hash-tagged prefix.
 */
describe("Fixline on a three-master Redis Cluster (REDIS_CLUSTER_NODES)", () => {
  let cluster: TestRedisCluster;
  const clients: RedisClient[] = [];
  const connect = (role: "producer" | "worker", prefix: string) => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: cluster.nodesVariable.split(",")[0], FIXLINE_QUEUE_PREFIX: prefix });
    const client = createRedis(config.redis, role);
    clients.push(client);
    return client;
  };
  /** A key of the form `<stem><n>` whose slot lives on each node in turn (found by asking the cluster). */
  const keysOnEveryNode = async (stem: string): Promise<Map<number, string>> => {
    const found = new Map<number, string>();
    for (let n = 0; found.size < cluster.nodes.length && n < 200; n++) {
      const key = `${stem}${n}`;
      const owner = await cluster.ownerOf(key);
      if (!found.has(owner)) found.set(owner, key);
    }
    return found;
  };

  beforeAll(async () => {
    cluster = await startTestRedisCluster(3);
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await cluster?.stop();
  });

  it("starts from one node, learns all three masters, and names them in errors", async () => {
    const client = connect("producer", "{fixline}");
    expect(client).toBeInstanceOf(Cluster);
    await waitFor(async () => (await client.ping()) === "PONG", { what: "the cluster client to be ready" });
    expect(dataNodes(client).map((node) => node.options.port).sort()).toEqual(cluster.nodes.map((node) => node.port).sort());
    expect(describeRedis(client)).toBe(`Cluster ${cluster.nodesVariable.split(",")[0]}`);
  });

  it("runs a BullMQ job end to end; every queue key on the node that owns the prefix's slot", async () => {
    const prefix = `{fixline-${randomUUID().slice(0, 8)}}`;
    const producerClient = connect("producer", prefix);
    const workerClient = connect("worker", prefix);
    const queues = createJobQueues({ connection: producerClient, prefix });
    const seen: Array<JobData<"planning">> = [];
    const w = createWorker("planning", async ({ data }) => void seen.push(data), { connection: workerClient, prefix, logger: silentLogger() });
    const taskIds = [randomUUID(), randomUUID(), randomUUID()];
    for (const taskId of taskIds) await queues.enqueue("planning", { taskId }, { jobId: `plan-${taskId}` });
    await waitFor(() => seen.length === 3, { what: "three jobs to run on the cluster" });
    expect(seen.map((job) => job.taskId).sort()).toEqual([...taskIds].sort());
    const owner = await cluster.ownerOf(`${prefix}:planning:id`);
    const onOwner = (await cluster.cli(owner, "keys", `${prefix}:*`)).split("\n").filter(Boolean);
    expect(onOwner.length).toBeGreaterThan(0);
    for (const other of cluster.nodes.filter((node) => node.port !== owner)) expect(await cluster.cli(other.port, "keys", `${prefix}:*`)).toBe("");
    await w.drain(1_000);
    await queues.close();
  });

  it("reaches Fixline's own keys on every node: locks, circuit breakers, cancellations", async () => {
    const client = connect("producer", "{fixline}");
    const lockKeys = await keysOnEveryNode(`fixline-lock-${randomUUID().slice(0, 8)}:`);
    expect(lockKeys.size).toBe(3);
    for (const [port, key] of lockKeys) {
      // A node asked directly about a key it does not own redirects; the cluster client followed that.
      const other = cluster.nodes.find((node) => node.port !== port)!;
      expect(await cluster.cli(other.port, "get", key)).toMatch(/^MOVED \d+ 127\.0\.0\.1:\d+$/);
      const lock = await acquireLock(client, key, "job-1", { ttlMs: 5_000 });
      expect(lock).toBeDefined();
      expect(await acquireLock(client, key, "job-2", { ttlMs: 5_000 })).toBeUndefined();
      expect(await cluster.cli(port, "get", key)).toBe("job-1");
      await lock!.release();
      expect(await cluster.cli(port, "exists", key)).toBe("0");
    }

    const breakers = createCircuitBreakers(client, "{fixline}");
    await breakers.open("claude", { code: "CLAUDE_OVERLOADED", message: "529 overloaded" });
    expect((await breakers.states()).map((state) => state.provider)).toEqual(["claude"]);
    await breakers.close("claude");
    expect(await breakers.states()).toEqual([]);

    const cancelled: string[] = [];
    const listener = listenForCancellations(connect("worker", "{fixline}"), (taskId) => cancelled.push(taskId), silentLogger());
    await listener.ready;
    const taskId = randomUUID();
    await publishCancellation(client, taskId);
    await waitFor(() => cancelled.includes(taskId), { what: "the cancellation to reach the subscriber across the cluster" });
    listener.close();
  });
});
