import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { freePort } from "./free-port";
import { waitFor } from "./wait-for";

export interface TestRedisCluster {
  /** The masters, each owning a third of the 16,384 slots (REDIS_CLUSTER_NODES takes any of them). */
  nodes: Array<{ host: string; port: number }>;
  /** `REDIS_CLUSTER_NODES` for these nodes. */
  nodesVariable: string;
  /** redis-cli against one node (no cluster redirection: what that node alone answers). */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The node (port) that owns `key`'s slot. */
  ownerOf(key: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` redis-server processes on loopback (no replicas), built with
 * `redis-cli --cluster create`: every node owns only its share of the slots, so a client that does not
 * follow MOVED redirections, or a script whose keys hash to several slots, fails here as it would on a
 * managed cluster.
 */
export async function startTestRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "fixline-redis-cluster-"));
  const ports: number[] = [];
  const servers: ResultPromise[] = [];
  const cli = async (port: number, ...args: string[]) => (await execa("redis-cli", ["-p", String(port), ...args], { reject: false })).stdout.trim();
  const stop = async () => {
    for (const server of servers) server.kill("SIGKILL");
    await Promise.allSettled(servers);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      // The cluster bus port is given: Redis would take port + 10,000, past 65,535 for an ephemeral port above 55,535.
      const busPort = await freePort();
      ports.push(port);
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      servers.push(
        execa(
          "redis-server",
          ["--port", String(port), "--cluster-port", String(busPort), "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-config-file", join(nodeDir, "nodes.conf"), "--save", "", "--appendonly", "no", "--dir", nodeDir, "--maxmemory-policy", "noeviction"],
          { reject: false },
        ),
      );
    }
    for (const port of ports) await waitFor(async () => (await cli(port, "ping")) === "PONG", { what: `redis-server :${port} in cluster mode` });
    const created = await execa("redis-cli", ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), "--cluster-replicas", "0", "--cluster-yes"], { reject: false });
    if (created.exitCode !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}\n${created.stderr}`);
    for (const port of ports) {
      await waitFor(async () => (await cli(port, "cluster", "info")).includes("cluster_state:ok"), { what: `node :${port} to see the cluster ok`, timeoutMs: 20_000 });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = ports.map((port) => ({ host: "127.0.0.1", port }));
  return {
    nodes,
    nodesVariable: nodes.map(({ host, port }) => `${host}:${port}`).join(","),
    cli,
    async ownerOf(key) {
      const slot = Number(await cli(ports[0]!, "cluster", "keyslot", key));
      const shards = (await cli(ports[0]!, "cluster", "nodes")).split("\n");
      for (const line of shards) {
        const [, address = "", , , , , , , ...ranges] = line.split(" ");
        const owns = ranges.some((range) => {
          const [from, to = from] = range.split("-").map(Number);
          return from !== undefined && to !== undefined && slot >= from && slot <= to;
        });
        if (owns) return Number(/:(\d+)@/.exec(address)?.[1]);
      }
      throw new Error(`no node owns slot ${slot} of ${key}`);
    },
    stop,
  };
}
