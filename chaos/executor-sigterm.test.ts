import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor, type FakeClaudeCall } from "@fixline/testing";
import { createChaosWorld, type ChaosWorld } from "./support/chaos-world";
import { ancestorAmong, hostPidOf } from "./support/find-processes";
import { shopScenario } from "./support/shop-fixtures";

const graceMs = 2_000;
// Two job slots on the worker that is told to stop, so "stops taking jobs" is observable: it has room for more.
const knobs = { QUEUE_LOCK_DURATION_MS: "3000", QUEUE_STALLED_INTERVAL_MS: "1500", EXECUTOR_CONCURRENCY: "2", SHUTDOWN_GRACE_MS: String(graceMs) };

function taskOf(call: FakeClaudeCall): string | undefined {
  return /tasks\/([0-9a-f-]{36})/.exec(call.cwd)?.[1];
}

describe("chaos: SIGTERM to an executor during a run", () => {
  let world: ChaosWorld;
  beforeAll(async () => {
    // Each Claude run thinks for 6 s: longer than the grace, so the running job must be handed over.
    world = await createChaosWorld({ scenario: shopScenario(6_000) });
  });
  afterAll(async () => {
    await world?.close();
  });

  it("stops taking jobs, releases the running one after the grace, and the other executor finishes it exactly once", async () => {
    const started = Date.now();
    const first = await world.approvedTask(await world.addRepo("sigterm-a"));
    const a = await world.start("executor", knobs);
    const firstCall = await waitFor(async () => (await world.fake.calls()).find((c) => taskOf(c) === first.taskId), { timeoutMs: 180_000, what: "Claude to start on the first task" });
    // The fake records its pid inside the sandbox's PID namespace: walk up from its host pid.
    expect(await ancestorAmong((await hostPidOf(firstCall.pid, world.fake.dir, firstCall.cwd))!, [a.pid])).toBe(a.pid);
    const b = await world.start("executor", knobs);

    const termAt = Date.now();
    // When A exits is taken as it happens, not after the waits below (they measure B, not A).
    const aExit = a.exited.then((code) => ({ code, at: Date.now() }));
    a.signal("SIGTERM");
    // Work that arrives while A drains goes to B only.
    const second = await world.approvedTask(await world.addRepo("sigterm-b"));
    const secondCall = await waitFor(async () => (await world.fake.calls()).find((c) => taskOf(c) === second.taskId), { timeoutMs: 180_000, what: "Claude to start on the second task" });
    expect(await ancestorAmong((await hostPidOf(secondCall.pid, world.fake.dir, secondCall.cwd))!, [a.pid, b.pid])).toBe(b.pid);

    const exit = await aExit;
    expect(exit.code).toBe(0);
    const exitMs = exit.at - termAt;
    // Finishing the first task itself would take A four more 6 s runs; exiting well before that means it
    // let go after the grace (the hand-over asserted below is the proof, this bound the sanity check).
    expect(exitMs).toBeLessThan(graceMs + 20_000);

    for (const task of [first, second]) {
      const final = await world.waitForState(task.taskId, ["completed", "failed", "cancelled"], 120_000);
      expect({ task: task.taskId, state: final.state, error: final.errorCode }).toEqual({ task: task.taskId, state: "completed", error: null });
      expect(world.pullsFor(task.repo)).toHaveLength(1);
      const log = await world.remoteLog(task.repo, task.branch);
      expect({ test: log.filter((s) => s.startsWith("test:")).length, fix: log.filter((s) => s.startsWith("fix:")).length }).toEqual({ test: 1, fix: 1 });
    }
    // The first task's runs after the SIGTERM all ran under B.
    const calls = await world.fake.calls();
    const handedOver = calls.filter((c) => taskOf(c) === first.taskId && Date.parse(c.at) > termAt);
    expect(handedOver.length).toBeGreaterThan(0);
    expect(await world.claudeProcesses()).toEqual([]);
    console.log(`[chaos] SIGTERM: A exited ${exitMs} ms after the signal (grace ${graceMs} ms); first task handed over (${handedOver.length} runs on B); ${Math.round((Date.now() - started) / 1000)} s`);
  });
});
