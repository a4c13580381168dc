import type { RedisClient } from "./redis-connection";
import { outageProviders, type OutageProvider } from "@fixline/core";
import { metrics } from "@fixline/observability";

/** How long a breaker pauses: doubling from baseMs per consecutive outage, capped at maxMs, with jitter. */
export interface BreakerPolicy {
  baseMs: number;
  maxMs: number;
}

/** A provider's breaker as every process sees it (kept in Redis, so a pause in one worker pauses all). */
export interface BreakerState {
  provider: OutageProvider;
  /** `open`: the queues are paused until `until`; `probing`: the pause is over and the next job tries again. */
  status: "open" | "probing";
  openedAt: number;
  until: number;
  /** Consecutive outages seen since it last closed. */
  failures: number;
  code: string;
  message: string;
}

const breakerPolicy: BreakerPolicy = { baseMs: 10_000, maxMs: 120_000 };
/** Set once at boot from config (BREAKER_BASE_MS, BREAKER_MAX_MS). */
export function setBreakerPolicy(policy: BreakerPolicy): void {
  Object.assign(breakerPolicy, policy);
}

/**
 * The pause after the `failures`-th consecutive outage: exponential, capped, with "equal jitter" (half fixed,
 * half random) so many workers hitting the same 529 do not all come back in the same millisecond. Pure.
 */
export function breakerDelayMs(failures: number, policy: BreakerPolicy, random: number): number {
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 20)));
  return Math.max(1, Math.round(capped / 2 + (capped / 2) * random));
}

export interface CircuitBreakers {
  /** Records an outage: opens (or re-opens, longer) the provider's breaker; returns how long to pause. */
  open(provider: OutageProvider, error: { code: string; message: string }): Promise<{ delayMs: number; state: BreakerState }>;
  /** A job that needed the provider succeeded: the outage is over. */
  close(provider: OutageProvider): Promise<void>;
  /** Every breaker that is not closed, for /api/status, doctor and the ai_agent_circuit_open gauge. */
  states(): Promise<BreakerState[]>;
}

const key = (prefix: string, provider: OutageProvider) => `${prefix}:breaker:${provider}`;

export function createCircuitBreakers(redis: RedisClient, prefix: string, random: () => number = Math.random): CircuitBreakers {
  const read = async (provider: OutageProvider): Promise<BreakerState | undefined> => {
    const raw = await redis.get(key(prefix, provider));
    if (!raw) return undefined;
    try {
      const stored = JSON.parse(raw) as Omit<BreakerState, "status">;
      return { ...stored, status: Date.now() < stored.until ? "open" : "probing" };
    } catch {
      return undefined;
    }
  };
  return {
    async open(provider, error) {
      const previous = await read(provider);
      const failures = (previous?.failures ?? 0) + 1;
      const delayMs = breakerDelayMs(failures, breakerPolicy, random());
      const now = Date.now();
      const state: BreakerState = { provider, status: "open", openedAt: previous?.openedAt ?? now, until: now + delayMs, failures, code: error.code, message: error.message.slice(0, 500) };
      const { status: _status, ...stored } = state;
      // Kept past the pause so the next outage backs off further; a breaker nobody closes forgets itself.
      await redis.set(key(prefix, provider), JSON.stringify(stored), "PX", delayMs + 2 * breakerPolicy.maxMs);
      metrics.circuitOpen.set({ provider }, 1);
      return { delayMs, state };
    },
    async close(provider) {
      const removed = await redis.del(key(prefix, provider));
      if (removed > 0) metrics.circuitOpen.set({ provider }, 0);
    },
    async states() {
      const states: BreakerState[] = [];
      for (const provider of outageProviders) {
        const state = await read(provider);
        metrics.circuitOpen.set({ provider }, state ? 1 : 0);
        if (state) states.push(state);
      }
      return states;
    },
  };
}
