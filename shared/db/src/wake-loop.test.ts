import { describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { outboxSignal } from "./outbox";
import { startWakeLoop } from "./wake-loop";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const neverPolls = 3_600_000;

describe("startWakeLoop", () => {
  it("runs a pass at start, never two at once, and one more after a signal that came during a pass", async () => {
    let active = 0;
    let maxActive = 0;
    const gates: Array<ReturnType<typeof deferred>> = [];
    const pass = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      active--;
      return 1;
    };
    const loop = startWakeLoop({ pass, logger: silentLogger(), failureMessage: "pass failed", pollMs: neverPolls });
    expect(gates).toHaveLength(1);
    outboxSignal.emit("jobs");
    outboxSignal.emit("jobs");
    expect(gates).toHaveLength(1);
    gates[0]!.resolve();
    await new Promise((r) => setImmediate(r));
    // Two signals during the first pass fold into one more pass.
    expect(gates).toHaveLength(2);
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(gates).toHaveLength(2);
    expect(maxActive).toBe(1);
    await loop.stop();
  });

  it("runNow waits for the pass in flight, then runs its own and reports what it handled", async () => {
    const gate = deferred();
    let calls = 0;
    const loop = startWakeLoop({
      pass: async () => {
        calls++;
        if (calls === 1) await gate.promise;
        return calls * 10;
      },
      logger: silentLogger(),
      failureMessage: "pass failed",
      pollMs: neverPolls,
    });
    const now = loop.runNow();
    expect(calls).toBe(1);
    gate.resolve();
    expect(await now).toBe(20);
    await loop.stop();
  });

  it("keeps going after a failed pass, and does nothing after stop", async () => {
    let calls = 0;
    const loop = startWakeLoop({
      pass: async () => {
        calls++;
        if (calls === 1) throw new Error("Postgres went away");
        return 0;
      },
      logger: silentLogger(),
      failureMessage: "pass failed",
      pollMs: neverPolls,
    });
    await new Promise((r) => setImmediate(r));
    outboxSignal.emit("jobs");
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    await loop.stop();
    outboxSignal.emit("jobs");
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
  });
});
