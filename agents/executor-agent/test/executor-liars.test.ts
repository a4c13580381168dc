import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask } from "@fixline/db";
import { createExecutorHarness, scenario, type ExecutorHarness, type PlannedTask } from "./executor-harness";
import { breakingSource, fixedSource, flakySource, passingTest, pricePlan, redTest, weakenedTest } from "./price-format-fixtures";
import type { FakeClaudeRun } from "@fixline/testing";

type Steps = FakeClaudeRun["steps"];
const honestRed: Steps = [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "The new test fails." }];

/** Each liar must end in failed with the right code, a checkpoint on the branch and a reason on the PR; never completed. */
describe("executor: agents that lie never reach completed", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function runTask(runs: { red: Steps; redRetry?: Steps; green: Steps }): Promise<{ task: PlannedTask; code: string | null; message: string | null }> {
    await h.fake.setScenario(scenario(runs));
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.state).toBe("failed");
    return { task, code: done.errorCode, message: done.errorMessage };
  }

  function failureComment(task: PlannedTask): string {
    const comments = h.github.state.comments.filter((c) => c.repo === task.repo && c.issueNumber === task.prNumber);
    expect(comments).toHaveLength(1);
    return comments[0]!.body;
  }

  function pr(task: PlannedTask) {
    return h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!;
  }

  it("a 'failing' test that already passes: one corrective run, then RED_NOT_PROVEN; green never runs", async () => {
    const callsBefore = (await h.fake.calls()).length;
    const { task, code, message } = await runTask({
      red: [{ type: "write", path: "test/price.test.js", content: passingTest }, { type: "result", result: "Test written; it fails." }],
      redRetry: [{ type: "text", text: "Trying again" }, { type: "result", result: "Fixed the test, it fails now." }],
      green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result" }],
    });
    expect(code).toBe("RED_NOT_PROVEN");
    expect(message).toContain("passed on the unfixed code: pads single-digit cents");
    expect(await h.phases(task.taskId)).toEqual(["red", "red"]);
    const calls = (await h.fake.calls()).slice(callsBefore);
    expect(calls[1]!.prompt).toContain("red step is NOT proven");
    expect(calls[1]!.argv).toContain("--resume");
    // The checkpoint keeps the (useless) test for a human to see; no fix commit, the PR stays a draft.
    expect((await h.remoteLog(task))[0]).toBe("wip: checkpoint (RED_NOT_PROVEN)");
    expect(pr(task).draft).toBe(true);
    const body = failureComment(task);
    expect(body).toContain("RED_NOT_PROVEN");
    expect(body).toContain("@agent retry");
  });

  it("a fix that breaks another test: GREEN_NOT_REACHED naming the regression", async () => {
    const { task, code, message } = await runTask({
      red: honestRed,
      green: [{ type: "write", path: "src/price.js", content: breakingSource }, { type: "result", result: "Fixed!" }],
    });
    expect(code).toBe("GREEN_NOT_REACHED");
    expect(message).toMatch(/tests that passed before now fail or are gone: formats dollars and cents, formats negative amounts/);
    expect(await h.remoteLog(task)).toEqual(["wip: checkpoint (GREEN_NOT_REACHED)", "test: pads single-digit cents", "plan: add PLAN.md", "Initial commit"]);
    const stored = (await getTask(h.database.db, task.taskId))!;
    expect(stored.data).toMatchObject({ lastProvenPhase: "red" });
    expect(failureComment(task)).toContain("Last proven phase: red");
    expect(pr(task).draft).toBe(true);
  });

  it("an agent that weakens the red test to get green: GREEN_NOT_REACHED, red tests were modified", async () => {
    const { message, code } = await runTask({
      red: honestRed,
      green: [{ type: "write", path: "test/price.test.js", content: weakenedTest }, { type: "result", result: "All 4 tests pass." }],
    });
    expect(code).toBe("GREEN_NOT_REACHED");
    expect(message).toContain("red tests were modified: test/price.test.js");
  });

  it("an agent that deletes the red test: GREEN_NOT_REACHED, the red test is missing", async () => {
    const { message, code } = await runTask({
      red: honestRed,
      green: [
        { type: "write", path: "src/price.js", content: breakingSource.replace('"0" + (abs % 100)', "abs % 100") },
        { type: "write", path: "test/price.test.js", content: redTest.slice(0, redTest.indexOf('test("pads single-digit cents"')) },
        { type: "result", result: "Done, suite is green." },
      ],
    });
    expect(code).toBe("GREEN_NOT_REACHED");
    expect(message).toContain('red test "pads single-digit cents" is missing');
    expect(message).toContain("red tests were modified");
  });

  it("an agent that claims success while the suite fails: the claim counts for nothing", async () => {
    const { task, message, code } = await runTask({
      red: honestRed,
      green: [{ type: "text", text: "I fixed formatPrice and all tests pass." }, { type: "result", result: "All tests pass. The bug is fixed." }],
    });
    expect(code).toBe("GREEN_NOT_REACHED");
    expect(message).toContain("the suite fails");
    expect(message).toContain('red test "pads single-digit cents" still fails');
    expect(failureComment(task)).toContain("not ok");
  });

  it("a flaky fix: passes once, fails on the rerun -> GREEN_NOT_REACHED flaky", async () => {
    const counter = `node_modules/.flaky-${randomUUID()}`;
    const { message, code } = await runTask({
      red: honestRed,
      green: [{ type: "write", path: "src/price.js", content: flakySource(counter) }, { type: "result", result: "Fixed." }],
    });
    expect(code).toBe("GREEN_NOT_REACHED");
    expect(message).toMatch(/^flaky: passed 1 of 2 runs \(3 required in a row\)/);
  });
});
