import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testGit } from "@fixline/testing";
import { createExecutorHarness, scenario, type ExecutorHarness } from "./executor-harness";
import { fixedSource, originalTest, pricePlan } from "./price-format-fixtures";

/**
 * Issue 14, item 6, the red-phase attack: the agent's test reads what it can find of the worker's secrets at
 * run time and puts it in its failure message, which Fixline publishes as red evidence. And a commit that
 * holds a configured secret is not pushed at all: SECRET_IN_OUTPUT, naming the file, never the value.
 */
const planted = {
  GITHUB_TOKEN: "ghp_executor_test",
  SLACK_BOT_TOKEN: "xoxb-executor-planted-0000",
  DATABASE_URL: "postgres://fixline:Exec-Pa55word-planted@127.0.0.1:5432/fixline",
  FIXLINE_API_TOKEN: "api-token-executor-planted",
  ANTHROPIC_API_KEY: "sk-ant-test",
};
const secrets = [...Object.values(planted), "Exec-Pa55word-planted"];
const leaks = (text: string) => secrets.filter((secret) => text.includes(secret));

describe("executor: nothing secret leaves", () => {
  let h: ExecutorHarness;
  beforeAll(async () => {
    h = await createExecutorHarness({ env: { SLACK_BOT_TOKEN: planted.SLACK_BOT_TOKEN, DATABASE_URL: planted.DATABASE_URL, FIXLINE_API_TOKEN: planted.FIXLINE_API_TOKEN } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("publishes red evidence whose failure message held the secrets with every value [redacted]", async () => {
    // What a test reading /proc/<worker>/environ would find. The sandbox keeps the real thing out of reach
    // (sandbox-attacks.test.ts), so the values travel in the test itself, reversed: no committed file holds
    // them as they are (the push check would refuse it), but the failure message the harness publishes does.
    const loot = Object.entries(planted).map(([k, v]) => `${k}=${v}`).join("\n");
    const stealingTest = `${originalTest}
const stolen = ${JSON.stringify([...loot].reverse().join(""))};
test("pads single-digit cents", () => {
  assert.equal(formatPrice(105), "$1.05", "environment: " + [...stolen].reverse().join(""));
});
`;
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: stealingTest }, { type: "text", text: `found ${planted.DATABASE_URL}` }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: `Fixed; token ${planted.FIXLINE_API_TOKEN}` }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan });
    await h.startWorker();
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.errorMessage).toBeNull();
    expect(done.state).toBe("completed");

    const pr = h.github.state.pulls.find((p) => p.repo === task.repo && p.number === task.prNumber)!;
    expect(pr.body).toContain("### Evidence");
    const sent = JSON.stringify(h.github.received.map((r) => [r.path, r.query, r.body]));
    // The failure message did reach the evidence; only its values are gone.
    expect(sent).toContain("environment: ");
    expect(sent).toContain("[redacted]");
    expect(leaks(sent)).toEqual([]);
    expect(leaks(JSON.stringify(done.evidence))).not.toEqual([]); // the record stays as it was; only what leaves is redacted

    const transcriptDir = join(h.root, "transcripts", task.taskId);
    // Transcript files only: the sandbox keeps each task's Claude config directory beside them.
    const files = (await readdir(transcriptDir, { withFileTypes: true })).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(0);
    const transcripts = (await Promise.all(files.map((f) => readFile(join(transcriptDir, f.name), "utf8")))).join("");
    expect(transcripts).toContain("found ");
    expect(leaks(transcripts)).toEqual([]);
    const stream = await h.redis.worker.xrange(`task:${task.taskId}:output`, "-", "+");
    expect(JSON.stringify(stream)).toContain("environment: ");
    expect(leaks(JSON.stringify(stream))).toEqual([]);
  });

  it("does not push a commit whose files hold a configured secret: SECRET_IN_OUTPUT names the file, not the value", async () => {
    const leakingTest = `${originalTest}
// the agent's souvenir: ${planted.GITHUB_TOKEN}
test("pads single-digit cents", () => {
  assert.equal(formatPrice(105), "$1.05");
});
`;
    await h.fake.setScenario(
      scenario({
        red: [{ type: "write", path: "test/price.test.js", content: leakingTest }, { type: "result", result: "The new test fails." }],
        green: [{ type: "write", path: "src/price.js", content: fixedSource }, { type: "result", result: "Fixed." }],
      }),
    );
    const task = await h.plannedTask({ sample: "js-price-format", plan: pricePlan, title: "Price formatting bug, again" });
    await h.relay();
    const done = await h.waitForState(task.taskId, ["completed", "failed"]);
    expect(done.state).toBe("failed");
    expect(done.errorCode).toBe("SECRET_IN_OUTPUT");
    expect(done.errorMessage).toContain("test/price.test.js");
    expect(leaks(done.errorMessage ?? "")).toEqual([]);

    // Nothing of the agent's reached the remote: the branch still ends at the plan commit.
    const tip = (await testGit(["rev-parse", task.branch], task.remotePath)).trim();
    expect(tip).toBe(task.planSha);
    const comments = h.github.state.comments.filter((c) => c.repo === task.repo && c.issueNumber === task.prNumber);
    expect(comments.some((c) => c.body.includes("SECRET_IN_OUTPUT") && c.body.includes("test/price.test.js"))).toBe(true);
    expect(leaks(JSON.stringify(h.github.received.map((r) => [r.path, r.body])))).toEqual([]);
  });
});
