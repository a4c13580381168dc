import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobCatalog, setBreakerPolicy } from "@fixline/queue";
import { waitFor } from "@fixline/testing";
import { createExecutorHarness, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, pricePlan, redTest } from "./price-format-fixtures";

// Issue 20: Claude overloaded in the middle of an execution (after red is proven) pauses the job; when the API
// recovers the executor resumes at green from the red session, and nothing is committed, pushed or said twice.
describe("executor: an Anthropic outage mid-execution", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    setBreakerPolicy({ baseMs: 300, maxMs: 1_000 });
    h = await createExecutorHarness();
  });
  afterAll(async () => {
    setBreakerPolicy({ baseMs: 10_000, maxMs: 120_000 });
    await h?.close();
  });

  it("waits through more overloaded green runs than the job has attempts, then resumes at green and completes once", async () => {
    await h.fake.setScenario(scenario({ red: [{ type: "write", path: "test/price.test.js", content: redTest }, { type: "result", result: "The new test fails." }], green: [{ type: "api-error", status: 529 }] }));
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    await h.startWorker();
    await h.relay();
    const greenRuns = async () => (await h.fake.calls()).filter((call) => call.prompt.includes("STEP 2 of 2")).length;
    // The breaker is sampled while the outage lasts: its key outlives each short test pause by only seconds, so a
    // single look after the wait can miss it on a loaded machine (it was seen flaky that way).
    const seenOpen = new Set<string>();
    await waitFor(
      async () => {
        for (const b of await h.queues.breakers.states()) seenOpen.add(`${b.provider}:${b.code}`);
        return (await greenRuns()) > jobCatalog.execution.attempts;
      },
      { timeoutMs: 60_000, what: "more overloaded green runs than attempts" },
    );
    for (const b of await h.queues.breakers.states()) seenOpen.add(`${b.provider}:${b.code}`);
    expect([...seenOpen]).toEqual(["claude:CLAUDE_OVERLOADED"]);
    const paused = (await h.database.db.selectFrom("tasks").select(["state", "error_code"]).where("id", "=", task.taskId).executeTakeFirstOrThrow());
    expect(paused.state).toBe("executing");

    // The API recovers.
    await h.fake.setScenario(scenario({ red: [{ type: "text", text: "must not run" }, { type: "result" }], green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "Fixed." }] }));
    const done = await h.waitForState(task.taskId, ["completed", "failed"], 60_000);
    expect(done.state).toBe("completed");
    expect(done.errorCode).toBeNull();

    const calls = await h.fake.calls();
    // Red ran once; every green after the outage resumed the red session.
    expect(calls.filter((call) => call.prompt.includes("STEP 1 of 2"))).toHaveLength(1);
    expect(calls.at(-1)!.argv).toContain("--resume");
    // One red commit and one green commit on the branch, one PR, no failure comment, no duplicate comment.
    const log = await h.remoteLog(task);
    expect(log.filter((subject) => subject === "test: pads single-digit cents")).toHaveLength(1);
    expect(new Set(log).size).toBe(log.length);
    const bodies = h.prComments(task).map((c) => c.body);
    expect(bodies.some((body) => body.includes("could not finish"))).toBe(false);
    expect(new Set(bodies).size).toBe(bodies.length);
    expect(h.github.state.pulls.filter((p) => p.repo === task.repo)).toHaveLength(1);
    expect(await h.queues.breakers.states()).toEqual([]);
  });
});
