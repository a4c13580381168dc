import { Redis, type RedisOptions } from "ioredis";
import { FixlineError, type RedisConnectionConfig } from "@fixline/core";

/**
 * What ioredis needs to reach Redis, from a URL or the whole connection config. A plain URL is handed to
 * ioredis as is (`rediss://` = TLS, `redis://user:password@host:port/db`). With sentinels, ioredis asks them
 * for the master's address (and asks again after a failover); the URL still gives the master's username,
 * password and database, and `rediss://` turns TLS on towards the master and the sentinels alike.
 */
export function redisConnectionOptions(target: string | RedisConnectionConfig): { url?: string; options: RedisOptions } {
  const connection = typeof target === "string" ? { url: target, sentinels: [], sentinelName: undefined, sentinelPassword: undefined } : target;
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
export function createRedis(target: string | RedisConnectionConfig, role: "worker" | "producer", extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, ...extra };
  const connection = redisConnectionOptions(target);
  const all: RedisOptions = { ...connection.options, lazyConnect: false, retryStrategy: (times) => Math.min(times * 200, 2_000), ...options };
  const redis = connection.url === undefined ? new Redis(all) : new Redis(connection.url, all);
  // Without a listener ioredis prints every reconnect error; callers observe status instead.
  redis.on("error", () => {});
  return redis;
}

/** Where a connection points, for error messages: host:port, or the master's name and its sentinels. */
export function describeRedis(redis: Redis): string {
  const { sentinels, name, host, port } = redis.options;
  if (sentinels && sentinels.length > 0) return `master "${name}" via Sentinel ${sentinels.map((s) => `${s.host ?? "localhost"}:${s.port ?? 26379}`).join(",")}`;
  return `${host}:${port}`;
}

/** Checks Redis answers PING within the timeout; throws REDIS_UNAVAILABLE with the URL's host otherwise. */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<void> {
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  } catch (error) {
    throw new FixlineError("REDIS_UNAVAILABLE", `Redis at ${describeRedis(redis)} is unreachable: ${(error as Error).message}`, { cause: error });
  }
}
