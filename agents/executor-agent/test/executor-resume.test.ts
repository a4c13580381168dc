import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testGit } from "@fixline/testing";
import { getTask, listAgentRuns, transition } from "@fixline/db";
import { createExecutorHarness, scenario, type ExecutorHarness } from "./executor-harness";
import { defaultFixlineYaml } from "./executor-harness";
import { fixedSource, pricePlan, redTest, weakenedTest } from "./price-format-fixtures";

const slowYaml = `
defaults:
  flakeReruns: 2
  timeouts: { planningSeconds: 60, executionSeconds: 3, idleSeconds: 30, testSeconds: 60 }
`;

describe("executor: a timeout mid-green, then @agent retry", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("pushes a checkpoint, comments the reason, and the retry resumes at green with the red session", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "The new test fails." }],
        // Half a fix written, then the agent goes quiet past the execution timeout.
        green: [{ type: "write", path: "src/price.js", content: `${fixedSource}\n// work in progress\n` }, { type: "sleep", ms: 20_000 }, { type: "result" }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    const worker = await h.startWorker(slowYaml);
    await h.relay();
    const failed = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(failed.state).toBe("failed");
    expect(failed.errorCode).toBe("CLAUDE_TIMEOUT");
    expect(failed.data).toMatchObject({ lastProvenPhase: "red" });
    const redCommit = failed.data.redCommit as string;
    const sessionId = failed.data.sessionId as string;

    // The checkpoint: the half-done fix is in the wip ref on top of the proven red commit; the branch has only the proof.
    const wipRef = `refs/fixline/${task.taskId}/wip`;
    expect((await h.remoteLog(task, wipRef)).slice(0, 2)).toEqual(["wip: checkpoint (CLAUDE_TIMEOUT)", "test: pads single-digit cents"]);
    expect(await h.remoteFile(task, "src/price.js", wipRef)).toContain("// work in progress");
    expect(await h.remoteFile(task, "src/price.js")).not.toContain("// work in progress");
    expect((await h.remoteLog(task))[0]).toBe("test: pads single-digit cents");
    const comments = h.prComments(task);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("CLAUDE_TIMEOUT");
    expect(comments[0]!.body).toContain("@agent retry");
    expect(comments[0]!.body).toContain(wipRef);

    // @agent retry: the command path moves failed -> approved and sends a new execution job.
    await h.fake.setScenario(
      scenario({
        red: [{ type: "text", text: "must not run" }, { type: "result" }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "Fixed." }],
      }),
    );
    await transition(h.database.db, {
      taskId: task.taskId,
      expected: "failed",
      event: { type: "retry" },
      jobs: [{ queue: "execution", data: { taskId: task.taskId, approvalId: task.approvalId } }],
    });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");

    // Resumed at green: no new red run, the green run resumed the red session, the red commit kept.
    const runs = await listAgentRuns(h.database.db, task.taskId);
    expect(runs.map((r) => `${r.phase}:${r.status}`)).toEqual(["red:succeeded", "green:failed", "green:succeeded"]);
    const calls = await h.fake.calls();
    // The fake's call log spans both scenarios: red, the green that timed out, the resumed green.
    expect(calls).toHaveLength(3);
    expect(calls.some((c) => c.prompt.includes("must not run"))).toBe(false);
    expect(calls[2]!.prompt).toContain("STEP 2 of 2");
    expect(calls[2]!.argv).toEqual(expect.arrayContaining(["--resume", sessionId]));
    const log = await h.remoteLog(task);
    // The fix is Fixline's one verified commit on the proof; the wip commit never reaches the branch.
    expect(log.slice(0, 3)).toEqual([expect.stringMatching(/^fix: /), "test: pads single-digit cents", "plan: add PLAN.md"]);
    expect((await getTask(h.database.db, task.taskId))!.data).toMatchObject({ redCommit, lastProvenPhase: "green" });
    // One failure comment (from the first job), none added by the retry; the PR is ready.
    expect(h.github.state.comments.filter((c) => c.repo === task.repo && c.issueNumber === task.prNumber)).toHaveLength(1);
    expect(h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!.draft).toBe(false);
    await worker.worker.close();
  });

  it("after a weakened red test, @agent retry resumes at green with the red test restored and completes", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result" }],
        green: [{ type: "write", path: "test/price.test.js", content: weakenedTest }, { type: "result", result: "Green." }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    const worker = await h.startWorker(defaultFixlineYaml);
    await h.relay();
    const failed = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(failed.errorCode).toBe("GREEN_NOT_REACHED");
    // The kept work holds the weakened test; the branch never did...
    expect(await h.remoteFile(task, "test/price.test.js", `refs/fixline/${task.taskId}/wip`)).toContain("startsWith");
    expect(await h.remoteFile(task, "test/price.test.js")).not.toContain("startsWith");

    await h.fake.setScenario(scenario({ red: [{ type: "result" }], green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result" }] }));
    await transition(h.database.db, { taskId: task.taskId, expected: "failed", event: { type: "retry" }, jobs: [{ queue: "execution", data: { taskId: task.taskId, approvalId: task.approvalId } }] });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");
    // ...and the retry put the red test back before fixing: what is merged is the original assertion.
    expect(await h.remoteFile(task, "test/price.test.js")).toBe(redTest.trim());
    expect(await h.phases(task.taskId)).toEqual(["red", "green", "green"]);
    await worker.worker.close();
  });

  it("@agent retry on a machine without the workspace resumes the kept work from refs/fixline/<task>/wip", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result" }],
        // The whole fix written, then the agent goes quiet past the execution timeout.
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "sleep", ms: 20_000 }, { type: "result" }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    const worker = await h.startWorker(slowYaml);
    await h.relay();
    const failed = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(failed.errorCode).toBe("CLAUDE_TIMEOUT");
    expect(await h.remoteFile(task, "src/price.js", `refs/fixline/${task.taskId}/wip`)).toBe(fixedSource.trim());
    await worker.worker.close();

    // Another machine: no worktree, and the local branch and wip commit gone with it.
    const wip = failed.data.wipCommit as string;
    await h.workspaces.remove(task.taskId);
    const mirror = join(h.root, "workspaces", "mirrors", task.repo + ".git");
    await testGit(["reflog", "expire", "--expire=now", "--all"], mirror);
    await testGit(["gc", "--quiet", "--prune=now"], mirror);
    await expect(testGit(["cat-file", "-e", wip], mirror)).rejects.toThrow();
    // The retry's agent writes nothing: only the kept work can make green pass.
    await h.fake.setScenario(scenario({ red: [{ type: "text", text: "must not run" }, { type: "result" }], green: [{ type: "text", text: "The fix is already in place." }, { type: "result" }] }));
    const retryWorker = await h.startWorker(defaultFixlineYaml);
    await transition(h.database.db, { taskId: task.taskId, expected: "failed", event: { type: "retry" }, jobs: [{ queue: "execution", data: { taskId: task.taskId, approvalId: task.approvalId } }] });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");
    expect(await h.remoteFile(task, "src/price.js")).toBe(fixedSource.trim());
    expect((await h.remoteLog(task)).slice(0, 2)).toEqual([expect.stringMatching(/^fix: /), "test: pads single-digit cents"]);
    await retryWorker.worker.close();
  });
});
