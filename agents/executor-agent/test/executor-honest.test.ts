import { testGit } from "@fixline/testing";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask, listTaskEvents } from "@fixline/db";
import type { FixlineWorker } from "@fixline/queue";
import { createExecutorHarness, defaultFixlineYaml, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, pricePlan, redTest } from "./price-format-fixtures";

describe("executor: an honest agent on a node:test project", () => {
  let h: ExecutorHarness;
  let firstWorker: FixlineWorker | undefined;
  beforeAll(async () => {
    h = await createExecutorHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("proves red, proves green, pushes test: and fix:, posts evidence, marks the PR ready and completes", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "text", text: "Writing the failing test." }, { type: "write", path: "test/price.test.js", content: redTest }, { type: "bash", command: "npm test" }, { type: "result", result: "The new test fails as expected." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "bash", command: "npm test" }, { type: "result", result: "All tests pass." }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    firstWorker = await h.startWorker();
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");

    // Git: the plan, then the red test, then the fix, all on the remote branch.
    const log = await h.remoteLog(task);
    expect(log.slice(0, 3)).toEqual(["fix: formatPrice(105) returns \"$1.5\" instead of \"$1.05\".", "test: pads single-digit cents", "plan: add PLAN.md"]);
    expect(await h.remoteFile(task, "src/price.js")).toContain("padStart(2");
    expect(await h.remoteFile(task, "test/price.test.js", `${task.branch}~1`)).toContain("pads single-digit cents");
    expect(await h.remoteFile(task, "src/price.js", `${task.branch}~1`)).not.toContain("padStart");

    // The PR: ready for review, evidence table in the body, planning part kept.
    const pr = h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!;
    expect(pr.draft).toBe(false);
    expect(pr.body).toContain("### Plan");
    expect(pr.body).toContain("### Evidence");
    expect(pr.body).toContain("`pads single-digit cents`");
    expect(pr.body).toMatch(/🟢 Green: full suite with the fix \| `npm test` \| 4 passed, 0 failed, 0 skipped · 2 reruns/);
    expect(pr.body).toMatch(/\| red \| \d+ \|/);
    expect(pr.body).toMatch(/\| green \| \d+ \|/);
    console.log(`\n--- PR body as posted ---\n${pr.body}\n--- end ---`);

    // The task: structured evidence, red proven then green.
    const stored = (await getTask(h.database.db, task.taskId))!;
    const evidence = stored.evidence as { red: { failingTests: string[]; exitCode: number; outputExcerpt: string }; green: { passed: number; reruns: number }; usage: Array<{ phase: string }> };
    expect(evidence.red.failingTests).toEqual(["pads single-digit cents"]);
    expect(evidence.red.exitCode).not.toBe(0);
    expect(evidence.red.outputExcerpt).toContain("not ok");
    expect(evidence.green).toMatchObject({ passed: 4, reruns: 2 });
    expect(evidence.usage.map((u) => u.phase)).toEqual(["red", "green"]);
    expect(stored.data).toMatchObject({ lastProvenPhase: "green" });

    // The green run resumed the red session, with Bash limited to the test command.
    const calls = await h.fake.calls();
    expect(calls).toHaveLength(2);
    const sessionId = stored.data.sessionId as string;
    expect(calls[1]!.argv).toEqual(expect.arrayContaining(["--resume", sessionId]));
    expect(calls[0]!.argv).toEqual(expect.arrayContaining(["Bash(npm test:*)", "--permission-mode", "acceptEdits"]));
    expect(calls[0]!.envPresent.GITHUB_TOKEN).toBe(false);

    // The environment: detected, set up (npm install writes a package-lock.json the repository does not
    // have), in the evidence and under the PR's table; setup's lockfile is not the agent's and never committed.
    const env = (stored.evidence as { environment: { detected: { kind: string }; setupCommands: string[]; setupMs: number; cacheHit: boolean } }).environment;
    expect(env).toMatchObject({ detected: { kind: "node-npm" }, setupCommands: ["npm install --no-audit --no-fund"], cacheHit: false });
    expect(env.setupMs).toBeGreaterThan(0);
    expect(pr.body).toMatch(/- Environment `node-npm`: setup `npm install --no-audit --no-fund` in \d+\.\ds \(dependency cache miss\)/);
    expect(existsSync(join(h.workspaces.pathFor(task.taskId), "package-lock.json"))).toBe(true);
    const tree = await testGit(["ls-tree", "-r", "--name-only", task.branch], task.remotePath);
    expect(tree.split("\n").sort()).toEqual(["PLAN.md", "README.md", "package.json", "src/price.js", "test/price.test.js"]);

    const events = (await listTaskEvents(h.database.db, task.taskId)).map((e) => `${e.fromState}->${e.toState}`);
    expect(events.slice(-2)).toEqual(["approved->executing", "executing->completed"]);
  });

  it("does nothing for a redelivered job of a completed task: no new commits, comments or runs", async () => {
    const tasks = h.github.state.pulls;
    const pr = tasks[0]!;
    const before = { comments: h.github.state.comments.length, body: pr.body };
    const taskRow = await h.database.db.selectFrom("tasks").select(["id", "repo"]).where("pr_number", "=", pr.number).where("repo", "=", pr.repo).executeTakeFirstOrThrow();
    const approval = await h.database.db.selectFrom("approvals").select("id").where("task_id", "=", taskRow.id).executeTakeFirstOrThrow();
    const callsBefore = (await h.fake.calls()).length;
    await h.queues.enqueue("execution", { taskId: taskRow.id, approvalId: approval.id }, { jobId: `redelivered-${taskRow.id}` });
    const queue = h.queues.queue("execution");
    await expect
      .poll(async () => (await queue.getJob(`redelivered-${taskRow.id}`))?.returnvalue as unknown, { timeout: 10_000 })
      .toEqual({ outcome: "skipped", reason: "already completed" });
    expect((await h.fake.calls()).length).toBe(callsBefore);
    expect(h.github.state.comments.length).toBe(before.comments);
    expect(pr.body).toBe(before.body);
    await firstWorker?.worker.close();
  });

  it("stops the push when the change leaves the plan's files and scopePolicy is block", async () => {
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result" }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "write", path: "src/extra.js", content: "export const x = 1;\n" }, { type: "result" }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    const worker = await h.startWorker(`${defaultFixlineYaml}  scopePolicy: block\n`);
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorCode).toBe("SCOPE_VIOLATION");
    expect(done.errorMessage).toContain("src/extra.js");
    // The red commit was pushed when proven; the fix never was.
    expect((await h.remoteLog(task))[0]).toBe("test: pads single-digit cents");
    await worker.worker.close();
  });
});
