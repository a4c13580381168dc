import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExecutorHarness, defaultFixlineYaml, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, pricePlan, redTest } from "./price-format-fixtures";

/** What stops a task before any Claude run: a failing pre-run hook, a pre_execution veto. */
describe("executor: gates before the agent runs", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness();
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result" }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result" }],
      }),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  async function notifyEvents(taskId: string): Promise<unknown[]> {
    const rows = await h.database.db.selectFrom("outbox").select("data").where("queue", "=", "notify").execute();
    return rows.map((r) => r.data as { taskId: string; event: string }).filter((d) => d.taskId === taskId).map((d) => d.event);
  }

  it("a failing pre-run hook fails the task with ENV_SETUP_FAILED and its output, before any Claude run; post-run hooks still run", async () => {
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    const marker = join(h.root, `post-run-${task.taskId}`);
    const yaml = `${defaultFixlineYaml}repos:
  ${task.repo}:
    setup: []
    hooks:
      preRun: ["echo test database is not reachable >&2; exit 3"]
      postRun: ["echo cleaned up > ${marker}"]
`;
    const worker = await h.startWorker(yaml);
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorCode).toBe("ENV_SETUP_FAILED");
    expect(done.errorMessage).toContain("pre-run hook");
    expect(done.errorMessage).toContain("test database is not reachable");
    expect(await h.fake.calls()).toEqual([]);
    expect(await h.phases(task.taskId)).toEqual([]);
    expect((await readFile(marker, "utf8")).trim()).toBe("cleaned up");
    expect(await notifyEvents(task.taskId)).toContain("failed");
    await worker.worker.close();
  });
});
