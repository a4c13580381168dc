import { testGit } from "@fixline/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WouldHaveSent } from "@fixline/db";
import { createExecutorHarness, defaultFixlineYaml, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, pricePlan, redTest } from "./price-format-fixtures";

describe("executor: dry run", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("runs setup, the agent and red/green verification locally, commits locally, and records instead of pushing or touching GitHub", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "Fixed." }],
      }),
    );
    const task = await h.dryRunPlannedTask({ sample: "js-price-format", plan: pricePlan });
    const remoteRefs = await testGit(["for-each-ref", "--format=%(refname) %(objectname)"], task.remotePath);
    const githubRequests = h.github.received.length;

    const worker = await h.startWorker(`${defaultFixlineYaml}repos:\n  ${task.repo}:\n    dryRun: true\n`);
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");

    // Nothing left the machine: the bare remote is as it was, the fake GitHub heard nothing.
    expect(await testGit(["for-each-ref", "--format=%(refname) %(objectname)"], task.remotePath)).toBe(remoteRefs);
    expect(h.github.received.length).toBe(githubRequests);

    // Everything happened locally: red and green proven and committed on the task branch in the workspace.
    const local = await testGit(["log", "--format=%s", task.branch], h.workspaces.pathFor(task.taskId));
    expect(local.split("\n").slice(0, 3)).toEqual(['fix: formatPrice(105) returns "$1.5" instead of "$1.05".', "test: pads single-digit cents", "plan: add PLAN.md"]);
    const evidence = done.evidence as { red: { failingTests: string[] }; green: { passed: number }; environment: { detected: { kind: string } } };
    expect(evidence.red.failingTests).toEqual(["pads single-digit cents"]);
    expect(evidence.green.passed).toBe(4);
    expect(evidence.environment.detected.kind).toBe("node-npm");

    // What would have gone out, in order: the red push, the fix push, the PR body and ready for review.
    const would = done.data.wouldHaveSent as WouldHaveSent[];
    expect(would.map((w) => `${w.channel}:${w.action}`)).toEqual(["git:push", "git:push", "github:update_pr_body", "github:mark_ready"]);
    expect(would[0]!.target).toBe(`${task.repo}:${task.branch}`);
    expect(would[1]!.summary).toContain((await testGit(["rev-parse", task.branch], h.workspaces.pathFor(task.taskId))).slice(0, 12));
    await worker.worker.close();
  });

  it("on a real draft PR approved by comment: the PR and the remote stay as they were, the actions are recorded", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result" }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result" }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    const remoteRefs = await testGit(["for-each-ref", "--format=%(refname) %(objectname)"], task.remotePath);
    const githubRequests = h.github.received.length;
    const pr = h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!;
    const bodyBefore = pr.body;

    const worker = await h.startWorker(`${defaultFixlineYaml}repos:\n  ${task.repo}:\n    dryRun: true\n`);
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");
    expect(await testGit(["for-each-ref", "--format=%(refname) %(objectname)"], task.remotePath)).toBe(remoteRefs);
    expect(h.github.received.length).toBe(githubRequests);
    expect(pr).toMatchObject({ draft: true, body: bodyBefore });
    const would = done.data.wouldHaveSent as WouldHaveSent[];
    expect(would.filter((w) => w.action === "mark_ready").map((w) => w.target)).toEqual([done.prUrl]);
    await worker.worker.close();
  });

  it("a failure in a dry run pushes nothing and the notify worker records the PR comment instead of posting it", async () => {
    const task = await h.dryRunPlannedTask({ sample: "js-price-format", plan: pricePlan });
    const remoteRefs = await testGit(["for-each-ref", "--format=%(refname) %(objectname)"], task.remotePath);
    const githubRequests = h.github.received.length;
    const worker = await h.startWorker(`${defaultFixlineYaml}repos:\n  ${task.repo}:\n    dryRun: true\n    setup: []\n    hooks:\n      preRun: ["exit 7"]\n`);
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorCode).toBe("ENV_SETUP_FAILED");
    expect(await testGit(["for-each-ref", "--format=%(refname) %(objectname)"], task.remotePath)).toBe(remoteRefs);
    expect(h.github.received.length).toBe(githubRequests);
    const would = done.data.wouldHaveSent as WouldHaveSent[];
    // Nothing proven and no agent work yet: no push at all; the one failure message is the notify worker's.
    expect(would.map((w) => `${w.channel}:${w.action}`)).toEqual(["github:message"]);
    expect(would[0]!.summary).toContain("ENV_SETUP_FAILED");
    await worker.worker.close();
  });
});
