import { testGit } from "@fixline/testing";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { getTask, voidApprovals } from "@fixline/db";
import { executeTask } from "../src/index";
import { acquireLock } from "@fixline/queue";
import { prLockKey } from "../src/workflow/pr-lock";
import { createExecutorHarness, defaultFixlineYaml, sampleDir, scenario, type ExecutorHarness } from "./executor-harness";

const slugPlan = `# Plan: collapse repeated separators

## Summary
slugify("Hello  World") returns "hello--world".

## Root cause
\`slugify\` in \`slugkit/slugify.py:10\` replaces each non-alphanumeric character with its own dash.

## Affected files
- \`slugkit/slugify.py\`
- \`tests/test_slugify.py\`

## Failing test to write first
- File: \`tests/test_slugify.py\`
- Name: \`test_collapses_repeated_separators\`
- Asserts: \`slugify("Hello  World")\` returns \`"hello-world"\`.

## Fix steps
1. Replace runs of non-alphanumerics with one dash.

## Risks
None known.

## Test command
\`\`\`
python3 -m pytest -q -rA -p no:cacheprovider
\`\`\`
`;

const originalTests = readFileSync(join(sampleDir("python-slugify"), "tests/test_slugify.py"), "utf8");
const originalSource = readFileSync(join(sampleDir("python-slugify"), "slugkit/slugify.py"), "utf8");
const redTests = `${originalTests}

def test_collapses_repeated_separators():
    assert slugify("Hello  World") == "hello-world"
`;
const fixedSource = originalSource.replace('re.sub(r"[^a-z0-9]", "-", lowered)', 're.sub(r"[^a-z0-9]+", "-", lowered)');
const newTest = "tests/test_slugify.py::test_collapses_repeated_separators";

/** The pytest sample needs python3 with pytest; a machine without it says so instead of failing obscurely. */
function pytestAvailable(): boolean {
  try {
    execFileSync("python3", ["-m", "pytest", "--version"], { stdio: "ignore" });
    return true;
  } catch {
    console.warn("executor pytest scenario skipped: `python3 -m pytest` is not available on this machine");
    return false;
  }
}

describe("executor on a pytest project", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it.skipIf(!pytestAvailable())("completes with pytest evidence, and flags a file outside the plan on the PR (scopePolicy warn)", async () => {
    expect(fixedSource).not.toBe(originalSource);
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "tests/test_slugify.py", content: redTests }, { type: "result", result: "Test fails." }],
        green: [
          { type: "write", path: "slugkit/slugify.py", content: fixedSource },
          { type: "write", path: "CHANGELOG.md", content: "- slugify collapses separators\n" },
          { type: "result", result: "Fixed." },
        ],
      }),
    );
    const task = await h.plannedTask({ sample: "python-slugify", plan: slugPlan, title: "Slug separators" });
    // pytest starts slowly through pyenv's shim; two runs in a row still catch flakiness.
    const worker = await h.startWorker(defaultFixlineYaml.replace("flakeReruns: 3", "flakeReruns: 2"));
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"], 60_000);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");
    const evidence = done.evidence as { red: { failingTests: string[] }; green: { passed: number; failed: number }; scope: { outside: string[] } };
    expect(evidence.red.failingTests).toEqual([newTest]);
    expect(evidence.green).toMatchObject({ passed: 4, failed: 0 });
    expect(evidence.scope.outside).toEqual(["CHANGELOG.md"]);
    // The warning is in the PR body's evidence; the executor posts no comment of its own (issue 15: one voice).
    expect(h.prComments(task)).toHaveLength(0);
    const pr = h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!;
    expect(pr.body).toContain("Outside the plan's Affected files: CHANGELOG.md");
    // Nothing pytest leaves behind (caches, bytecode) ends up committed.
    expect(await h.remoteFile(task, "CHANGELOG.md")).toContain("collapses");
    const tree = await testGit(["ls-tree", "-r", "--name-only", task.branch], task.remotePath);
    expect(tree).not.toMatch(/__pycache__|\.pytest_cache/);
    await worker.worker.close();
  });

  it.skipIf(!pytestAvailable())("a pytest test that fails with a TypeError is the wrong reason: RED_WRONG_REASON after one corrective run", async () => {
    // Issue 15: the test calls slugify with an option it does not have yet, so pytest reports a TypeError.
    const typeErrorTests = redTests.replace('slugify("Hello  World") == "hello-world"', 'slugify("Hello  World", collapse=True) == "hello-world"');
    const red = [{ type: "write" as const, path: "tests/test_slugify.py", content: typeErrorTests }, { type: "result" as const }];
    await h.fake.setScenario(scenario({ red, redRetry: red, green: [{ type: "write", path: "slugkit/slugify.py", content: fixedSource }, { type: "result" }] }));
    const task = await h.plannedTask({ sample: "python-slugify", plan: slugPlan, title: "Slug separators" });
    const worker = await h.startWorker(defaultFixlineYaml.replace("flakeReruns: 3", "flakeReruns: 2"));
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"], 60_000);
    expect(done.errorCode).toBe("RED_WRONG_REASON");
    expect(done.errorMessage).toContain("TypeError: slugify() got an unexpected keyword argument 'collapse'");
    expect(await h.phases(task.taskId)).toEqual(["red", "red"]);
    await worker.worker.close();
  });

  it("refuses a voided approval without running Claude (APPROVAL_INVALID)", async () => {
    const before = (await h.fake.calls()).length;
    const task = await h.plannedTask({ sample: "python-slugify", plan: slugPlan, title: "Slug separators" });
    await voidApprovals(h.database.db, task.taskId);
    const worker = await h.startWorker();
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorCode).toBe("APPROVAL_INVALID");
    expect((await h.fake.calls()).length).toBe(before);
    // A refusal is said once too, by the notify worker (issue 15, property 6).
    const comments = h.prComments(task);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("APPROVAL_INVALID");
    await worker.worker.close();
  });

  it("takes at most one execution per PR: a second job for a held PR is retried later, the task untouched", async () => {
    const task = await h.plannedTask({ sample: "python-slugify", plan: slugPlan, title: "Slug separators" });
    const key = prLockKey(h.redis.prefix, task.repo, task.prNumber);
    const held = await acquireLock(h.redis.producer, key, "job:first", { ttlMs: 5_000 });
    expect(held).toBeDefined();
    expect(await acquireLock(h.redis.producer, key, "job:other", { ttlMs: 5_000 })).toBeUndefined();
    // The same job, recovered by another worker after its first worker died, takes its own lock over.
    const recovered = await acquireLock(h.redis.producer, key, "job:first", { ttlMs: 5_000 });
    expect(recovered).toBeDefined();
    const config = (await import("@fixline/core")).loadConfig({ PATH: process.env.PATH, GITHUB_TOKEN: "ghp_executor_test", GITHUB_API_URL: h.github.url });
    const attempt = executeTask(
      { config, db: h.database.db, connection: h.redis.worker, prefix: h.redis.prefix, logger: silentLogger(), workspaces: h.workspaces, github: h.client, redis: h.redis.producer },
      { taskId: task.taskId, approvalId: task.approvalId, jobId: "second", finalAttempt: false, signal: new AbortController().signal, logger: silentLogger() },
    );
    await expect(attempt).rejects.toMatchObject({ code: "INTERNAL", retryable: true });
    expect((await getTask(h.database.db, task.taskId))!.state).toBe("approved");
    await recovered!.release();
    await held!.release();
    expect(await acquireLock(h.redis.producer, key, "job:third", { ttlMs: 5_000 })).toBeDefined();
  });
});
