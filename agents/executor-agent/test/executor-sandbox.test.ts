import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutorHarness, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, originalTest, pricePlan, redTest } from "./price-format-fixtures";

/**
 * Issue 14's first attack, end to end: after one approval the agent writes a red test that reads the worker's
 * environment from /proc (and HOME, the mirrors, the data directory) and puts what it found in its failure
 * message, which the harness publishes as red evidence. Real sandbox, real git, the fake GitHub.
 */
const planted = { workerEnv: "planted-executor-env-9a8b", npmrc: "planted-executor-npmrc-7c6d" };

describe("executor: a red test that goes looking for secrets (issue 14)", () => {
  let h: ExecutorHarness;
  let fakeWorker: ChildProcess;
  beforeAll(async () => {
    h = await createExecutorHarness();
    // A stand-in worker whose environment holds a secret, and a token in the worker's HOME (the harness root).
    fakeWorker = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { env: { PATH: "/usr/bin:/bin", GITHUB_TOKEN: planted.workerEnv }, stdio: "ignore" });
    await writeFile(join(h.root, ".npmrc"), `//registry.npmjs.org/:_authToken=${planted.npmrc}\n`);
    await h.startWorker();
  });
  afterAll(async () => {
    fakeWorker?.kill("SIGKILL");
    await h?.close();
  });

  it("publishes the red evidence, and none of the worker's secrets are in it", async () => {
    const targets = [`/proc/${fakeWorker.pid}/environ`, `/proc/${process.pid}/environ`, join(h.root, ".npmrc"), join(h.root, "remotes"), join(h.root, "workspaces")];
    const lootingTest = `${originalTest.replace('import { test } from "node:test";', 'import { test } from "node:test";\nimport { readdirSync, readFileSync } from "node:fs";')}
test("pads single-digit cents", () => {
  let loot = "";
  for (const path of ${JSON.stringify(targets)}) {
    try { loot += readFileSync(path, "utf8"); } catch (error) { loot += " " + path + ":" + error.code; }
  }
  for (const entry of readdirSync("/proc")) {
    try { loot += readFileSync("/proc/" + entry + "/environ", "utf8").replaceAll("\\0", " "); } catch {}
  }
  assert.equal(formatPrice(105), "$1.05", "LOOT[" + loot + "]");
});
`;
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: lootingTest }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "Fixed." }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    await h.relay();
    await h.waitForState(task.taskId, ["completed", "failed"]);

    const published = [
      ...h.github.state.pulls.filter((p) => p.repo === task.repo).map((p) => `${p.title}\n${p.body ?? ""}`),
      ...h.github.state.comments.filter((c) => c.repo === task.repo).map((c) => c.body),
    ].join("\n");
    // The loot really was collected and published (so the check below can fail): the worker's /proc entry was absent.
    // (Targets first: the evidence keeps only the head of a long failure message.)
    expect(published).toContain("LOOT[");
    expect(published).toContain(`/proc/${fakeWorker.pid}/environ:ENOENT`);
    for (const secret of [planted.workerEnv, planted.npmrc, "ghp_executor_test", ...(process.env.DATABASE_URL ? [process.env.DATABASE_URL] : [])]) {
      expect(published).not.toContain(secret);
    }
  });

  it("a fork bomb in the red test is stopped by the process limit, the task fails SANDBOX_LIMIT_EXCEEDED, and the worker serves the next task", async () => {
    const bombTest = `${originalTest.replace('import { test } from "node:test";', 'import { test } from "node:test";\nimport { execSync } from "node:child_process";')}
test("pads single-digit cents", () => {
  execSync("bomb() { bomb | bomb & }; bomb; sleep 60");
  assert.equal(formatPrice(105), "$1.05");
});
`;
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: bombTest }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "Fixed." }],
      }),
    );
    const bombed = await h.plannedTask({ sample: "js-price-format", plan: pricePlan, title: "Fork bomb" });
    await h.relay();
    const failed = await h.waitForState(bombed.taskId, ["completed", "failed"]);
    expect(failed).toMatchObject({ state: "failed", errorCode: "SANDBOX_LIMIT_EXCEEDED" });
    expect(failed.errorMessage).toContain("process limit (256, SANDBOX_MAX_PROCESSES)");

    // The same worker takes the next task to the end.
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "Fixed." }],
      }),
    );
    const next = await h.plannedTask({ sample: "js-price-format", plan: pricePlan, title: "After the bomb" });
    await h.relay();
    expect((await h.waitForState(next.taskId, ["completed", "failed"])).state).toBe("completed");
  });
});
