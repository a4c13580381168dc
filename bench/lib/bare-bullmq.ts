import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// bullmq is a dependency of @fixline/queue, not of the workspace root: resolve it from there, so the
// baseline uses the very same BullMQ build Fixline does.
const requireFromQueue = createRequire(fileURLToPath(import.meta.resolve("@fixline/queue")));
// The few members used here (bullmq's own types are not resolvable from the root package).
interface BareConnection {
  host: string;
  port: number;
  db: number;
  maxRetriesPerRequest: null;
}
interface BareQueue {
  add(name: string, data: unknown, options?: { removeOnComplete?: boolean }): Promise<unknown>;
  obliterate(options: { force: boolean }): Promise<void>;
  close(): Promise<void>;
}
interface BareWorker {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}
const { Queue, Worker } = requireFromQueue("bullmq") as {
  Queue: new (name: string, options: { connection: BareConnection; prefix: string }) => BareQueue;
  Worker: new (name: string, processor: () => Promise<void>, options: { connection: BareConnection; prefix: string; concurrency: number; removeOnComplete: { count: number } }) => BareWorker;
};

/**
 * The floor for any queue hand-off: a bare BullMQ `add` to the worker's processor being called, one job
 * at a time, on the same Redis, with a throwaway prefix. Returns milliseconds per round trip.
 */
export async function bareBullmqRoundTrips(redisUrl: string, samples: number, warmup = 20): Promise<number[]> {
  const prefix = `bench-bare-${randomUUID().slice(0, 8)}`;
  const url = new URL(redisUrl);
  const connection = { host: url.hostname, port: Number(url.port || 6379), db: Number(url.pathname.slice(1) || 0), maxRetriesPerRequest: null };
  const queue = new Queue("roundtrip", { connection, prefix });
  let onReceive: (() => void) | undefined;
  const worker = new Worker(
    "roundtrip",
    async () => {
      onReceive?.();
    },
    { connection, prefix, concurrency: 1, removeOnComplete: { count: 0 } },
  );
  await worker.waitUntilReady();
  const latencies: number[] = [];
  try {
    for (let i = 0; i < warmup + samples; i++) {
      const received = new Promise<void>((resolve) => (onReceive = resolve));
      const started = performance.now();
      await queue.add("rt", { i }, { removeOnComplete: true });
      await received;
      if (i >= warmup) latencies.push(performance.now() - started);
    }
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
  return latencies;
}
