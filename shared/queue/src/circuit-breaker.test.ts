import { describe, expect, it } from "vitest";
import { breakerDelayMs } from "./circuit-breaker";

describe("breakerDelayMs (issue 20)", () => {
  const policy = { baseMs: 1_000, maxMs: 8_000 };
  it("doubles per consecutive outage, never past maxMs, with half of it jittered", () => {
    expect([1, 2, 3, 4, 5, 10, 100].map((n) => breakerDelayMs(n, policy, 1))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000]);
    expect([1, 2, 3, 4, 5].map((n) => breakerDelayMs(n, policy, 0))).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    for (const random of [0, 0.25, 0.5, 0.99]) {
      const delay = breakerDelayMs(3, policy, random);
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });
  it("spreads workers that hit the same outage at the same moment", () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((random) => breakerDelayMs(4, policy, random)));
    expect(delays.size).toBe(5);
  });
});
