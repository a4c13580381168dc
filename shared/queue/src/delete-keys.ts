import { dataNodes, type RedisClient } from "./redis-connection";

/**
 * Deletes every key matching the glob `pattern`, plus `extra` keys, and returns how many existed. SCAN walks
 * one server's keys, so on Redis Cluster each master is walked; and each key gets its own DEL there, since
 * Cluster refuses a DEL whose keys live in different slots.
 */
export async function deleteKeysMatching(redis: RedisClient, pattern: string, extra: readonly string[] = []): Promise<number> {
  const keys = [...extra];
  for (const node of dataNodes(redis)) {
    let cursor = "0";
    do {
      const [next, batch] = await node.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== "0");
  }
  if (keys.length === 0) return 0;
  if (!redis.isCluster) return redis.del(...keys);
  const removed = await Promise.all(keys.map((key) => redis.del(key)));
  return removed.reduce((sum, n) => sum + n, 0);
}
