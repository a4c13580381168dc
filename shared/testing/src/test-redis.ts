import { randomBytes } from "node:crypto";
import { createRedis, deleteKeysMatching, type RedisClient } from "@fixline/queue";
import { infrastructureUrls } from "./infrastructure-urls";

export interface TestRedis {
  url: string;
  /** A BullMQ prefix and key namespace unique to this test. */
  prefix: string;
  /** For workers (maxRetriesPerRequest: null). */
  worker: RedisClient;
  /** For producers (fail fast). */
  producer: RedisClient;
  /** Deletes every key under the prefix and closes connections. */
  cleanup(): Promise<void>;
}

export async function createTestRedis(): Promise<TestRedis> {
  const { redisUrl } = infrastructureUrls();
  const prefix = `fixline-test-${randomBytes(5).toString("hex")}`;
  const worker = createRedis(redisUrl, "worker");
  const producer = createRedis(redisUrl, "producer");
  await producer.ping().catch(async () => {
    // enableOfflineQueue is off for producers: wait for the first connection.
    await new Promise((resolve) => producer.once("ready", resolve));
  });
  return {
    url: redisUrl,
    prefix,
    worker,
    producer,
    async cleanup() {
      await deleteKeysMatching(worker, `${prefix}*`);
      await deleteKeysMatching(worker, `task:*:output:${prefix}`);
      producer.disconnect();
      worker.disconnect();
    },
  };
}
