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
  // In slices: a benchmark leaves hundreds of thousands of keys, and one DEL spread over all of them overflowed
  // the call stack.
  let removed = 0;
  for (let start = 0; start < keys.length; start += deleteSlice) {
    const slice = keys.slice(start, start + deleteSlice);
    if (!redis.isCluster) removed += await redis.del(...slice);
    else removed += (await Promise.all(slice.map((key) => redis.del(key)))).reduce((sum, n) => sum + n, 0);
  }
  return removed;
}

const deleteSlice = 1_000;
