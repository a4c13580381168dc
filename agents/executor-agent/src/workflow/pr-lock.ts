import type { RunClaudeDeps } from "@fixline/claude";

// The connection type, taken from the runner so this package needs no direct ioredis dependency.
type Redis = RunClaudeDeps["redis"];

export interface PrLock {
  release(): Promise<void>;
}

// Delete and extend only while the value is still ours: an expired lock taken by another worker is theirs.
const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
// Take the lock when it is free or already ours (the same job, recovered after its worker died).
const acquireScript = `local held = redis.call("get", KEYS[1]) if (not held) or held == ARGV[1] then redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2]) return 1 else return 0 end`;
const renewScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/**
 * At most one executor per pull request, across processes, renewed every third of the TTL while held.
 * The owner is the BullMQ job id: when a worker is killed (kill -9) BullMQ hands the same job to another
 * worker after the stall interval, and that job must be able to take over its own lock at once instead
 * of waiting out the TTL (found by the chaos suite: the retries ran out first and the task was stranded).
 * BullMQ's own job lock guarantees one live holder per job id. Returns undefined when another job holds it.
 */
export async function acquirePrLock(redis: Redis, key: string, owner: string, ttlMs = 60_000): Promise<PrLock | undefined> {
  const token = owner;
  const acquired = await redis.eval(acquireScript, 1, key, token, String(ttlMs));
  if (acquired !== 1) return undefined;
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
