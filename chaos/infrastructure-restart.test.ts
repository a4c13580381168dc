import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@fixline/testing";
import { approver, createChaosWorld, webhookSecret, type ChaosWorld } from "./support/chaos-world";
import { freePort } from "./support/free-port";
import type { FixlineProcess } from "./support/fixline-process";
import { approveComment, labelledIssue, postDelivery, signedGitHubDelivery, type Delivery } from "./support/github-deliveries";
import { startPostgresInstance, type PostgresInstance } from "./support/postgres-instance";
import { shopScenario } from "./support/shop-fixtures";

const knobs = { QUEUE_LOCK_DURATION_MS: "3000", QUEUE_STALLED_INTERVAL_MS: "1500", EXECUTOR_CONCURRENCY: "2", PLANNER_CONCURRENCY: "2" };

interface Flow {
  world: ChaosWorld;
  fixline: FixlineProcess;
  url: string;
  repos: string[];
}

async function startFlow(world: ChaosWorld, repoCount: number): Promise<Flow> {
  const repos: string[] = [];
  for (let i = 0; i < repoCount; i++) repos.push(await world.addRepo(`restart-${i}`));
  const port = await freePort();
  const fixline = await world.start("all", { ...knobs, PORT: String(port) });
  return { world, fixline, url: `http://127.0.0.1:${port}`, repos };
}

async function taskIdFor(world: ChaosWorld, repo: string): Promise<string> {
  return waitFor(async () => (await world.db.selectFrom("tasks").select("id").where("repo", "=", repo).executeTakeFirst())?.id, { timeoutMs: 30_000, what: `a task on ${repo}` });
}

/** Approves every task's plan with an `@agent approve` comment and waits until every task is completed, once. */
async function approveAndFinish(flow: Flow): Promise<void> {
  for (const repo of flow.repos) {
    const taskId = await taskIdFor(flow.world, repo);
    const planned = await flow.world.waitForState(taskId, ["awaiting_approval"], 120_000);
    const answer = await postDelivery(flow.url, signedGitHubDelivery(webhookSecret, "issue_comment", approveComment(repo, planned.prNumber!, approver)));
    expect(answer.status).toBe(200);
  }
  for (const repo of flow.repos) {
    const taskId = await taskIdFor(flow.world, repo);
    const final = await flow.world.waitForState(taskId, ["completed", "failed", "cancelled"], 120_000);
    expect({ repo, state: final.state, error: final.errorCode }).toEqual({ repo, state: "completed", error: null });
    expect(flow.world.pullsFor(repo)).toHaveLength(1);
    const log = await flow.world.remoteLog(repo, final.branch!);
    const count = (prefix: string) => log.filter((s) => s.startsWith(prefix)).length;
    // The planner's one PLAN.md commit, the proven red test, the fix: nothing twice.
    expect({ repo, plan: count("fixline: plan for"), test: count("test:"), fix: count("fix:"), total: log.length }).toEqual({ repo, plan: 1, test: 1, fix: 1, total: 4 });
  }
  const tasks = await flow.world.db.selectFrom("tasks").select("id").execute();
  expect(tasks).toHaveLength(flow.repos.length);
  await waitFor(async () => (await flow.world.pendingOutbox()) === 0, { timeoutMs: 30_000, what: "the outbox to drain" });
  expect(flow.fixline.alive()).toBe(true);
  expect(await flow.world.claudeProcesses()).toEqual([]);
}

function issueDelivery(repo: string, number: number): Delivery {
  return signedGitHubDelivery(webhookSecret, "issues", labelledIssue(repo, number));
}

describe("chaos: Redis and Postgres restarted mid-flow", () => {
  let world: ChaosWorld | undefined;
  let postgres: PostgresInstance | undefined;
  let pgDir: string | undefined;
  afterEach(async () => {
    await world?.close();
    await postgres?.stop();
    if (pgDir) await rm(pgDir, { recursive: true, force: true });
    world = undefined;
    postgres = undefined;
    pgDir = undefined;
  });

  it("Redis crashes while Claude plans: webhooks still answered 2xx, every task completes once after the restart", async () => {
    const started = Date.now();
    world = await createChaosWorld({ scenario: shopScenario(2_000), persistentRedis: true });
    const flow = await startFlow(world, 3);
    expect((await postDelivery(flow.url, issueDelivery(flow.repos[0]!, 1))).status).toBe(200);
    await waitFor(async () => (await world!.fake.calls()).length > 0, { timeoutMs: 180_000, what: "Claude to start planning" });

    await world.redis.stop();
    const during = await Promise.all(flow.repos.slice(1).map((repo, i) => postDelivery(flow.url, issueDelivery(repo, i + 2))));
    expect(during.map((r) => r.status)).toEqual([200, 200]);
    const outageMs = 3_000;
    await new Promise((r) => setTimeout(r, outageMs)); // the outage itself: nothing to wait for but time
    await world.redis.start();

    await approveAndFinish(flow);
    console.log(`[chaos] Redis restart: ${flow.repos.length} tasks completed once; ${Math.round((Date.now() - started) / 1000)} s`);
  });

  it("Postgres stops while Claude plans: webhooks answered 503 with Retry-After, the same delivery accepted after, every task completes once", async () => {
    const started = Date.now();
    pgDir = await mkdtemp(join(tmpdir(), "fixline-chaos-pg-"));
    postgres = await startPostgresInstance({ dir: pgDir });
    world = await createChaosWorld({ scenario: shopScenario(2_000), postgresUrl: postgres.url });
    const flow = await startFlow(world, 2);
    expect((await postDelivery(flow.url, issueDelivery(flow.repos[0]!, 1))).status).toBe(200);
    await waitFor(async () => (await world!.fake.calls()).length > 0, { timeoutMs: 180_000, what: "Claude to start planning" });

    await postgres.stop();
    const delivery = issueDelivery(flow.repos[1]!, 2);
    const during = await postDelivery(flow.url, delivery);
    expect(during.status).toBe(503);
    expect(Number(during.headers.get("retry-after"))).toBeGreaterThan(0);
    await postgres.start();
    // The sender retries the same delivery; once the pool has reconnected it is recorded, once.
    const after = await waitFor(async () => {
      const answer = await postDelivery(flow.url, delivery);
      return answer.status === 200 ? answer : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, what: "the re-sent delivery to be accepted" });
    expect(JSON.parse(after.body)).toMatchObject({ outcome: "created" });
    expect(JSON.parse((await postDelivery(flow.url, delivery)).body)).toMatchObject({ outcome: "duplicate" });

    await approveAndFinish(flow);
    console.log(`[chaos] Postgres restart: ${flow.repos.length} tasks completed once; ${Math.round((Date.now() - started) / 1000)} s`);
  });
});
