import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor, type FakeClaudeCall } from "@fixline/testing";
import { createChaosWorld, type ChaosWorld, type SeededTask } from "./support/chaos-world";
import type { FixlineProcess } from "./support/fixline-process";
import { hostPidOf } from "./support/find-processes";
import { shopScenario } from "./support/shop-fixtures";

/**
 * Issue 9: kill -9 an executor while Claude runs, 20 times. BullMQ fails a job outright once it stalled more
 * than maxStalledCount (2, in @fixline/queue's createWorker), so the 20 kills are spread over tasks, each
 * killed at most twice: every kill is one the system promises to survive.
 */
const totalKills = Number(process.env.CHAOS_KILLS ?? 20);
const killsPerTask = 2;
const taskCount = Math.ceil(totalKills / killsPerTask);
// Short lock and stall check so each recovery takes seconds, not the production minute.
const knobs = { QUEUE_LOCK_DURATION_MS: "3000", QUEUE_STALLED_INTERVAL_MS: "1500", EXECUTOR_CONCURRENCY: "1", SHUTDOWN_GRACE_MS: "2000" };

function taskOf(call: FakeClaudeCall): string {
  const match = /tasks\/([0-9a-f-]{36})/.exec(call.cwd);
  if (!match) throw new Error(`fake Claude ran outside a task worktree: ${call.cwd}`);
  return match[1]!;
}

describe("chaos: kill -9 executors while Claude runs", () => {
  let world: ChaosWorld;
  beforeAll(async () => {
    world = await createChaosWorld({ scenario: shopScenario(4_000) });
  });
  afterAll(async () => {
    await world?.close();
  });

  it(`recovers every job after ${totalKills} kills: each task completes once, one PR, one test and one fix commit, no Claude left`, async () => {
    const started = Date.now();
    const tasks: SeededTask[] = [];
    for (let i = 0; i < taskCount; i++) tasks.push(await world.approvedTask(await world.addRepo(`kill-${i}`)));
    const byId = new Map(tasks.map((t) => [t.taskId, t]));

    let executor: FixlineProcess = await world.start("executor", knobs);
    const kills = new Map<string, number>();
    const recoveriesMs: number[] = [];
    const killedAt = new Map<string, number>();
    let seen = 0;
    let done = 0;
    let missed = 0;
    while (done < totalKills) {
      const call = await waitFor(async () => (await world.fake.calls())[seen], { timeoutMs: 120_000, intervalMs: 100, what: `Claude run #${seen + 1} after ${done} kill(s); none coming means a killed job was not recovered (see the executor logs)` });
      seen++;
      const taskId = taskOf(call);
      expect(byId.has(taskId)).toBe(true);
      const since = killedAt.get(taskId);
      if (since !== undefined) {
        recoveriesMs.push(Date.now() - since);
        killedAt.delete(taskId);
      }
      if ((kills.get(taskId) ?? 0) >= killsPerTask) continue;
      // Claude is running (the fake thinks for 4 s before it writes anything) when the worker dies.
      // The fake records its pid inside the sandbox's PID namespace; the host knows it under another.
      const hostPid = await hostPidOf(call.pid, world.fake.dir, call.cwd);
      // On a loaded machine the run can finish before we find it; then there is nothing to kill mid-run,
      // and killing the worker between runs would test something else. Wait for the next run instead.
      if (hostPid === undefined || !(await world.claudeProcesses()).some((p) => p.pid === hostPid)) {
        missed++;
        continue;
      }
      executor.signal("SIGKILL");
      await executor.exited;
      killedAt.set(taskId, Date.now());
      kills.set(taskId, (kills.get(taskId) ?? 0) + 1);
      done++;
      // The orphan watchdog takes Claude's process group down with its dead worker.
      await waitFor(async () => (await world.claudeProcesses()).length === 0, { timeoutMs: 30_000, what: "Claude to die with its executor" });
      executor = await world.start("executor", knobs);
    }

    for (const task of tasks) {
      const final = await world.waitForState(task.taskId, ["completed", "failed", "cancelled"], 180_000);
      expect({ task: task.taskId, state: final.state, error: final.errorCode }).toEqual({ task: task.taskId, state: "completed", error: null });
    }
    for (const task of tasks) {
      const pulls = world.pullsFor(task.repo);
      expect(pulls).toHaveLength(1);
      expect(pulls[0]!.draft).toBe(false);
      const log = await world.remoteLog(task.repo, task.branch);
      const count = (prefix: string) => log.filter((s) => s.startsWith(prefix)).length;
      expect({ repo: task.repo, plan: count("plan:"), test: count("test:"), fix: count("fix:") }).toEqual({ repo: task.repo, plan: 1, test: 1, fix: 1 });
      // Nothing but the plan, the proven red test, the fix and (only if the design made one) checkpoints.
      expect(log.filter((s) => !/^(plan|test|fix|wip):/.test(s) && s !== "Initial commit")).toEqual([]);
    }
    expect(done).toBe(totalKills);
    expect(await world.claudeProcesses()).toEqual([]);
    await waitFor(async () => (await world.pendingOutbox()) === 0, { timeoutMs: 20_000, what: "the outbox to drain" });
    console.log(`[chaos] kill -9: ${done} kills over ${tasks.length} tasks, recovery (kill -> Claude again) ms: ${recoveriesMs.join(", ")}; ${missed} run(s) finished before they could be hit; ${Math.round((Date.now() - started) / 1000)} s`);
  }, 600_000); // twenty kill-and-restart cycles: minutes on a loaded machine
});
