import { Redis } from "ioredis";

/** Removes a test's BullMQ keys (`<prefix>:*`) and the given extra keys (tasks' live-output streams). */
export async function deleteRedisKeys(redisUrl: string, prefix: string, extra: string[] = []): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys = [...extra];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
