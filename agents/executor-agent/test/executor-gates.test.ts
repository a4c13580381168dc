import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskOutputKey } from "@fixline/environments";
import { waitFor } from "@fixline/testing";
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
    // The post-run hook is sandboxed too (it can write only the worktree, which is removed after a failure), so it
    // proves it ran through its output in the task's live log.
    const marker = `post-run-${task.taskId}`;
    const yaml = `${defaultFixlineYaml}repos:
  ${task.repo}:
    setup: []
    hooks:
      preRun: ["echo test database is not reachable >&2; exit 3"]
      postRun: ["echo cleaned up ${marker}"]
`;
    const worker = await h.startWorker(yaml);
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorCode).toBe("ENV_SETUP_FAILED");
    expect(done.errorMessage).toContain("pre-run hook");
    expect(done.errorMessage).toContain("test database is not reachable");
    expect(await h.fake.calls()).toEqual([]);
    expect(await h.phases(task.taskId)).toEqual([]);
    // The hook's live lines are flushed when it ends, which may be just after the task is marked failed.
    const live = await waitFor(async () => {
      const lines = (await h.redis.worker.xrange(taskOutputKey(task.taskId), "-", "+")).map(([, fields]) => fields.join(" "));
      return lines.some((line) => line.includes(`cleaned up ${marker}`)) ? lines : undefined;
    }, { what: "the post-run hook's output in the live log", timeoutMs: 10_000 });
    expect(live.some((line) => line.includes(`cleaned up ${marker}`))).toBe(true);
    expect(await notifyEvents(task.taskId)).toContain("failed");
    await worker.worker.close();
  });

  it("a pre_execution hook that vetoes fails the task with HOOK_VETOED and its reason, before any workspace or Claude run", async () => {
    const received: Array<{ event: string | undefined; body: { event: string; task: { id: string; state: string } } }> = [];
    const receiver: Server = createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => (text += chunk.toString()));
      request.on("end", () => {
        received.push({ event: request.headers["x-fixline-event"] as string | undefined, body: JSON.parse(text) as (typeof received)[number]["body"] });
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ allow: false, reason: "change freeze" }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/gate`;
      const callsBefore = (await h.fake.calls()).length;
      const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
      const worker = await h.startWorker(`${defaultFixlineYaml}hooks:\n  - name: gate\n    url: ${url}\n    events: [pre_execution]\n`);
      await h.relay();
      const done = await h.waitForState(task.taskId, ["completed", "failed"]);
      expect(done.errorCode).toBe("HOOK_VETOED");
      expect(done.errorMessage).toBe("pre_execution hook gate vetoed: change freeze");
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ event: "pre_execution", body: { event: "pre_execution", task: { id: task.taskId, state: "executing" } } });
      expect((await h.fake.calls()).length).toBe(callsBefore);
      expect(await h.phases(task.taskId)).toEqual([]);
      expect(existsSync(h.workspaces.pathFor(task.taskId))).toBe(false);
      expect(await notifyEvents(task.taskId)).toContain("failed");
      // The reason is on the PR for the people who approved it.
      const comments = h.github.state.comments.filter((c) => c.repo === task.repo && c.issueNumber === task.prNumber);
      expect(comments.map((c) => c.body).join("\n")).toContain("change freeze");
      await worker.worker.close();
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
