import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { createJobQueues, createPoolWaitCheck, createRedis, createWorker, type FixlineWorker, type QueueName } from "@fixline/queue";
import { createTestDatabase, createTestRedis, waitFor, type TestDatabase, type TestRedis } from "@fixline/testing";
import { countPendingOutbox, ingestSignal, insertOutboxJobs, startOutboxRelay } from "@fixline/db";

// Issue 20: a repository's pool decides which workers plan and execute it.
const pools: Record<string, string> = { "acme/web": "default", "acme/py": "python", "acme/php": "php" };
const poolOf = (repo: string) => pools[repo] ?? "default";

let t: TestDatabase;
let r: TestRedis;
beforeAll(async () => {
  t = await createTestDatabase();
  r = await createTestRedis();
});
afterAll(async () => {
  await r?.cleanup();
  await t?.destroy();
});

async function createTask(repo: string): Promise<string> {
  const tag = randomUUID();
  const res = await ingestSignal(t.db, { delivery: { source: "sentry", deliveryId: tag, event: "issue.created" }, source: "sentry", sourceKey: `sentry:${tag}`, repo, title: `bug in ${repo}`, context: {} });
  return res.taskId!;
}

describe("pools (real Postgres + Redis)", () => {
  it("sends each task's planning and execution jobs to its pool's workers only, and says why a pool without a worker waits", async () => {
    const seen: Array<{ worker: string; queue: QueueName; taskId: string }> = [];
    const workers: FixlineWorker[] = [];
    const connections: ReturnType<typeof createRedis>[] = [];
    // Two "executor processes", one per pool, each with its own Redis connection as separate processes would have.
    for (const pool of ["default", "python"]) {
      const connection = createRedis(r.url, "worker");
      connections.push(connection);
      for (const queue of ["planning", "execution"] as const) {
        workers.push(
          createWorker(
            queue,
            async ({ data }) => {
              seen.push({ worker: pool, queue, taskId: data.taskId });
            },
            { connection, prefix: r.prefix, logger: silentLogger(), pool },
          ),
        );
      }
    }
    const queues = createJobQueues({ connection: r.producer, prefix: r.prefix });
    const relay = startOutboxRelay({ db: t.db, queues, logger: silentLogger(), pollMs: 50, poolOf });
    try {
      const web = await createTask("acme/web");
      const py = await createTask("acme/py");
      const php = await createTask("acme/php");
      await insertOutboxJobs(t.db, [web, py, php].map((taskId) => ({ queue: "execution" as const, data: { taskId, approvalId: randomUUID() } })));
      await waitFor(() => seen.length >= 4 && (async () => (await countPendingOutbox(t.db)) === 0)(), { what: "the web and py jobs ran and the outbox drained" });

      const ranOn = (taskId: string) => seen.filter((s) => s.taskId === taskId).map((s) => `${s.worker}/${s.queue}`).sort();
      expect(ranOn(web)).toEqual(["default/execution", "default/planning"]);
      expect(ranOn(py)).toEqual(["python/execution", "python/planning"]);
      expect(ranOn(php)).toEqual([]);
      // The php jobs are in their pool's queues, not lost and not on the shared ones.
      expect((await queues.queue("planning", "php").getJobs(["waiting"])).map((j) => (j.data as { taskId: string }).taskId)).toEqual([php]);
      expect((await queues.queue("execution", "php").getJobs(["waiting"])).map((j) => (j.data as { taskId: string }).taskId)).toEqual([php]);
      expect(queues.queue("execution", "php").name).toBe("execution.php");
      expect(queues.queue("execution", "default").name).toBe("execution");
      expect(queues.queue("notify", "php").name).toBe("notify");

      const waits = createPoolWaitCheck(queues, poolOf, 0);
      expect(await waits.reason({ state: "received", repo: "acme/php" })).toMatch(/^waiting for a `php` planner: .*fixline start --role planner --pool php/);
      expect(await waits.reason({ state: "approved", repo: "acme/php" })).toMatch(/^waiting for a `php` executor: no worker takes the execution\.php queue/);
      expect(await waits.reason({ state: "approved", repo: "acme/py" })).toBeNull();
      expect(await waits.reason({ state: "received", repo: "acme/web" })).toBeNull();
      // A task that is running or done waits on no queue.
      expect(await waits.reason({ state: "executing", repo: "acme/php" })).toBeNull();

      // When the python workers go away, their pool's tasks say so too.
      await Promise.all(workers.slice(2).map((w) => w.drain(1_000)));
      expect(await waits.reason({ state: "approved", repo: "acme/py" })).toMatch(/^waiting for a `python` executor/);
    } finally {
      await relay.stop();
      await Promise.all(workers.map((w) => w.drain(1_000)));
      for (const c of connections) c.disconnect();
      await queues.close();
    }
  });
});
