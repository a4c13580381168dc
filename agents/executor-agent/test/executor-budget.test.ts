import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask, listAgentRuns, recordBudgetGrant, transitionWith } from "@fixline/db";
import type { FakeClaudeStep } from "@fixline/testing";
import { createExecutorHarness, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, pricePlan, redTest } from "./price-format-fixtures";

/**
 * Issue 21: a run that reaches its --max-budget-usd mid-way (the fake CLI charges $0.15 a turn and stops before
 * the turn after the budget, as the CLI does) pauses the task instead of failing it: the work is kept, the
 * session saved, one question asked on the PR; the top-up resumes that very session, and execution never spends
 * more than granted plus one turn.
 */
const costPerTurnUsd = 0.15;

describe("executor: the execution budget runs out mid-run", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("pauses at the budget with the red work kept, asks once, and resumes the interrupted session after a top-up", async () => {
    const chatter: FakeClaudeStep[] = Array.from({ length: 8 }, (_, i) => ({ type: "text", text: `checking ${i + 1}` }));
    const longRed: FakeClaudeStep[] = [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "bash", command: "node --test" }, ...chatter, { type: "result", result: "fails" }];
    await h.fake.setScenario({ ...scenario({ red: longRed, green: [{ type: "result" }] }), costPerTurnUsd });
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    await recordBudgetGrant(h.database.db, { taskId: task.taskId, approvalId: task.approvalId, kind: "explicit", amountUsd: 1, actor: { via: "github", login: "approver" } });
    await h.startWorker();
    await h.relay();

    const paused = await h.waitForState(task.taskId, ["waiting_budget", "failed", "completed"], 120_000);
    expect(paused.state).toBe("waiting_budget");
    const runs = await listAgentRuns(h.database.db, task.taskId);
    // 0.90 after six turns is under $1, the seventh ends at $1.05, and no eighth starts.
    expect(runs.map((r) => [r.phase, r.errorCode, r.costUsd])).toEqual([["red", "CLAUDE_BUDGET_EXCEEDED", 1.05]]);
    const calls = await h.fake.calls();
    expect(calls[0]!.argv[calls[0]!.argv.indexOf("--max-budget-usd") + 1]).toBe("1");
    const questions = () => h.prComments(task).filter((c) => c.body.includes("Continue with +$5?"));
    expect(questions()).toHaveLength(1);
    expect(questions()[0]!.body).toContain("$1.05 of the $1.00 execution budget");
    // Unverified work is kept off the branch, as a failure keeps it.
    expect(await h.remoteLog(task, `refs/fixline/${task.taskId}/wip`)).toContain("wip: checkpoint (BUDGET_WAITING)");
    expect(paused.errorCode).toBeNull();

    // A writer's +$5, as the command path applies it: grant and resume job with the transition.
    await h.fake.setScenario({ ...scenario({ red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "fails" }], green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "fixed" }] }), costPerTurnUsd });
    await transitionWith(h.database.db, { taskId: task.taskId, expected: "waiting_budget", event: { type: "budget_granted", addedUsd: 5 } }, async (trx) => {
      await recordBudgetGrant(trx, { taskId: task.taskId, approvalId: task.approvalId, kind: "top_up", amountUsd: 5, actor: { via: "github", login: "approver" } });
      return { value: undefined, jobs: [{ queue: "execution", data: { taskId: task.taskId, approvalId: task.approvalId } }] };
    });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed", "waiting_budget"], 120_000);
    expect([done.state, done.errorCode]).toEqual(["completed", null]);

    const after = await h.fake.calls();
    const reds = after.filter((c) => c.prompt.includes("STEP 1 of 2"));
    expect(reds).toHaveLength(2);
    // The resumed red continues the interrupted session.
    const firstSession = (await listAgentRuns(h.database.db, task.taskId))[0]!;
    expect(reds[1]!.argv).toEqual(expect.arrayContaining(["--resume"]));
    expect(firstSession.sessionId).toBeTruthy();
    expect(reds[1]!.argv[reds[1]!.argv.indexOf("--resume") + 1]).toBe(firstSession.sessionId);
    const execution = (await listAgentRuns(h.database.db, task.taskId)).filter((r) => r.phase === "red" || r.phase === "green");
    const spent = execution.reduce((sum, r) => sum + r.costUsd, 0);
    expect(spent).toBeCloseTo(1.05 + 0.15 + 0.15, 6);
    expect(spent).toBeLessThanOrEqual(6 + costPerTurnUsd);
    expect(questions()).toHaveLength(1);
    expect((await h.remoteLog(task)).filter((s) => s.startsWith("test:"))).toHaveLength(1);
    expect((await getTask(h.database.db, task.taskId))!.state).toBe("completed");
  }, 300_000);
});
