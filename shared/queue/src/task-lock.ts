import type { RedisClient } from "./redis-connection";

export interface TaskLock {
  /** Stops the renewal and deletes the key if it is still ours. */
  release(): Promise<void>;
}

export interface AcquireLockOptions {
  /** How long the key lives without a renewal: what a dead holder costs the next one. Default 60 s. */
  ttlMs?: number;
  /** How often the holder extends it. Default a third of the TTL (at least 1 s), so two missed renewals still hold. */
  renewEveryMs?: number;
}

// Delete and extend only while the value is still ours: an expired lock taken by another worker is theirs.
const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
// Take the lock when it is free or already ours (the same job, recovered after its worker died).
const acquireScript = `local held = redis.call("get", KEYS[1]) if (not held) or held == ARGV[1] then redis.call("set", KEYS[1], ARGV[1], "PX", ARGV[2]) return 1 else return 0 end`;
const renewScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/**
 * The one Redis lock Fixline's agents use (issue 18: the planner's NX lock without renewal and the executor's
 * PR lock were two): one holder per key across processes, renewed while held. The owner is the BullMQ job id:
 * when a worker is killed (kill -9) BullMQ hands the same job to another worker after the stall interval, and
 * that job must take over its own lock at once instead of waiting out the TTL (found by the chaos suite: the
 * retries ran out first and the task was stranded). BullMQ's own job lock guarantees one live holder per job
 * id. Returns undefined when another owner holds the key.
 */
export async function acquireLock(redis: RedisClient, key: string, owner: string, options: AcquireLockOptions = {}): Promise<TaskLock | undefined> {
  const ttlMs = options.ttlMs ?? 60_000;
  const acquired = await redis.eval(acquireScript, 1, key, owner, String(ttlMs));
  if (acquired !== 1) return undefined;
  const timer = setInterval(
    () => {
      redis.eval(renewScript, 1, key, owner, String(ttlMs)).catch(() => {
        // A missed renewal is retried on the next tick; the TTL leaves room for two misses.
      });
    },
    options.renewEveryMs ?? Math.max(1_000, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(releaseScript, 1, key, owner);
    },
  };
}
