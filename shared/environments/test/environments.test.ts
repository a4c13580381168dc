import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedactor, isFixlineError, pickNetworkEnv, silentLogger, type EffectiveRepoSettings } from "@fixline/core";
import { createTestRedis, deleteKeysMatching, type TestRedis } from "@fixline/testing";
import { resolveEnvironment, runHooks, runSetup, runTests, taskOutputKey, type ResolvedEnvironment } from "../src/index";
import { gitStatus, sampleRepo } from "./sample-repo";

const logger = silentLogger();

/** Running, not a zombie: orphans of a killed group stay zombies here when PID 1 does not reap them. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0] ?? "");
  } catch {
    return false;
  }
}
/**
 * Host pids of live `sleep` processes whose command line holds `marker`. Commands run in a PID namespace, so a pid they
 * write down is the sandbox's, not ours: processes are found by a unique argument instead.
 */
function runningWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Only the sleep itself: the supervising shells carry the command line too, and exit on their own within a second.
      const isSleep = readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "sleep";
      if (isSleep && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker) && running(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}
const pathEnv = process.env.PATH;
// Installs reach the registry through this machine's proxy and CA settings, as the worker's would.
const networkEnv = pickNetworkEnv(process.env);
const homeDir = process.env.HOME;
const base: EffectiveRepoSettings = { scopePolicy: "warn", dryRun: false, budgets: { perTaskUsd: 5, perRepoPerDayUsd: 50 } };

let redis: TestRedis;
let cacheDir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  redis = await createTestRedis();
  cacheDir = await mkdtemp(join(tmpdir(), "fixline-env-cache-"));
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await deleteKeysMatching(redis.worker, `task:${redis.prefix}*`);
  await redis.cleanup();
  await rm(cacheDir, { recursive: true, force: true });
});

async function worktree(fixture: string | undefined, label: string): Promise<string> {
  const repo = await sampleRepo(fixture, label);
  cleanups.push(repo.remove);
  return repo.dir;
}

async function liveLines(taskId: string): Promise<Array<{ phase: string; text: string }>> {
  const entries = await redis.worker.xrange(taskOutputKey(taskId), "-", "+");
  return entries.map(([, fields]) => {
    const line = fields[fields.indexOf("line") + 1] ?? "{}";
    const parsed = JSON.parse(line) as { type: string; kind: string; phase: string; text: string };
    expect(parsed).toMatchObject({ type: "fixline", kind: "log" });
    return { phase: parsed.phase, text: parsed.text };
  });
}

const context = (dir: string, taskId: string) => ({ worktree: dir, taskId, redis: redis.worker, logger, redactor: createRedactor([]), pathEnv, homeDir, cacheDir, networkEnv });

describe("a Node repository whose tests need npm ci first", () => {
  it("fails without setup, installs a real dependency through the cache, and the second task restores it faster", async () => {
    const first = await worktree("node-sample", "node1");
    const env = await resolveEnvironment({ worktree: first, repo: "acme/receipts", settings: base });
    expect(env).toMatchObject({ testCommand: "npm test", setup: ["npm ci"], detected: { kind: "node-npm" } });

    const bare = await runTests("npm test", { ...context(first, `${redis.prefix}-bare`), env, timeoutMs: 60_000 });
    expect(bare.passed).toBe(false);
    expect(bare.output).toMatch(/is-number/);

    const taskId = `${redis.prefix}-node1`;
    const cold = await runSetup(env, { ...context(first, taskId), repo: "acme/receipts" });
    expect(cold.cacheHit).toBe(false);
    expect(cold.commands).toEqual([{ command: "npm ci", exitCode: 0, durationMs: expect.any(Number) }]);
    expect(existsSync(join(first, "node_modules", "is-number", "package.json"))).toBe(true);
    // The installed tree must not look like a change the agent could commit.
    expect(await gitStatus(first)).toBe("");

    const result = await runTests(env.testCommand!, { ...context(first, taskId), env, timeoutMs: 60_000 });
    expect(result).toMatchObject({ passed: true, exitCode: 0, counts: { passed: 2, failed: 0, skipped: 0 } });
    expect(result.tests.map((t) => t.name).sort()).toEqual(["pads quantities", "rejects text"]);

    const second = await worktree("node-sample", "node2");
    const env2 = await resolveEnvironment({ worktree: second, repo: "acme/receipts", settings: base });
    const warm = await runSetup(env2, { ...context(second, `${redis.prefix}-node2`), repo: "acme/receipts" });
    expect(warm).toMatchObject({ cacheHit: true, commands: [], skipped: ["npm ci"] });
    console.log(`node sample setup: cold ${cold.durationMs.toFixed(0)} ms (npm ci from the registry), warm ${warm.durationMs.toFixed(0)} ms (cache hit)`);
    expect(warm.durationMs).toBeLessThan(cold.durationMs);
    const again = await runTests(env2.testCommand!, { ...context(second, `${redis.prefix}-node2`), env: env2, timeoutMs: 60_000 });
    expect(again.passed).toBe(true);

    const lines = await liveLines(taskId);
    expect(lines.filter((l) => l.phase === "setup").map((l) => l.text)).toEqual(expect.arrayContaining(["$ npm ci", expect.stringMatching(/dependency cache miss/)]));
    expect(lines.some((l) => l.phase === "test" && /pads quantities/.test(l.text))).toBe(true);
    expect((await liveLines(`${redis.prefix}-node2`)).some((l) => /dependency cache hit/.test(l.text))).toBe(true);
  });

  it("another repository is a different key (a miss), and eviction keeps the cache under its bound", async () => {
    const dir = await worktree("node-sample", "node3");
    const env = await resolveEnvironment({ worktree: dir, repo: "acme/other", settings: base });
    const result = await runSetup(env, { ...context(dir, `${redis.prefix}-node3`), repo: "acme/other", cacheMaxBytes: 1 });
    expect(result.cacheHit).toBe(false);
    // Bound of 1 byte: everything but the entry just saved is evicted, including acme/receipts' entry.
    const saved = await readdirSafe(join(cacheDir, "node-modules"));
    expect(saved).toHaveLength(1);
  });
});

describe("the dependency cache cannot be poisoned by one task for the next (issue 14)", () => {
  it("a task writing into its restored node_modules in place, or into the cache entry itself, never reaches the next task", async () => {
    const repo = "acme/poisoned";
    const withSecret = (dir: string, id: string) => ({ ...context(dir, `${redis.prefix}-${id}`), repo, cacheSecret: "the worker's own secret" });
    const before = new Set(await readdirSafe(join(cacheDir, "node-modules")).catch(() => [] as string[]));

    const a = await worktree("node-sample", "poison-a");
    const envA = await resolveEnvironment({ worktree: a, repo, settings: base });
    expect((await runSetup(envA, withSecret(a, "poison-a"))).cacheHit).toBe(false);
    const [key] = (await readdirSafe(join(cacheDir, "node-modules"))).filter((name) => !before.has(name));
    expect(key).toBeDefined();
    const entryFile = join(cacheDir, "node-modules", key!, "node_modules", "is-number", "index.js");
    const original = await readFile(entryFile, "utf8");

    // Task B restores, then its tests write into node_modules in place (same inode): with hardlinks this
    // rewrote the cache entry.
    const b = await worktree("node-sample", "poison-b");
    const envB = await resolveEnvironment({ worktree: b, repo, settings: base });
    expect((await runSetup(envB, withSecret(b, "poison-b"))).cacheHit).toBe(true);
    const handle = await open(join(b, "node_modules", "is-number", "index.js"), "r+");
    await handle.truncate(0);
    await handle.write("module.exports = () => 'poisoned in place';\n", 0);
    await handle.close();
    expect(await readFile(entryFile, "utf8")).toBe(original);

    // Task C restores an untouched entry.
    const c = await worktree("node-sample", "poison-c");
    const envC = await resolveEnvironment({ worktree: c, repo, settings: base });
    expect((await runSetup(envC, withSecret(c, "poison-c"))).cacheHit).toBe(true);
    expect(await readFile(join(c, "node_modules", "is-number", "index.js"), "utf8")).toBe(original);

    // Now a task that can write the cache directory poisons the entry and forges its manifest and digest
    // (without the worker's secret, which it never sees).
    const entry = join(cacheDir, "node-modules", key!);
    await writeFile(entryFile, "module.exports = () => 'poisoned in the cache';\n");
    const manifest = JSON.parse(await readFile(join(entry, "manifest.json"), "utf8")) as Array<{ path: string; size?: number; sha256?: string }>;
    const forged = "module.exports = () => 'poisoned in the cache';\n";
    for (const item of manifest) {
      if (item.path === "is-number/index.js") Object.assign(item, { size: Buffer.byteLength(forged), sha256: createHash("sha256").update(forged).digest("hex") });
    }
    await writeFile(join(entry, "manifest.json"), JSON.stringify(manifest));
    const complete = JSON.parse(await readFile(join(entry, "complete"), "utf8")) as Record<string, unknown>;
    await writeFile(join(entry, "complete"), JSON.stringify({ ...complete, digest: createHash("sha256").update(JSON.stringify(manifest)).digest("hex") }));

    const d = await worktree("node-sample", "poison-d");
    const envD = await resolveEnvironment({ worktree: d, repo, settings: base });
    const setupD = await runSetup(envD, withSecret(d, "poison-d"));
    // The forged entry is refused: a fresh install, with the real file, saved as a clean entry again.
    expect(setupD.cacheHit).toBe(false);
    expect(setupD.commands.map((cmd) => cmd.command)).toEqual(["npm ci"]);
    expect(await readFile(join(d, "node_modules", "is-number", "index.js"), "utf8")).toBe(original);
    expect(await readFile(entryFile, "utf8")).toBe(original);

    // And a file merely added to the entry (a new bin, say) is refused as well.
    await writeFile(join(entry, "node_modules", "is-number", "extra.js"), "process.exit(0)\n");
    const e = await worktree("node-sample", "poison-e");
    const envE = await resolveEnvironment({ worktree: e, repo, settings: base });
    expect((await runSetup(envE, withSecret(e, "poison-e"))).cacheHit).toBe(false);
    expect(existsSync(join(e, "node_modules", "is-number", "extra.js"))).toBe(false);
  });
});

async function readdirSafe(dir: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  return (await readdir(dir)).filter((name) => !name.startsWith("."));
}

const hasPytest = (() => {
  try {
    execFileSync("python3", ["-m", "pytest", "--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("a Python repository with a virtualenv", () => {
  it.skipIf(!hasPytest)("creates .venv, installs requirements, and runs pytest inside it", async () => {
    const dir = await worktree("python-sample", "py");
    const env = await resolveEnvironment({ worktree: dir, repo: "acme/calc", settings: base });
    expect(env).toMatchObject({ detected: { kind: "python-requirements" }, testCommand: "python -m pytest -v", toolchain: "python" });
    const taskId = `${redis.prefix}-py`;
    const setup = await runSetup(env, { ...context(dir, taskId), repo: "acme/calc" });
    expect(setup.commands.map((c) => c.exitCode)).toEqual([0, 0]);
    expect((await stat(join(dir, ".venv", "bin", "python"))).isFile()).toBe(true);
    expect(await gitStatus(dir)).toBe("");
    const result = await runTests(env.testCommand!, { ...context(dir, taskId), env, timeoutMs: 60_000 });
    expect(result).toMatchObject({ passed: true, counts: { passed: 2, failed: 0, skipped: 0 } });
    expect(result.tests).toContainEqual({ name: "test_runs_inside_the_virtualenv", file: "tests/test_calc.py", status: "passed" });

    const narrowed = await runTests(env.testCommand!, { ...context(dir, taskId), env, timeoutMs: 60_000, only: ["test_add"] });
    expect(narrowed.counts).toEqual({ passed: 1, failed: 0, skipped: 0 });
  });
});

describe("hooks", () => {
  const withHooks = async (dir: string, preRun: string[], postRun: string[] = []): Promise<ResolvedEnvironment> =>
    resolveEnvironment({ worktree: dir, repo: "acme/hooks", settings: { ...base, hooks: { preRun, postRun } } });

  it("a failing pre-run hook fails with ENV_SETUP_FAILED and its output, in the live log", async () => {
    const dir = await worktree(undefined, "hook");
    const env = await withHooks(dir, ["echo starting the test database", "echo 'db: connection refused on 5433' >&2; exit 3"]);
    const taskId = `${redis.prefix}-hook`;
    const error = await runHooks("preRun", env, context(dir, taskId)).catch((caught: unknown) => caught);
    expect(isFixlineError(error, "ENV_SETUP_FAILED")).toBe(true);
    expect((error as Error).message).toContain("exited with code 3");
    expect((error as Error).message).toContain("db: connection refused on 5433");
    const texts = (await liveLines(taskId)).filter((l) => l.phase === "hook").map((l) => l.text);
    expect(texts).toEqual(expect.arrayContaining(["starting the test database", "db: connection refused on 5433"]));
  });

  it("a pre-run hook's background server ends with the hook's sandbox (issue 14); post-run failures are logged, not thrown", async () => {
    const dir = await worktree(undefined, "hook2");
    // The server is seen running from inside (ps in the same sandbox), and is gone on the host afterwards.
    const env = await withHooks(dir, ["sleep 29.4242 >/dev/null 2>&1 & sleep 0.2; kill -0 $! && echo server-up"], ["exit 9"]);
    await runHooks("preRun", env, context(dir, `${redis.prefix}-hook2`));
    const texts = (await liveLines(`${redis.prefix}-hook2`)).filter((l) => l.phase === "hook").map((l) => l.text);
    expect(texts).toContain("server-up");
    expect(runningWith("29.4242")).toEqual([]);
    await expect(runHooks("postRun", env, context(dir, `${redis.prefix}-hook2`))).resolves.toBeUndefined();
  });
});

describe("command supervision", () => {
  it("a failing setup command throws ENV_SETUP_FAILED with the tail of its output", async () => {
    const dir = await worktree(undefined, "fail");
    const env = await resolveEnvironment({ worktree: dir, repo: "acme/fail", settings: { ...base, setup: ["echo resolving; echo 'npm ERR! 404 not found: left-pud' >&2; exit 1", "echo never"] } });
    const error = await runSetup(env, { ...context(dir, `${redis.prefix}-fail`), repo: "acme/fail" }).catch((caught: unknown) => caught);
    expect(isFixlineError(error, "ENV_SETUP_FAILED")).toBe(true);
    expect((error as Error).message).toMatch(/setup command `echo resolving.*` exited with code 1:\nresolving\nnpm ERR! 404 not found: left-pud/s);
    const texts = (await liveLines(`${redis.prefix}-fail`)).map((l) => l.text);
    expect(texts).not.toContain("never");
  });

  it("a timeout kills the whole process group, background children included", async () => {
    const dir = await worktree(undefined, "timeout");
    const started = Date.now();
    const result = await runTests("sleep 30.4243 & echo waiting; wait", { ...context(dir, `${redis.prefix}-timeout`), env: {}, timeoutMs: 1500, killGraceMs: 500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ exitCode: 124, passed: false, timedOut: true });
    expect(result.output).toContain("waiting");
    expect(result.output).toContain("timed out after");
    expect(runningWith("30.4243")).toEqual([]);
  });

  it("cancelling stops the command and throws the signal's reason", async () => {
    const dir = await worktree(undefined, "abort");
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("task cancelled")), 300);
    await expect(runTests("sleep 30", { ...context(dir, `${redis.prefix}-abort`), env: {}, timeoutMs: 60_000, signal: controller.signal })).rejects.toThrow("task cancelled");
  });

  it("commands never see the worker's secrets, only PATH, HOME, CI and the repository's env", async () => {
    const dir = await worktree(undefined, "env");
    process.env.GITHUB_TOKEN ??= "ghp_worker_secret_for_test";
    process.env.DATABASE_URL ??= "postgres://worker-secret@127.0.0.1/db";
    const env = await resolveEnvironment({ worktree: dir, repo: "acme/env", settings: { ...base, env: { FEATURE_FLAG: "on", SLACK_BOT_TOKEN: "xoxb-nope" } } });
    const result = await runTests("env", { ...context(dir, `${redis.prefix}-env`), env, timeoutMs: 10_000 });
    const names = result.output.split("\n").map((line) => line.split("=")[0]);
    expect(names).toEqual(expect.arrayContaining(["PATH", "HOME", "CI", "FEATURE_FLAG"]));
    for (const secret of ["GITHUB_TOKEN", "DATABASE_URL", "SLACK_BOT_TOKEN", "ANTHROPIC_API_KEY", "REDIS_URL"]) expect(names).not.toContain(secret);
    expect(result.output).not.toContain(process.env.GITHUB_TOKEN);
  });

  it("bounds output: an over-long line is cut, and only the last 200 lines are kept", async () => {
    const dir = await worktree(undefined, "bound");
    const result = await runTests(`node -e "console.log('x'.repeat(100000)); for (let i = 0; i < 1000; i++) console.log('line ' + i)"`, { ...context(dir, `${redis.prefix}-bound`), env: {}, timeoutMs: 20_000 });
    const lines = result.output.split("\n");
    expect(lines).toHaveLength(200);
    expect(lines.at(-1)).toBe("line 999");
    const entries = await redis.worker.xrange(taskOutputKey(`${redis.prefix}-bound`), "-", "+");
    const longest = Math.max(...entries.map(([, fields]) => (fields[fields.indexOf("line") + 1] ?? "").length));
    expect(longest).toBeLessThan(5_000);
  });
});
