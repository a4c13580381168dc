import { randomUUID } from "node:crypto";
import type { RunClaudeDeps } from "@fixline/claude";

// The connection type, taken from the runner so this package needs no direct ioredis dependency.
type Redis = RunClaudeDeps["redis"];

export interface PrLock {
  release(): Promise<void>;
}

// Delete and extend only while the value is still ours: an expired lock taken by another worker is theirs.
const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const renewScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/**
 * At most one executor per pull request, across processes: SET NX PX with a token, renewed every third of
 * the TTL while held. A worker that dies stops renewing and the lock lapses after ttlMs.
 * Returns undefined when someone else holds it.
 */
export async function acquirePrLock(redis: Redis, key: string, ttlMs = 60_000): Promise<PrLock | undefined> {
  const token = randomUUID();
  const acquired = await redis.set(key, token, "PX", ttlMs, "NX");
  if (acquired !== "OK") return undefined;
  const timer = setInterval(() => {
    redis.eval(renewScript, 1, key, token, String(ttlMs)).catch(() => {
      // A missed renewal is retried on the next tick; the TTL leaves room for two misses.
    });
  }, Math.max(1_000, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(releaseScript, 1, key, token);
    },
  };
}

export function prLockKey(prefix: string, repo: string, prNumber: number): string {
  return `${prefix}:lock:pr:${repo}#${prNumber}`;
}

/** A dry run without a pull request locks its task instead (one executor per task still holds). */
export function taskLockKey(prefix: string, taskId: string): string {
  return `${prefix}:lock:task:${taskId}`;
}
