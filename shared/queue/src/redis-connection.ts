import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import { FixlineError, type RedisConnectionConfig } from "@fixline/core";

/**
 * A connection to one Redis (plain or found through Sentinel) or to a Redis Cluster. ioredis gives both the
 * same commands; the cluster client routes each command to the node owning its key's slot.
 */
export type RedisClient = Redis | Cluster;

/**
 * What ioredis needs to reach Redis, from a URL or the whole connection config. A plain URL is handed to
 * ioredis as is (`rediss://` = TLS, `redis://user:password@host:port/db`). With sentinels, ioredis asks them
 * for the master's address (and asks again after a failover); the URL still gives the master's username,
 * password and database, and `rediss://` turns TLS on towards the master and the sentinels alike.
 */
export function redisConnectionOptions(target: string | RedisConnectionConfig): { url?: string; options: RedisOptions } {
  const connection = typeof target === "string" ? { url: target, sentinels: [], sentinelName: undefined, sentinelPassword: undefined, clusterNodes: [] } : target;
  if (connection.sentinels.length === 0) return { url: connection.url, options: {} };
  const url = new URL(connection.url);
  const tls = url.protocol === "rediss:";
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    options: {
      sentinels: connection.sentinels.map(({ host, port }) => ({ host, port })),
      name: connection.sentinelName ?? "mymaster",
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(connection.sentinelPassword ? { sentinelPassword: connection.sentinelPassword } : {}),
      ...(Number.isInteger(db) ? { db } : {}),
      ...(tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
    },
  };
}

/**
 * Workers need `maxRetriesPerRequest: null` (BullMQ's blocking commands must wait through reconnects).
 * Producers get the opposite: fail fast while Redis is down, so the outbox relay notices and retries
 * later instead of hanging a request.
 */
export function createRedis(target: string, role: "worker" | "producer", extra?: RedisOptions): Redis;
export function createRedis(target: string | RedisConnectionConfig, role: "worker" | "producer", extra?: RedisOptions): RedisClient;
export function createRedis(target: string | RedisConnectionConfig, role: "worker" | "producer", extra: RedisOptions = {}): RedisClient {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, ...extra };
  const retryStrategy = (times: number) => Math.min(times * 200, 2_000);
  if (typeof target !== "string" && target.clusterNodes.length > 0) {
    const cluster = new Cluster(target.clusterNodes, clusterOptions(target.url, { retryStrategy, ...options }));
    cluster.on("error", () => {});
    clusterNodesOf.set(cluster, target.clusterNodes.map(({ host, port }) => `${host}:${port}`).join(","));
    return cluster;
  }
  const connection = redisConnectionOptions(target);
  const all: RedisOptions = { ...connection.options, lazyConnect: false, retryStrategy, ...options };
  const redis = connection.url === undefined ? new Redis(all) : new Redis(connection.url, all);
  // Without a listener ioredis prints every reconnect error; callers observe status instead.
  redis.on("error", () => {});
  return redis;
}

/** The nodes a cluster client was started with, for describeRedis (ioredis keeps them private). */
const clusterNodesOf = new WeakMap<Cluster, string>();

/**
 * The cluster client's options: REDIS_URL's username, password and TLS go to every node's connection (the
 * URL's host is not used, and a database other than 0 does not exist on Cluster). The offline queue stays on
 * for producers too: ioredis re-routes every MOVED/ASK redirection and every command sent while it learns the
 * slots through that queue, so with it off a producer fails commands ("Cluster isn't ready") for good from the
 * first redirection on (seen in the end-to-end test). A producer on Cluster therefore waits for the cluster
 * instead of failing fast; its callers bound the wait themselves (the outbox relay's enqueue deadline,
 * pingRedis's timeout).
 */
function clusterOptions(urlText: string, options: RedisOptions): ClusterOptions {
  const url = new URL(urlText);
  const { lazyConnect, enableOfflineQueue: _offlineQueue, retryStrategy, ...nodeOptions } = options;
  return {
    lazyConnect: lazyConnect ?? false,
    ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) ?? null } : {}),
    redisOptions: {
      ...nodeOptions,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    },
  };
}

/** Where a connection points, for error messages: host:port, the master's name and its sentinels, or the cluster's nodes. */
export function describeRedis(redis: RedisClient): string {
  if (redis instanceof Cluster) return `Cluster ${clusterNodesOf.get(redis) ?? "(nodes unknown)"}`;
  const { sentinels, name, host, port } = redis.options;
  if (sentinels && sentinels.length > 0) return `master "${name}" via Sentinel ${sentinels.map((s) => `${s.host ?? "localhost"}:${s.port ?? 26379}`).join(",")}`;
  return `${host}:${port}`;
}

/** The servers holding the data: the connection itself, or every master of a cluster (once connected). */
export function dataNodes(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes("master") : [redis];
}

/** Checks Redis answers PING within the timeout; throws REDIS_UNAVAILABLE with the URL's host otherwise. */
export async function pingRedis(redis: RedisClient, timeoutMs = 1_000): Promise<void> {
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  } catch (error) {
    throw new FixlineError("REDIS_UNAVAILABLE", `Redis at ${describeRedis(redis)} is unreachable: ${(error as Error).message}`, { cause: error });
  }
}
