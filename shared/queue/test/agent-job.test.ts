import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { FixlineError, silentLogger } from "@fixline/core";
import { acquireLock, createAgentWorker, publishCancellation, runAgentJob, type AgentJob } from "@fixline/queue";
import { createTestRedis, waitFor, type TestRedis } from "@fixline/testing";

let r: TestRedis;
beforeAll(async () => {
  r = await createTestRedis();
});
afterAll(async () => {
  await r?.cleanup();
});

/** A job spec whose every hook is recorded; `state` is what readState answers. */
function recordedJob(overrides: Partial<AgentJob<string>> & { state?: () => string | undefined } = {}) {
  const calls = { run: 0, fail: [] as string[], busy: 0, stepAside: [] as Array<{ state: string | undefined; aborted: boolean }>, cleanup: 0 };
  const job: AgentJob<string> = {
    name: "planning",
    signal: new AbortController().signal,
    finalAttempt: true,
    logger: silentLogger(),
    lock: { redis: r.producer, key: `${r.prefix}:lock:test:${randomUUID()}`, owner: "job:1" },
    states: ["received", "planning"],
    readState: async () => (overrides.state ? overrides.state() : "planning"),
    busy: async () => {
      calls.busy++;
      return "busy";
    },
    run: async () => {
      calls.run++;
      return "done";
    },
    stepAside: (why) => {
      calls.stepAside.push({ state: why.state, aborted: why.aborted });
      return "stepped aside";
    },
    fail: async (error) => {
      calls.fail.push(error.code);
      return "failed";
    },
    cleanup: async () => {
      calls.cleanup++;
    },
    ...overrides,
  };
  return { job, calls };
}

describe("acquireLock (real Redis)", () => {
  it("renews the lock past its initial TTL while held, and frees it on release", async () => {
    const key = `${r.prefix}:lock:renew`;
    const control = `${r.prefix}:lock:control`;
    const lock = await acquireLock(r.producer, key, "job:a", { ttlMs: 300, renewEveryMs: 100 });
    expect(lock).toBeDefined();
    // The same TTL without renewal: proves the wait below outlives an unrenewed key.
    await r.producer.set(control, "unrenewed", "PX", 300);
    await waitFor(async () => (await r.producer.exists(control)) === 0, { what: "the unrenewed key expired" });
    await sleep(600);
    expect(await r.producer.get(key)).toBe("job:a");
    expect(await r.producer.pttl(key)).toBeGreaterThan(0);
    await lock!.release();
    expect(await r.producer.exists(key)).toBe(0);
  });

  it("refuses another owner while held, lets the same owner take it over, and never renews or frees someone else's", async () => {
    const key = `${r.prefix}:lock:owners`;
    const first = await acquireLock(r.producer, key, "job:first", { ttlMs: 5_000 });
    expect(first).toBeDefined();
    expect(await acquireLock(r.producer, key, "job:other", { ttlMs: 5_000 })).toBeUndefined();
    // The same job, recovered by another worker after its first worker died, takes its own lock over.
    const recovered = await acquireLock(r.producer, key, "job:first", { ttlMs: 5_000 });
    expect(recovered).toBeDefined();
    await recovered!.release();
    await first!.release();

    const short = await acquireLock(r.producer, key, "job:old", { ttlMs: 300, renewEveryMs: 100 });
    // The key now belongs to someone else (the old holder's lock lapsed and was taken): renewals must not touch it.
    await r.producer.set(key, "job:new", "PX", 200);
    await waitFor(async () => (await r.producer.exists(key)) === 0, { what: "the new holder's key expired" });
    await short!.release();
    await r.producer.set(key, "job:newer", "PX", 5_000);
    await short!.release();
    expect(await r.producer.get(key)).toBe("job:newer");
  });
});

describe("runAgentJob", () => {
  it("steps aside, without running, when another job holds the lock", async () => {
    const { job, calls } = recordedJob();
    const other = await acquireLock(r.producer, job.lock.key, "job:other");
    expect(await runAgentJob(job)).toBe("busy");
    expect(calls.run).toBe(0);
    await other!.release();
    expect(await runAgentJob(job)).toBe("done");
    expect(calls).toMatchObject({ run: 1, fail: [], cleanup: 1 });
    expect(await r.producer.exists(job.lock.key)).toBe(0);
  });

  it("retries a retryable error while attempts remain and fails a final one", async () => {
    const transient = new FixlineError("CLONE_FAILED", "clone failed", { retryable: true });
    const early = recordedJob({ finalAttempt: false, run: async () => Promise.reject(transient) });
    await expect(runAgentJob(early.job)).rejects.toBe(transient);
    expect(early.calls.fail).toEqual([]);

    const last = recordedJob({ finalAttempt: true, run: async () => Promise.reject(transient) });
    expect(await runAgentJob(last.job)).toBe("failed");
    expect(last.calls.fail).toEqual(["CLONE_FAILED"]);
    // Cleanup runs after the fail transition, and the lock is gone.
    expect(last.calls.cleanup).toBe(1);
    expect(await r.producer.exists(last.job.lock.key)).toBe(0);

    const final = recordedJob({ finalAttempt: false, run: async () => Promise.reject(new FixlineError("PLAN_INVALID", "no plan")) });
    expect(await runAgentJob(final.job)).toBe("failed");
    expect(final.calls.fail).toEqual(["PLAN_INVALID"]);
  });

  it("never fails a task for an outage, even on the last attempt", async () => {
    const outage = new FixlineError("CLAUDE_OVERLOADED", "overloaded", { retryable: true });
    const { job, calls } = recordedJob({ finalAttempt: true, run: async () => Promise.reject(outage) });
    await expect(runAgentJob(job)).rejects.toBe(outage);
    expect(calls.fail).toEqual([]);
  });

  it("an aborted job goes back to the queue as interrupted when its task still needs it, and steps aside when it moved on", async () => {
    const controller = new AbortController();
    const run = async () => {
      controller.abort(new Error("worker shutting down"));
      throw new FixlineError("CLAUDE_CANCELLED", "stopped");
    };
    const shutdown = recordedJob({ signal: controller.signal, run });
    await expect(runAgentJob(shutdown.job)).rejects.toMatchObject({ code: "INTERNAL", retryable: true });
    expect(shutdown.calls.fail).toEqual([]);

    const cancelled = recordedJob({ signal: controller.signal, run, state: () => "cancelled" });
    expect(await runAgentJob(cancelled.job)).toBe("stepped aside");
    expect(cancelled.calls.stepAside).toEqual([{ state: "cancelled", aborted: true }]);
    expect(cancelled.calls.fail).toEqual([]);

    // Not aborted, but planned or failed elsewhere meanwhile: the error is not this job's to report.
    const movedOn = recordedJob({ run: async () => Promise.reject(new FixlineError("PLAN_INVALID", "x")), state: () => "awaiting_approval" });
    expect(await runAgentJob(movedOn.job)).toBe("stepped aside");
    expect(movedOn.calls.stepAside).toEqual([{ state: "awaiting_approval", aborted: false }]);
    expect(movedOn.calls.fail).toEqual([]);
  });
});

describe("createAgentWorker (real Redis and BullMQ)", () => {
  it("a cancellation published on the channel stops the running job, which ends quietly", async () => {
    const taskId = randomUUID();
    let state = "planning";
    let started = false;
    const outcomes: string[] = [];
    const worker = createAgentWorker(
      "planning",
      async ({ data, signal, jobId, finalAttempt, logger }) => {
        const result = await runAgentJob<string>({
          ...recordedJob().job,
          signal,
          finalAttempt,
          logger,
          lock: { redis: r.producer, key: `${r.prefix}:lock:task:${data.taskId}`, owner: `job:${jobId}` },
          readState: async () => state,
          run: async () => {
            started = true;
            await new Promise<void>((_, reject) => signal.addEventListener("abort", () => reject(new FixlineError("CLAUDE_CANCELLED", "stopped")), { once: true }));
            return "finished";
          },
        });
        outcomes.push(result);
        return result;
      },
      { connection: r.worker, prefix: r.prefix, logger: silentLogger() },
    );
    const queue = new Queue("planning", { connection: r.producer, prefix: r.prefix });
    await queue.add("planning", { taskId }, { jobId: "cancel-me" });
    await waitFor(() => started, { what: "the job started" });
    // What the command side does for `@agent cancel`: move the task, then publish the id.
    state = "cancelled";
    // The subscription is made in the background; publish until the running job hears it.
    await waitFor(
      async () => {
        await publishCancellation(r.producer, taskId);
        return outcomes.length > 0;
      },
      { what: "the cancelled job ended" },
    );
    expect(outcomes).toEqual(["stepped aside"]);
    await waitFor(async () => (await queue.getJobState("cancel-me")) === "completed", { what: "the job completed" });
    await worker.drain(1_000);
    await queue.close();
  });

  it("a retryable error is retried by BullMQ and the last attempt runs the fail transition once", async () => {
    const taskId = randomUUID();
    const attempts: boolean[] = [];
    const failed: string[] = [];
    const worker = createAgentWorker(
      "planning",
      async ({ signal, jobId, finalAttempt, logger }) =>
        runAgentJob<string>({
          ...recordedJob().job,
          signal,
          finalAttempt,
          logger,
          lock: { redis: r.producer, key: `${r.prefix}:lock:task:${taskId}`, owner: `job:${jobId}` },
          run: async () => {
            attempts.push(finalAttempt);
            throw new FixlineError("CLONE_FAILED", "the remote hung up", { retryable: true });
          },
          fail: async (error) => {
            failed.push(error.code);
            // The planner's shape: the task is failed, and the job too, without further retries.
            throw new FixlineError(error.code, error.message, { retryable: false });
          },
        }),
      { connection: r.worker, prefix: r.prefix, logger: silentLogger() },
    );
    const queue = new Queue("planning", { connection: r.producer, prefix: r.prefix });
    await queue.add("planning", { taskId }, { jobId: "retry-me", attempts: 3, backoff: { type: "fixed", delay: 10 } });
    await waitFor(async () => (await queue.getJobState("retry-me")) === "failed", { what: "the job failed for good" });
    expect(attempts).toEqual([false, false, true]);
    expect(failed).toEqual(["CLONE_FAILED"]);
    await worker.drain(1_000);
    await queue.close();
  });
});
