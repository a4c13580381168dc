/**
 * Slows down guessing of FIXLINE_API_TOKEN: after `maxFailures` wrong tokens from one address within
 * `windowMs`, that address gets 429 with Retry-After until the window passes, whatever it sends: if a
 * right token still got through, guessing would simply go on. Only wrong tokens count (a missing one is a
 * client that has not signed in yet). In memory and per process: an operator behind the same address as
 * an attacker waits out the window, the accepted trade-off.
 */
export interface TokenGuessGuard {
  /** Seconds until this address may try again, or 0. */
  blockedFor(address: string): number;
  recordFailure(address: string): void;
}

export function createTokenGuessGuard(options: { maxFailures?: number; windowMs?: number; nowMs?: () => number } = {}): TokenGuessGuard {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const now = options.nowMs ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (address: string): number[] => {
    const cutoff = now() - windowMs;
    const kept = (failures.get(address) ?? []).filter((t) => t > cutoff);
    if (kept.length > 0) failures.set(address, kept);
    else failures.delete(address);
    return kept;
  };
  return {
    blockedFor(address) {
      const times = recent(address);
      if (times.length < maxFailures) return 0;
      return Math.max(1, Math.ceil((times[times.length - maxFailures]! + windowMs - now()) / 1000));
    },
    recordFailure(address) {
      // Bounded memory under a flood from many addresses: forget the oldest address first.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
      failures.set(address, [...recent(address), now()]);
    },
  };
}
