import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask } from "@fixline/db";
import { createExecutorHarness, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, pricePlan, redTest } from "./price-format-fixtures";

// Issue 19 item 1: the base run is shared by every task on the same base, red runs the new test file only,
// and the flake reruns repeat only the red tests and what changed from the base; the proof is unchanged.
describe("executor: test economy on a node:test project", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("runs the base suite once for two tasks on one base, red on the new file, reruns on the red test", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "All tests pass." }],
      }),
    );
    const first = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    await h.startWorker();
    await h.relay();
    const done = await h.waitForState(first.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    const firstData = (await getTask(h.database.db, first.taskId))!.data as { testRuns: Record<string, string>; redEvidence: { failingTests: string[] } };
    expect(firstData.testRuns).toEqual({ base: "whole suite", red: "targeted: 1 file", green: "whole suite", reruns: "2 × targeted: 1 test" });
    expect(firstData.redEvidence.failingTests).toEqual(["pads single-digit cents"]);
    const firstPr = h.github.state.pulls.find((p) => p.repo === first.repo && p.number === first.prNumber)!;
    expect(firstPr.body).toContain("Test runs: base whole suite; red targeted: 1 file; green whole suite; reruns 2 × targeted: 1 test.");
    // The whole green run still decides: all four tests, not just the red one.
    expect(firstPr.body).toMatch(/🟢 Green: full suite with the fix \| `npm test` \| 4 passed, 0 failed, 0 skipped · 2 reruns/);

    // A second task planned on the same base commit: the base run is read, not run again.
    const second = await h.plannedTask({ sample: "js-price-format", plan: pricePlan, sameRepoAs: first, title: "Another price bug" });
    await h.relay();
    const secondDone = await h.waitForState(second.taskId, ["completed", "failed"]);
    expect(secondDone.errorMessage).toBeNull();
    const secondTask = (await getTask(h.database.db, second.taskId))!;
    const secondData = secondTask.data as { testRuns: Record<string, string>; baseRun: { counts: { passed: number } }; baseCommit: string };
    expect(secondData.testRuns.base).toBe(`reused from task ${first.taskId.slice(0, 8)} (same base, environment and command)`);
    expect(secondData.baseRun.counts.passed).toBe(3);
    // The task still records its own base commit (the plan commit) for the regression check and the evidence.
    expect(secondData.baseCommit).toBe(second.planSha);
    const rows = await h.database.db.selectFrom("base_test_runs").selectAll().where("repo", "=", first.repo).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.task_id).toBe(first.taskId);
  });

  it("two tasks on one base at the same time: one runs the base suite, the other waits for its record", async () => {
    const a = await h.plannedTask({ sample: "js-price-format", plan: pricePlan, title: "Storm one" });
    const b = await h.plannedTask({ sample: "js-price-format", plan: pricePlan, sameRepoAs: a, title: "Storm two" });
    await h.relay();
    const [doneA, doneB] = await Promise.all([h.waitForState(a.taskId, ["completed", "failed"], 60_000), h.waitForState(b.taskId, ["completed", "failed"], 60_000)]);
    expect([doneA.errorMessage, doneB.errorMessage]).toEqual([null, null]);
    const bases = await Promise.all([a, b].map(async (t) => ((await getTask(h.database.db, t.taskId))!.data as { testRuns: { base: string } }).testRuns.base));
    const rows = await h.database.db.selectFrom("base_test_runs").selectAll().where("repo", "=", a.repo).execute();
    expect(rows).toHaveLength(1);
    const runner = rows[0]!.task_id;
    // Exactly one ran it; the other read the runner's record (whether it waited on the lock or came after).
    expect(bases.filter((note) => note === "whole suite")).toHaveLength(1);
    expect(bases).toContain(`reused from task ${runner!.slice(0, 8)} (same base, environment and command)`);
  });

  it("a red test in a file the suite never runs: the targeted red run sees it fail, the whole green run refuses it", async () => {
    // node --test's default patterns do not pick up specs/*.js: only a targeted run would ever execute it.
    const hidden = `import { test } from "node:test";
import assert from "node:assert/strict";
import { formatPrice } from "../src/price.js";

test("pads cents where the suite never looks", () => {
  assert.equal(formatPrice(105), "$1.05");
});
`;
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "specs/price-check.js", content: hidden }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "All tests pass." }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan, title: "Hidden test" });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.state).toBe("failed");
    expect(done.errorCode).toBe("GREEN_NOT_REACHED");
    expect(done.errorMessage).toContain('red test "pads cents where the suite never looks" is missing from the run');
  });
});
