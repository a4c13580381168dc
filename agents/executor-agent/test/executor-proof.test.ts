import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeClaudeRun } from "@fixline/testing";
import { testGit } from "@fixline/testing";
import { createExecutorHarness, scenario, type ExecutorHarness, type PlannedTask } from "./executor-harness";
import { breakingSource, fixedSource, pricePlan, redTest } from "./price-format-fixtures";

type Steps = FakeClaudeRun["steps"];
const honestRed: Steps = [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "The new test fails." }];

/**
 * Git run the way an agent with the `node` prefix on its Bash allow-list can: through `node -e`. In the
 * sandbox the mirror is read-only and this fails; the harness must catch it either way (issue 15).
 */
function agentGit(script: string): Steps[number] {
  const command = `git -c user.name=agent -c user.email=agent@example.invalid ${script}`.replace(/'/g, "\\'");
  return { type: "bash", command: `node -e "require('child_process').execSync('${command}', { stdio: 'inherit', shell: '/bin/sh' })"` };
}

/** Issue 15: nothing the agent made lands unverified, and a failure says so once. */
describe("executor: only Fixline's verified commits land", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function run(runs: { red: Steps; redRetry?: Steps; green: Steps }, plan = pricePlan): Promise<{ task: PlannedTask; state: string; code: string | null; message: string | null }> {
    await h.fake.setScenario(scenario(runs));
    const task = await h.plannedTask({ sample: "js-price-format", plan });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    return { task, state: done.state, code: done.errorCode, message: done.errorMessage };
  }

  const remoteTree = async (task: PlannedTask) => (await testGit(["ls-tree", "-r", "--name-only", task.branch], task.remotePath)).split("\n");
  const pr = (task: PlannedTask) => h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!;

  it("property 2: the agent edits the approved PLAN.md (widening Affected files): reverted, the branch's PLAN.md is byte-identical to the approved one", async () => {
    const widened = pricePlan.replace("- `test/price.test.js`", "- `test/price.test.js`\n- `CHANGELOG.md`");
    const { task, state, message } = await run({
      red: honestRed,
      green: [
        { type: "write", path: "src/price.js", content: fixedSource },
        { type: "write", path: "PLAN.md", content: widened },
        { type: "write", path: "CHANGELOG.md", content: "- pad cents\n" },
        { type: "result", result: "Fixed; the plan now lists CHANGELOG.md." },
      ],
    });
    expect(message).toBeNull();
    expect(state).toBe("completed");
    const approved = await testGit(["show", `${task.planSha}:PLAN.md`], task.remotePath);
    expect(await h.remoteFile(task, "PLAN.md")).toBe(approved);
    expect(await testGit(["diff", "--name-only", task.planSha, task.branch], task.remotePath)).not.toContain("PLAN.md");
    // The scope check used the approved plan: CHANGELOG.md is outside it.
    expect(pr(task).body).toContain("Outside the plan's Affected files: CHANGELOG.md");
    expect(pr(task).body).toContain("the agent edited PLAN.md; the approved plan was put back");
  });

  it("property 2: a test script replaced by `exit 0` fails the task with PROTECTED_PATH_CHANGED before any green run", async () => {
    const { task, state, code, message } = await run({
      red: honestRed,
      green: [
        { type: "write", path: "package.json", content: JSON.stringify({ name: "price-format", version: "1.0.0", private: true, type: "module", scripts: { test: "exit 0" } }, null, 2) },
        { type: "result", result: "Tests pass now." },
      ],
    });
    expect(state).toBe("failed");
    expect(code).toBe("PROTECTED_PATH_CHANGED");
    expect(message).toContain("package.json#scripts.test");
    expect(JSON.parse(await h.remoteFile(task, "package.json")).scripts.test).toBe("node --test --test-reporter=tap");
    expect(h.prComments(task)[0]!.body).toContain("PROTECTED_PATH_CHANGED");
  });

  it("property 2: a new CI workflow fails the task, unless the approved plan lists it", async () => {
    const workflow = "on: push\njobs: {}\n";
    const green: Steps = [
      { type: "write", path: "src/price.js", content: fixedSource },
      { type: "write", path: ".github/workflows/ci.yml", content: workflow },
      { type: "result" },
    ];
    const refused = await run({ red: honestRed, green });
    expect(refused.code).toBe("PROTECTED_PATH_CHANGED");
    expect(refused.message).toContain(".github/workflows/ci.yml");
    expect(await remoteTree(refused.task)).not.toContain(".github/workflows/ci.yml");

    const listed = await run({ red: honestRed, green }, pricePlan.replace("- `test/price.test.js`", "- `test/price.test.js`\n- `.github/workflows/ci.yml`"));
    expect(listed.message).toBeNull();
    expect(listed.state).toBe("completed");
    expect(await h.remoteFile(listed.task, ".github/workflows/ci.yml")).toBe(workflow.trim());
  });

  it("property 5 and 6: a failed run pushes only the proven red commit, keeps the rest in refs/fixline/<task>/wip, and says so in exactly one comment", async () => {
    const { task, code } = await run({
      red: honestRed,
      green: [{ type: "write", path: "src/price.js", content: breakingSource }, { type: "write", path: "test/helper.test.js", content: "// unverified\n" }, { type: "result", result: "Fixed!" }],
    });
    expect(code).toBe("GREEN_NOT_REACHED");
    expect(await h.remoteLog(task)).toEqual(["test: pads single-digit cents", "plan: add PLAN.md", "Initial commit"]);
    expect(await remoteTree(task)).not.toContain("test/helper.test.js");
    const wip = `refs/fixline/${task.taskId}/wip`;
    expect(await h.remoteFile(task, "test/helper.test.js", wip)).toBe("// unverified");
    // Not a branch: no pull request can show it.
    expect(await testGit(["for-each-ref", "--format=%(refname)", "refs/heads"], task.remotePath)).not.toContain("wip");
    const comments = h.prComments(task);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("GREEN_NOT_REACHED");
    expect(comments[0]!.body).toContain(wip);
    // The full SHA, which GitHub turns into a link to the commit.
    expect(comments[0]!.body).toContain(await testGit(["rev-parse", wip], task.remotePath));
    expect(comments[0]!.body).toContain("Last proven phase: red");
    expect(pr(task).draft).toBe(true);
  });

  describe("property 4: the suite is the repository's", () => {
    // The plan narrows its test command to the new test's file; the detected suite is `npm test` (all files).
    const narrowPlan = pricePlan
      .replace("- `test/price.test.js`", "- `test/price-cents.test.js`")
      .replace("- File: `test/price.test.js`", "- File: `test/price-cents.test.js`")
      .replace("```\nnpm test\n```", "```\nnode --test --test-reporter=tap test/price-cents.test.js\n```");
    const centsTest = `import { test } from "node:test";
import assert from "node:assert/strict";
import { formatPrice } from "../src/price.js";

test("pads single-digit cents", () => {
  assert.equal(formatPrice(105), "$1.05");
});
`;
    const red: Steps = [{ type: "write", path: "test/price-cents.test.js", content: centsTest }, { type: "result" }];

    it("a fix that breaks another module's test fails although the plan's command passes", async () => {
      expect(narrowPlan).toContain("node --test --test-reporter=tap test/price-cents.test.js");
      const { code, message } = await run({ red, green: [{ type: "write", path: "src/price.js", content: breakingSource }, { type: "result", result: "The plan's test passes." }] }, narrowPlan);
      expect(code).toBe("GREEN_NOT_REACHED");
      expect(message).toContain("tests that passed before now fail or are gone: formats dollars and cents, formats negative amounts");
      const calls = await h.fake.calls();
      // The agent was told about both: the suite decides, the plan's command is a quick check.
      expect(calls.at(-1)!.prompt).toContain("Run the suite with: npm test");
      expect(calls.at(-1)!.prompt).toContain("test/price-cents.test.js (the harness decides with the whole suite)");
    });

    it("the honest fix with the narrow plan completes, its evidence naming the whole suite", async () => {
      const { task, state, message } = await run({ red, green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result" }] }, narrowPlan);
      expect(message).toBeNull();
      expect(state).toBe("completed");
      const stored = await h.waitForState(task.taskId, ["completed"]);
      const evidence = stored.evidence as { red: { command: string }; green: { command: string; passed: number } };
      expect(evidence.red.command).toBe("npm test");
      expect(evidence.green).toMatchObject({ command: "npm test", passed: 4 });
    });
  });

  describe("property 3: red proves the bug by an assertion", () => {
    // The liar of issue 15: the "failing" test calls a helper that does not exist yet, so it dies with a TypeError.
    const helperTest = redTest.replace('assert.equal(formatPrice(105), "$1.05");', 'assert.equal(price.padCents(105), "05");').replace('import { formatPrice, parsePrice } from "../src/price.js";', 'import { formatPrice, parsePrice } from "../src/price.js";\nimport * as price from "../src/price.js";');
    const typeErrorRed: Steps = [{ type: "write", path: "test/price.test.js", content: helperTest }, { type: "result", result: "The new test fails." }];

    it("a test that fails with a TypeError: one corrective run, then RED_WRONG_REASON with the error; green never runs", async () => {
      expect(helperTest).toContain("price.padCents(105)");
      const callsBefore = (await h.fake.calls()).length;
      const { task, code, message } = await run({
        red: typeErrorRed,
        redRetry: typeErrorRed,
        green: [{ type: "write", path: "src/price.js", content: `${fixedSource}\nexport const padCents = (n) => String(n % 100).padStart(2, "0");\n` }, { type: "result" }],
      });
      expect(code).toBe("RED_WRONG_REASON");
      expect(message).toContain("failed by an error, not by an assertion");
      expect(message).toContain("price.padCents is not a function");
      expect(await h.phases(task.taskId)).toEqual(["red", "red"]);
      const calls = (await h.fake.calls()).slice(callsBefore);
      expect(calls[1]!.prompt).toContain("fails by an ASSERTION");
      expect(calls[1]!.prompt).toContain("price.padCents is not a function");
      // Nothing was proven, so nothing but the plan is on the branch.
      expect((await h.remoteLog(task))[0]).toBe("plan: add PLAN.md");
      const comment = h.prComments(task);
      expect(comment).toHaveLength(1);
      expect(comment[0]!.body).toContain("RED_WRONG_REASON");
      expect(comment[0]!.body).toContain("TypeError");
    });

    it("the corrective run writes a real assertion: red is proven and the task completes", async () => {
      const { state, message } = await run({
        red: typeErrorRed,
        redRetry: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "Now it asserts the output." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result" }],
      });
      expect(message).toBeNull();
      expect(state).toBe("completed");
    });
  });
});

/**
 * The agent that commits, tags, branches or resets by itself. In the sandbox the repository's git directory is
 * read-only and these git commands fail inside the run; the harness must catch them regardless, so this
 * harness runs the agent without the sandbox (FIXLINE_SANDBOX=off; ignored where the sandbox does not exist).
 */
describe("executor: the agent's own commits never land (issue 15, property 1)", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness({ env: { FIXLINE_SANDBOX: "off" } });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function run(runs: { red: Steps; green: Steps }): Promise<{ task: PlannedTask; state: string; code: string | null; message: string | null }> {
    await h.fake.setScenario(scenario(runs));
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    return { task, state: done.state, code: done.errorCode, message: done.errorMessage };
  }
  const remoteAuthors = async (task: PlannedTask) => (await testGit(["log", "--format=%an <%ae>", task.branch], task.remotePath)).split("\n");
  const remoteTree = async (task: PlannedTask) => (await testGit(["ls-tree", "-r", "--name-only", task.branch], task.remotePath)).split("\n");
  const pr = (task: PlannedTask) => h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!;

  it("the agent commits the fix (with setup's lockfile), tags and branches: taken back, verified, Fixline commits it without the lockfile", async () => {
    const { task, state, message } = await run({
      red: honestRed,
      green: [
        { type: "write", path: "src/price.js", content: fixedSource },
        agentGit("add -A && git -c user.name=agent -c user.email=agent@example.invalid commit -q -m agent-fix && git tag agent-tag && git branch agent-side"),
        { type: "result", result: "Fixed and committed." },
      ],
    });
    expect(message).toBeNull();
    expect(state).toBe("completed");
    // The agent's commit never reached the remote: every commit there is Fixline's (or the sample's).
    const log = await h.remoteLog(task);
    expect(log.slice(0, 2)).toEqual([expect.stringMatching(/^fix: /), "test: pads single-digit cents"]);
    expect(log).not.toContain("agent-fix");
    expect((await remoteAuthors(task)).some((a) => a.includes("agent@example.invalid"))).toBe(false);
    expect(await h.remoteFile(task, "src/price.js")).toBe(fixedSource.trim());
    // The lockfile npm install generated stays off the branch although the agent committed it.
    expect(await remoteTree(task)).not.toContain("package-lock.json");
    // The refs it made are gone from the shared mirror, and never reached the remote.
    const workspace = h.workspaces.pathFor(task.taskId);
    expect(await testGit(["tag", "--list", "agent-tag"], workspace)).toBe("");
    expect(await testGit(["branch", "--list", "agent-side"], workspace)).toBe("");
    expect(await testGit(["for-each-ref", "--format=%(refname)"], task.remotePath)).not.toMatch(/agent-/);
    // A reviewer is told.
    expect(pr(task).body).toContain("Taken back from the agent");
    expect(pr(task).draft).toBe(false);
  });

  it("the agent resets the red commit away to get green: taken back, the red test is restored as Fixline's and the weakened attempt fails", async () => {
    const { task, state, code, message } = await run({
      red: honestRed,
      green: [agentGit("reset -q --hard HEAD~1"), { type: "write", path: "src/price.js", content: breakingSource }, { type: "result", result: "All tests pass." }],
    });
    expect(state).toBe("failed");
    expect(code).toBe("GREEN_NOT_REACHED");
    expect(message).toContain("red tests were modified: test/price.test.js");
    // The proven red commit is still what the branch ends in; nothing of the attempt is on it.
    expect((await h.remoteLog(task))[0]).toBe("test: pads single-digit cents");
    const comments = h.prComments(task);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("was moved from");
  });

});
