import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { QueueEvents } from "bullmq";
import { silentLogger } from "@fixline/core";
import { createJobQueues, createWorker, type JobData } from "@fixline/queue";
import { createTestRedis, waitFor, type TestRedis } from "@fixline/testing";

let r: TestRedis;
beforeAll(async () => {
  r = await createTestRedis();
});
afterAll(async () => {
  await r?.cleanup();
});

describe("createWorker (real Redis)", () => {
  it("hands the handler typed, parsed data and an AbortSignal", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: r.prefix });
    const seen: Array<JobData<"execution">> = [];
    const w = createWorker(
      "execution",
      async ({ data, signal }) => {
        expect(signal).toBeInstanceOf(AbortSignal);
        seen.push(data);
      },
      { connection: r.worker, prefix: r.prefix, logger: silentLogger() },
    );
    const taskId = randomUUID();
    const approvalId = randomUUID();
    await queues.enqueue("execution", { taskId, approvalId }, { jobId: "exec-1" });
    await waitFor(() => seen.length === 1, { what: "job handled" });
    expect(seen[0]).toEqual({ taskId, approvalId });
    await w.drain(1_000);
    await queues.close();
  });

  it("fails a job whose data breaks its schema at once, without retries", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: r.prefix });
    let calls = 0;
    const w = createWorker("planning", async () => void calls++, { connection: r.worker, prefix: r.prefix, logger: silentLogger() });
    // Bypass the typed producer to simulate a bad producer (or an old job after a schema change).
    await queues.queue("planning").add("planning", { taskId: "not-a-uuid" }, { jobId: "bad-1", attempts: 5 });
    const events = new QueueEvents("planning", { connection: r.worker.duplicate(), prefix: r.prefix });
    const job = await waitFor(async () => {
      const j = await queues.queue("planning").getJob("bad-1");
      return j && (await j.isFailed()) ? j : undefined;
    }, { what: "job failed" });
    expect(job.failedReason).toContain("JOB_DATA_INVALID");
    expect(job.attemptsMade).toBe(1);
    expect(calls).toBe(0);
    await events.close();
    await w.drain(1_000);
    await queues.close();
  });

  it("the typed producer refuses bad data before it reaches Redis", async () => {
    const queues = createJobQueues({ connection: r.producer, prefix: r.prefix });
    await expect(queues.enqueue("planning", { taskId: "nope" } as never, { jobId: "x" })).rejects.toMatchObject({ code: "JOB_DATA_INVALID" });
    await queues.close();
  });

  it("drains on SIGTERM: stops taking jobs and finishes the running one within the grace period", async () => {
    const prefix = `${r.prefix}-drain`;
    const queues = createJobQueues({ connection: r.producer, prefix });
    // Run node directly (not through npx) so SIGTERM reaches the worker process itself.
    const child = execa(process.execPath, ["--import", "tsx", "shared/queue/test/worker-fixture.ts"], {
      env: { REDIS_URL: r.url, PREFIX: prefix, JOB_MS: "1500", GRACE_MS: "5000" },
      timeout: 30_000,
      reject: false,
    });
    let out = "";
    child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    await waitFor(() => out.includes("ready"), { what: "worker ready", timeoutMs: 20_000 });
    const first = randomUUID();
    const second = randomUUID();
    await queues.enqueue("planning", { taskId: first }, { jobId: "drain-1" });
    await waitFor(() => out.includes(`started ${first}`), { what: "first job started" });
    await queues.enqueue("planning", { taskId: second }, { jobId: "drain-2" });
    child.kill("SIGTERM");
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(out).toContain(`finished ${first}`);
    expect(out).toContain("drained");
    expect(out).not.toContain(`started ${second}`);
    expect(await (await queues.queue("planning").getJob("drain-2"))?.getState()).toBe("waiting");
    await queues.close();
  });
});
