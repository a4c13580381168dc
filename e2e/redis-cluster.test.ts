import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "ioredis";
import { startTestRedisCluster, type TestRedisCluster } from "@fixline/testing";
import { runDemo } from "../services/cli/src/demo/index";

/**
 * Issue 20: Fixline on a real three-master Redis Cluster (REDIS_CLUSTER_NODES, a hash-tagged prefix). The
 * whole demo flow (signed Sentry alert -> draft PR -> @agent approve -> ready PR) with every role's Redis
 * connection a cluster client: BullMQ's queues in the prefix's slot, the task's live-output stream, locks and
 * cancellations wherever their keys hash.
 */
let cluster: TestRedisCluster;
beforeAll(async () => {
  cluster = await startTestRedisCluster(3);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describe("end to end on Redis Cluster", () => {
  it("completes the demo task with every connection a cluster client", async () => {
    let clientKind = "";
    let queueKeysOnOwner = 0;
    let queueKeysElsewhere = -1;
    let outputEntries = 0;
    let prefix = "";
    let outputKey = "";
    const result = await runDemo({
      out: { write: () => {}, isTTY: false },
      databaseUrl: process.env.DATABASE_URL,
      // Only the credentials and TLS come from REDIS_URL on Cluster; its host is a node that does not exist.
      redisUrl: "redis://127.0.0.1:1",
      extraEnv: { REDIS_CLUSTER_NODES: cluster.nodesVariable.split(",")[0]! },
      pathEnv: process.env.PATH ?? "/usr/bin:/bin",
      homeDir: process.env.HOME ?? "/tmp",
      forceReplay: true,
      stepTimeoutMs: 45_000,
      beforeStop: async ({ redis, environment, taskId }) => {
        clientKind = redis instanceof Cluster ? "cluster" : "single";
        const owner = await cluster.ownerOf(`${environment.prefix}:execution:id`);
        const keysOn = async (port: number) => (await cluster.cli(port, "keys", `${environment.prefix}:*`)).split("\n").filter(Boolean).length;
        queueKeysOnOwner = await keysOn(owner);
        queueKeysElsewhere = 0;
        for (const node of cluster.nodes) if (node.port !== owner) queueKeysElsewhere += await keysOn(node.port);
        prefix = environment.prefix;
        outputKey = `task:${taskId}:output`;
        outputEntries = Number(await cluster.cli(await cluster.ownerOf(outputKey), "xlen", outputKey));
      },
    });
    expect(result.agent).toBe("replay");
    expect(result.commits).toHaveLength(3);
    expect(result.commits[2]).toMatch(/^fix: /);
    expect(clientKind).toBe("cluster");
    expect(queueKeysOnOwner).toBeGreaterThan(0);
    expect(queueKeysElsewhere).toBe(0);
    // The agent's live output reached the stream on whichever node owns the task's key.
    expect(outputEntries).toBeGreaterThan(0);
    // The demo removed what it made on every master: its queues and the task's stream (another slot).
    for (const node of cluster.nodes) expect(await cluster.cli(node.port, "keys", `${prefix}:*`)).toBe("");
    expect(await cluster.cli(await cluster.ownerOf(outputKey), "exists", outputKey)).toBe("0");
  });
});
