import { describe, expect, it } from "vitest";
import { decideOnSignal } from "./shutdown";

describe("decideOnSignal", () => {
  it("drains on the first signal", () => {
    expect(decideOnSignal([], 1_000)).toBe("drain");
  });

  it("ignores a second signal that arrives with the first (one Ctrl-C relayed by make and pnpm)", () => {
    expect(decideOnSignal([1_000], 1_005)).toBe("ignore");
    expect(decideOnSignal([1_000], 3_999)).toBe("ignore");
  });

  it("exits on a second signal after the window, or on a third at any time", () => {
    expect(decideOnSignal([1_000], 4_000)).toBe("exit");
    expect(decideOnSignal([1_000, 1_005], 1_010)).toBe("exit");
  });
});
