import type { RedisClient } from "@fixline/queue";

/**
 * Slows down guessing of credentials (the operator token, personal API tokens, session cookies). It counts
 * wrong credentials only, and only refuses further *wrong* ones: a valid credential is never blocked, so a
 * user behind the same proxy address as a guesser keeps working (issue 16). The counters live in Redis,
 * so every replica sees the same count.
 */
export interface TokenGuessGuard {
  /** Seconds until this address may present a wrong credential again without 429, or 0. */
  blockedFor(address: string): Promise<number>;
  recordFailure(address: string): Promise<void>;
}

export interface TokenGuessGuardOptions {
  redis: RedisClient;
  /** Key namespace (FIXLINE_QUEUE_PREFIX), so installations sharing a Redis do not share counters. */
  prefix: string;
  maxFailures?: number;
  windowMs?: number;
}

export function createTokenGuessGuard(options: TokenGuessGuardOptions): TokenGuessGuard {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const key = (address: string) => `${options.prefix}:auth-failures:${address}`;
  return {
    async blockedFor(address) {
      // Redis down: no counting this time; the credential check itself does not depend on Redis.
      const read = await Promise.all([options.redis.get(key(address)), options.redis.pttl(key(address))]).catch(() => undefined);
      if (!read) return 0;
      const [count, ttl] = read;
      if (Number(count ?? 0) < maxFailures) return 0;
      return Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000));
    },
    async recordFailure(address) {
      // A fixed window from the first failure: the key expires, and the count with it.
      await options.redis
        .multi()
        .set(key(address), "0", "PX", windowMs, "NX")
        .incr(key(address))
        .exec()
        .catch(() => undefined);
    },
  };
}
