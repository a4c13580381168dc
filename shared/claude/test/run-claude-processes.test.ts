import { readFile, stat } from "node:fs/promises";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAgentRuns } from "@fixline/db";
import { runClaude } from "../src/index";
import { fakeScenarios, sandboxedProcessAlive, waitFor } from "@fixline/testing";
import { createHarness, type Harness } from "./harness";

/** The stubborn child (an MCP server ignoring SIGTERM) and the fake CLI, found by pid inside or outside the sandbox. */
const childAlive = (pid: number) => sandboxedProcessAlive(pid, "process.on('SIGTERM'");

async function readPid(path: string): Promise<number> {
  return waitFor(async () => Number(await readFile(path, "utf8")) || undefined, { what: `a pid in ${path}`, timeoutMs: 10_000 });
}

describe("runClaude process control", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(fakeScenarios.hang());
  });
  afterAll(async () => {
    await h.close();
  });

  it("on timeout kills the whole group, SIGTERM-ignoring grandchild included", async () => {
    const pidFile = join(h.fake.dir, "timeout-child.pid");
    await h.fake.setScenario(fakeScenarios.stubbornHang(pidFile));
    const taskId = await h.newTask();
    const started = Date.now();
    const outcome = await runClaude({ taskId, phase: "red", cwd: h.worktree, prompt: "p", timeoutMs: 1_500, killGraceMs: 300 }, h.deps());
    expect(!outcome.ok && outcome.error.code).toBe("CLAUDE_TIMEOUT");
    expect(Date.now() - started).toBeLessThan(10_000);
    const child = await readPid(pidFile);
    const cli = (await h.fake.calls()).at(-1)?.pid ?? 0;
    expect(cli).toBeGreaterThan(0);
    expect(sandboxedProcessAlive(cli, h.fake.dir)).toBe(false);
    expect(childAlive(child)).toBe(false);
    expect((await listAgentRuns(h.database.db, taskId))[0]).toMatchObject({ status: "failed", errorCode: "CLAUDE_TIMEOUT" });
  });

  it("on cancellation kills the whole group and says so", async () => {
    const pidFile = join(h.fake.dir, "cancel-child.pid");
    await h.fake.setScenario(fakeScenarios.stubbornHang(pidFile));
    const taskId = await h.newTask();
    const controller = new AbortController();
    const running = runClaude({ taskId, phase: "green", cwd: h.worktree, prompt: "p", signal: controller.signal, killGraceMs: 300 }, h.deps());
    const child = await readPid(pidFile);
    expect(childAlive(child)).toBe(true);
    controller.abort();
    const outcome = await running;
    expect(!outcome.ok && outcome.error.code).toBe("CLAUDE_CANCELLED");
    expect(childAlive(child)).toBe(false);
    expect(sandboxedProcessAlive((await h.fake.calls()).at(-1)?.pid ?? 0, h.fake.dir)).toBe(false);
  });

  it("stops a CLI that goes silent with CLAUDE_IDLE_TIMEOUT", async () => {
    await h.fake.setScenario(fakeScenarios.hang());
    const taskId = await h.newTask();
    const outcome = await runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "p", idleTimeoutMs: 700, timeoutMs: 20_000, killGraceMs: 300 }, h.deps());
    expect(!outcome.ok && outcome.error.code).toBe("CLAUDE_IDLE_TIMEOUT");
    expect(sandboxedProcessAlive((await h.fake.calls()).at(-1)?.pid ?? 0, h.fake.dir)).toBe(false);
  });

  it("shows lines in Redis while the run is still going", async () => {
    await h.fake.setScenario({ runs: [{ steps: [{ type: "text", text: "first thoughts" }, { type: "sleep", ms: 2_000 }, { type: "result", result: "done" }] }] });
    const taskId = await h.newTask();
    let finished = false;
    const running = runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "p" }, h.deps()).finally(() => {
      finished = true;
    });
    const entries = await waitFor(async () => {
      const list = await h.streamEntries(taskId);
      return list.some((e) => e.type === "assistant") ? list : undefined;
    }, { what: "the assistant line in the task stream", timeoutMs: 5_000, intervalMs: 25 });
    expect(finished).toBe(false);
    expect(entries.map((e) => e.type)).toEqual(["system", "assistant"]);
    expect((await running).ok).toBe(true);
  });

  it("streams 50 MB of output with bounded memory", async () => {
    const outputBytes = 50 * 1024 * 1024;
    // A small run first, so code loading and connection buffers are not counted as growth.
    await h.fake.setScenario(fakeScenarios.flood(2 * 1024 * 1024));
    await runClaude({ taskId: await h.newTask(), phase: "red", cwd: h.worktree, prompt: "p" }, h.deps());
    await h.fake.setScenario(fakeScenarios.flood(outputBytes));
    const taskId = await h.newTask();
    // V8 collects lazily, so raw RSS mostly measures its heap-growth policy; collecting while sampling
    // measures what the runner actually holds on to.
    v8.setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sampler = setInterval(() => {
      gc();
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed);
    }, 100);
    const outcome = await runClaude({ taskId, phase: "red", cwd: h.worktree, prompt: "p" }, h.deps()).finally(() => clearInterval(sampler));
    expect(outcome.ok).toBe(true);
    // Everything went through (the transcript has it all) yet the worker never held more than a fraction of it.
    const transcriptBytes = (await stat(outcome.transcriptPath ?? "")).size;
    expect(transcriptBytes).toBeGreaterThan(outputBytes);
    // What the runner holds is the V8 heap, sampled with GC: a few MB for 50 MB (and for 150 MB alike).
    expect(peakHeap - baseline.heapUsed).toBeLessThan(outputBytes / 8);
    // RSS high-water is the allocator's policy around pipe and Redis buffers: measured 13 MB on a quiet
    // machine and 37 MB in a fast CI run. The bound says the output is never held whole.
    expect(peakRss - baseline.rss).toBeLessThan(outputBytes);
    // The live stream stays trimmed (MAXLEN ~ 5000).
    expect(await h.redis.xlen(`task:${taskId}:output`)).toBeLessThan(7_000);
    // A deadline, not a timing claim: 15 s on a quiet machine, over 60 s with a chaos suite running beside
    // a whole CI run on the same 2 cores (the forced GC every 100 ms is what gets slow).
  }, 240_000);
});
