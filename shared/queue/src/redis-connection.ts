import { Redis, type RedisOptions } from "ioredis";
import { FixlineError } from "@fixline/core";

/**
 * Workers need `maxRetriesPerRequest: null` (BullMQ's blocking commands must wait through reconnects).
 * Producers get the opposite: fail fast while Redis is down, so the outbox relay notices and retries
 * later instead of hanging a request.
 */
export function createRedis(url: string, role: "worker" | "producer", extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, ...extra };
  const redis = new Redis(url, { lazyConnect: false, retryStrategy: (times) => Math.min(times * 200, 2_000), ...options });
  // Without a listener ioredis prints every reconnect error; callers observe status instead.
  redis.on("error", () => {});
  return redis;
}

/** Checks Redis answers PING within the timeout; throws REDIS_UNAVAILABLE with the URL's host otherwise. */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<void> {
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  } catch (error) {
    throw new FixlineError("REDIS_UNAVAILABLE", `Redis at ${redis.options.host}:${redis.options.port} is unreachable: ${(error as Error).message}`, { cause: error });
  }
}
