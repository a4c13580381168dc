import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { listTaskEvents } from "@fixline/db";
import { jobCatalog, setBreakerPolicy } from "@fixline/queue";
import { waitFor, type FakeClaudeRun } from "@fixline/testing";
import { buildApp } from "@fixline/webhook-server";
import type { FastifyInstance } from "fastify";
import { createHarness, type Harness } from "./harness";
import { shopPlan, writesPlan } from "./plans";

// Issue 20: an Anthropic outage pauses planning instead of failing the task. The fake CLI answers exactly what
// the real one prints for a 529 (an is_error result with api_error_status and terminal_reason api_error) for
// more runs than the planning job has attempts, then recovers.
const token = "outage-operator-token";
const overloaded: FakeClaudeRun = { steps: [{ type: "api-error", status: 529 }] };
const outageRuns = jobCatalog.planning.attempts + 1;

let h: Harness;
let app: FastifyInstance;
beforeAll(async () => {
  // Short pauses so the test recovers quickly; production defaults are 10 s doubling to 2 min.
  setBreakerPolicy({ baseMs: 300, maxMs: 1_500 });
  h = await createHarness({ runs: [...Array.from({ length: outageRuns }, () => overloaded), { steps: writesPlan(shopPlan()) }] }, { env: { FIXLINE_API_TOKEN: token } });
  await h.addRepo("shop");
  app = await buildApp({ config: h.config, db: h.database.db, redis: h.redis.producer, queues: h.queues, logger: silentLogger(), checkPermission: async () => "write" });
});
afterAll(async () => {
  setBreakerPolicy({ baseMs: 10_000, maxMs: 120_000 });
  await app?.close();
  await h?.close();
});

const metricsText = async () => (await app.inject({ method: "GET", url: "/metrics" })).body;
const status = async () => (await app.inject({ method: "GET", url: "/api/status", headers: { authorization: `Bearer ${token}` } })).json() as { breakers: Array<{ provider: string; status: string; code: string; failures: number }> };

describe("a Claude outage pauses planning, never fails it (issue 20)", () => {
  it("keeps the task waiting through more 529s than it has attempts, shows the open breaker, and resumes once Claude answers", async () => {
    const taskId = await h.sentryTask("outage-1");

    // While Claude is overloaded: the breaker is open in /metrics and /api/status, and the task has not failed.
    const open = await waitFor(async () => {
      const s = await status();
      return s.breakers.find((b) => b.provider === "claude");
    }, { what: "the claude breaker to open", timeoutMs: 30_000 });
    expect(open.code).toBe("CLAUDE_OVERLOADED");
    expect(await metricsText()).toMatch(/^ai_agent_circuit_open\{provider="claude"\} 1$/m);

    const task = await h.waitForState(taskId, "awaiting_approval", 60_000);
    expect(task.errorCode).toBeNull();
    const recoveredAt = Date.now();

    // Every overloaded run happened, then the one that worked; none of them was billed as a failed attempt.
    const calls = await h.fake.calls();
    expect(calls).toHaveLength(outageRuns + 1);
    const events = await listTaskEvents(h.database.db, taskId);
    expect(events.map((e) => e.toState)).not.toContain("failed");
    const jobs = await h.queues.queue("planning").getJobs(["completed", "failed"]);
    const job = jobs.find((j) => (j.data as { taskId: string }).taskId === taskId);
    expect(await job?.getState()).toBe("completed");
    expect(job?.attemptsMade ?? 99).toBeLessThan(jobCatalog.planning.attempts);

    // One draft PR and no duplicate comment or message although the job ran outageRuns + 1 times.
    expect(h.github.state.pulls.filter((p) => p.repo === "acme/shop")).toHaveLength(1);
    const bodies = h.github.state.comments.filter((c) => c.repo === "acme/shop").map((c) => c.body);
    expect(new Set(bodies).size).toBe(bodies.length);

    // The success closed the breaker: /metrics and /api/status say so.
    expect((await status()).breakers).toEqual([]);
    expect(await metricsText()).toMatch(/^ai_agent_circuit_open\{provider="claude"\} 0$/m);
    // Measured, not asserted (no timing assertions): how long the task took after its last outage run.
    console.info(`planning-outage: recovered ${Date.now() - recoveredAt} ms after awaiting_approval; ${outageRuns} overloaded runs paused, 0 failed`);
  });

  it("waits out GitHub secondary rate limits (Retry-After), pauses on the github breaker when they persist, and opens one PR", async () => {
    const failedBefore = (await h.database.db.selectFrom("tasks").select("id").where("state", "=", "failed").execute()).length;
    const requestsBefore = h.github.received.length;
    // Six limited answers in a row: more than octokit's two waits per call, so the github breaker opens too.
    h.github.failNext(403, 6);
    const taskId = await h.sentryTask("outage-2");
    const task = await h.waitForState(taskId, "awaiting_approval", 60_000);
    expect(task.errorCode).toBeNull();
    expect(h.github.received.length - requestsBefore).toBeGreaterThan(6);
    const events = await listTaskEvents(h.database.db, taskId);
    expect(events.map((e) => e.toState)).not.toContain("failed");
    expect((await h.database.db.selectFrom("tasks").select("id").where("state", "=", "failed").execute()).length).toBe(failedBefore);
    // One PR for this task's branch, no duplicate comment anywhere.
    expect(h.github.state.pulls.filter((p) => p.repo === "acme/shop" && p.head === task.branch)).toHaveLength(1);
    const bodies = h.github.state.comments.filter((c) => c.repo === "acme/shop").map((c) => c.body);
    expect(new Set(bodies).size).toBe(bodies.length);
    expect((await status()).breakers.filter((b) => b.provider === "github" && b.status === "open")).toEqual([]);
  });
});
