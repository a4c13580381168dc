import { createRedis, deleteKeysMatching } from "@fixline/queue";

/** Removes a test's BullMQ keys (`<prefix>:*`) and the given extra keys (tasks' live-output streams). */
export async function deleteRedisKeys(redisUrl: string, prefix: string, extra: string[] = []): Promise<void> {
  const redis = createRedis(redisUrl, "producer", { lazyConnect: true, enableOfflineQueue: true });
  try {
    await redis.connect();
    await deleteKeysMatching(redis, `${prefix}:*`, extra);
  } finally {
    redis.disconnect();
  }
}
