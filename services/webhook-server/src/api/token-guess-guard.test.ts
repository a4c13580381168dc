import { describe, expect, it } from "vitest";
import { createTokenGuessGuard } from "./token-guess-guard";

describe("createTokenGuessGuard", () => {
  it("blocks an address after too many wrong tokens, until the window passes", () => {
    let now = 1_000_000;
    const guard = createTokenGuessGuard({ maxFailures: 3, windowMs: 60_000, nowMs: () => now });
    for (let i = 0; i < 2; i++) guard.recordFailure("10.0.0.1");
    expect(guard.blockedFor("10.0.0.1")).toBe(0);
    guard.recordFailure("10.0.0.1");
    expect(guard.blockedFor("10.0.0.1")).toBe(60);
    expect(guard.blockedFor("10.0.0.2")).toBe(0);
    now += 30_000;
    expect(guard.blockedFor("10.0.0.1")).toBe(30);
    now += 30_001;
    expect(guard.blockedFor("10.0.0.1")).toBe(0);
  });
});
