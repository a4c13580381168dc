import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa, type ResultPromise } from "execa";
import { loadConfig, silentLogger, type Config } from "@fixline/core";
import { createJobQueues, createRedis, createWorker, pingRedis, type JobData } from "@fixline/queue";
import { freePort, waitFor } from "@fixline/testing";
import { Redis } from "ioredis";

/**
 * Issue 20: Fixline on a Sentinel-managed Redis. Real processes: a master with an ACL user (managed Redis
 * hands out username + password), a replica of it, and one sentinel with a password of its own. Fixline is
 * configured only through its environment (REDIS_URL's credentials, REDIS_SENTINELS, REDIS_SENTINEL_NAME,
 * REDIS_SENTINEL_PASSWORD) and must reach the master, run a job there, and follow a failover.
 */
const masterName = "fixline-test";
const user = "fixline-app";
const userPassword = "app-pass-7f3e";
const sentinelPassword = "sentinel-pass-91c2";
let dir: string;
const servers: ResultPromise[] = [];
let masterPort: number;
let replicaPort: number;
let sentinelPort: number;
const clients: Redis[] = [];

const cli = (port: number, ...args: string[]) => execa("redis-cli", ["-p", String(port), ...args], { reject: false });
const aclUser = ["--user", "default", "off", "--user", user, "on", `>${userPassword}`, "~*", "&*", "+@all"];

function sentinelEnv(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    // The host here is deliberately unreachable: with sentinels, only the URL's credentials and database count.
    REDIS_URL: `redis://${user}:${encodeURIComponent(userPassword)}@192.0.2.1:6379/0`,
    REDIS_SENTINELS: `127.0.0.1:${sentinelPort}`,
    REDIS_SENTINEL_NAME: masterName,
    REDIS_SENTINEL_PASSWORD: sentinelPassword,
    ...overrides,
  });
}
function client(config: Config, role: "producer" | "worker"): Redis {
  const redis = createRedis(config.redis, role);
  if (!(redis instanceof Redis)) throw new Error("Sentinel gives a single-node client");
  clients.push(redis);
  return redis;
}
const serverPort = async (redis: Redis) => Number(/tcp_port:(\d+)/.exec(await redis.info("server"))?.[1]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fixline-sentinel-"));
  [masterPort, replicaPort, sentinelPort] = [await freePort(), await freePort(), await freePort()];
  const common = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...aclUser];
  servers.push(execa("redis-server", ["--port", String(masterPort), "--dir", dir, ...common], { reject: false }));
  servers.push(execa("redis-server", ["--port", String(replicaPort), "--dir", dir, ...common, "--replicaof", "127.0.0.1", String(masterPort), "--masteruser", user, "--masterauth", userPassword], { reject: false }));
  const conf = join(dir, "sentinel.conf");
  await writeFile(
    conf,
    [
      `port ${sentinelPort}`,
      "bind 127.0.0.1",
      `dir ${dir}`,
      `requirepass ${sentinelPassword}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} 1`,
      `sentinel auth-user ${masterName} ${user}`,
      `sentinel auth-pass ${masterName} ${userPassword}`,
      `sentinel down-after-milliseconds ${masterName} 1000`,
      `sentinel failover-timeout ${masterName} 5000`,
      "",
    ].join("\n"),
  );
  servers.push(execa("redis-server", [conf, "--sentinel"], { reject: false }));
  const authed = (port: number, ...args: string[]) => cli(port, "--user", user, "--pass", userPassword, "--no-auth-warning", ...args);
  await waitFor(async () => (await authed(replicaPort, "info", "replication")).stdout.includes("master_link_status:up"), { what: "the replica to sync", timeoutMs: 20_000 });
  await waitFor(async () => /num-slaves\s+1/.test((await cli(sentinelPort, "--pass", sentinelPassword, "--no-auth-warning", "sentinel", "master", masterName)).stdout.replace(/\n/g, " ")), { what: "the sentinel to see the replica", timeoutMs: 20_000 });
}, 60_000);
afterAll(async () => {
  for (const redis of clients) redis.disconnect();
  for (const server of servers) server.kill("SIGKILL");
  await Promise.all(servers);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("Redis through Sentinel", () => {
  it("finds the master through the sentinel and authenticates there as the URL's user", async () => {
    const redis = client(sentinelEnv(), "producer");
    await waitFor(() => redis.status === "ready", { what: "the producer to connect" });
    expect(await serverPort(redis)).toBe(masterPort);
    expect(await redis.call("ACL", "WHOAMI")).toBe(user);
    await pingRedis(redis);
  });

  it("runs a BullMQ job end to end on the master the sentinel names", async () => {
    const config = sentinelEnv();
    const producer = client(config, "producer");
    const worker = client(config, "worker");
    await waitFor(() => producer.status === "ready", { what: "the producer to connect" });
    const prefix = `fixline-sentinel-${randomUUID().slice(0, 8)}`;
    const queues = createJobQueues({ connection: producer, prefix });
    const seen: Array<JobData<"planning">> = [];
    const w = createWorker("planning", async ({ data }) => void seen.push(data), { connection: worker, prefix, logger: silentLogger() });
    const taskId = randomUUID();
    await queues.enqueue("planning", { taskId }, { jobId: `plan-${taskId}` });
    await waitFor(() => seen.length === 1, { what: "the job to run through Sentinel" });
    expect(seen[0]).toEqual({ taskId });
    await w.drain(1_000);
    await queues.close();
  });

  it("does not connect with a wrong sentinel password, nor with a wrong master password", async () => {
    const wrongSentinel = client(sentinelEnv({ REDIS_SENTINEL_PASSWORD: "not-the-sentinel-password" }), "producer");
    await expect(pingRedis(wrongSentinel, 2_000)).rejects.toThrow(/Redis at master "fixline-test" via Sentinel 127\.0\.0\.1:\d+ is unreachable/);
    const wrongMaster = client(sentinelEnv({ REDIS_URL: `redis://${user}:wrong-password@192.0.2.1:6379/0` }), "producer");
    await expect(pingRedis(wrongMaster, 2_000)).rejects.toThrow(/unreachable/);
  });

  it("follows a failover to the promoted replica", async () => {
    const redis = client(sentinelEnv(), "worker");
    await redis.set("fixline-sentinel:before", "1");
    expect(await serverPort(redis)).toBe(masterPort);
    const failover = await cli(sentinelPort, "--pass", sentinelPassword, "--no-auth-warning", "sentinel", "failover", masterName);
    expect(failover.stdout).toBe("OK");
    // The worker connection (maxRetriesPerRequest: null) waits through the switch; its commands land on the new master.
    await waitFor(async () => (await serverPort(redis)) === replicaPort && (await redis.set("fixline-sentinel:after", "1")) === "OK", { what: "writes to reach the promoted replica", timeoutMs: 30_000, intervalMs: 250 });
    expect(await redis.get("fixline-sentinel:before")).toBe("1");
  }, 40_000);
});
