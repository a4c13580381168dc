import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { createFakeClaude, createTestDatabase, fakeScenarios, freePort, startTestRedisCluster, waitFor, startFakeGitHub, startFakeSlack, type FakeClaude, type FakeGitHub, type FakeSlack, type TestDatabase } from "@fixline/testing";

const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
let db: TestDatabase;
let claude: FakeClaude;
let github: FakeGitHub;
let slack: FakeSlack;
let workspaceDir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  claude = await createFakeClaude({ scenario: fakeScenarios.success() });
  github = await startFakeGitHub({ token: "ghp_doctor" });
  slack = await startFakeSlack();
  workspaceDir = await mkdtemp(join(tmpdir(), "fixline-doctor-"));
});
afterAll(async () => {
  await Promise.all([github?.close(), slack?.close(), claude?.cleanup(), db?.destroy(), rm(workspaceDir, { recursive: true, force: true })]);
});

const doctor = (env: Record<string, string>) =>
  execa(process.execPath, ["--import", "tsx", main, "doctor"], {
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: workspaceDir, DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL!, WORKSPACE_DIR: workspaceDir, ...env },
  });

describe("fixline doctor", () => {
  it("passes when the CLI is logged in and every service answers", async () => {
    const result = await doctor({
      CLAUDE_BIN: claude.bin,
      ANTHROPIC_API_KEY: "sk-ant-doctor",
      GITHUB_TOKEN: "ghp_doctor",
      GITHUB_API_URL: github.url,
      GITHUB_WEBHOOK_SECRET: "s",
      SLACK_BOT_TOKEN: "xoxb-fixline-fake",
      SLACK_API_URL: slack.apiUrl,
    });
    expect(result.stdout).toMatch(/✔ claude CLI/);
    expect(result.stdout).toMatch(/✔ claude auth\s+logged in \(api_key\)/);
    expect(result.stdout).toMatch(/✔ postgres\s+reachable/);
    expect(result.stdout).toMatch(/redis\s+reachable/);
    expect(result.stdout).toMatch(/✔ github\s+http:\/\/127\.0\.0\.1:\d+ as fixline-bot \(token; scopes repo, workflow\)/);
    expect(result.stdout).toMatch(/✔ slack/);
    expect(result.stdout).toMatch(/- jira\s+JIRA_BASE_URL not set/);
    // A real sandbox was started and searched from inside for the worker's /proc, secrets and HOME.
    expect(result.stdout).toMatch(/[✔!] sandbox\s+bubblewrap isolates \(worker \/proc, environment and HOME invisible inside\); limits by (cgroup-v1|cgroup-v2|rlimit)/);
    expect(result.stdout).toContain("All required checks passed.");
    expect(result.exitCode).toBe(0);
  });

  it("fails with the fix for each missing piece", async () => {
    const result = await doctor({ CLAUDE_BIN: join(workspaceDir, "no-such-claude"), REDIS_URL: "redis://127.0.0.1:1", SLACK_BOT_TOKEN: "xoxb-wrong", SLACK_API_URL: slack.apiUrl });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/✘ claude CLI .*not found[\s\S]*fix: npm i -g @anthropic-ai\/claude-code, or set CLAUDE_BIN/);
    expect(result.stdout).toMatch(/✘ redis[\s\S]*fix: start Redis or fix REDIS_URL/);
    expect(result.stdout).toMatch(/✘ github\s+no credentials[\s\S]*fix: set GITHUB_TOKEN/);
    expect(result.stdout).toMatch(/✘ github webhook secret[\s\S]*fix: set GITHUB_WEBHOOK_SECRET/);
    // An optional integration that is configured but broken says so, with its fix, without failing the run by itself.
    expect(result.stdout).toMatch(/✘ slack\s+Slack auth.test was rejected: invalid_auth[\s\S]*fix: check SLACK_BOT_TOKEN/);
    expect(result.stdout).toMatch(/5 required check\(s\) failed/);
  });

  it("says in red that FIXLINE_SANDBOX=off runs the agent unsandboxed", async () => {
    const result = await doctor({ CLAUDE_BIN: claude.bin, FIXLINE_SANDBOX: "off" });
    // In red: the detail starts with the ANSI red escape.
    expect(result.stdout).toContain("✘ sandbox");
    expect(result.stdout).toContain("\u001b[31mFIXLINE_SANDBOX=off: the agent and repository commands run unsandboxed");
    expect(result.stdout).toMatch(/fix: unset FIXLINE_SANDBOX/);
  });

  it("refuses invalid configuration before checking anything, naming the variable", async () => {
    const result = await doctor({ PORT: "eighty" });
    expect(result.exitCode).toBe(78);
    expect(result.stderr).toContain("PORT");
  });
});

describe("fixline doctor and Redis's eviction policy", () => {
  it("fails on maxmemory-policy allkeys-lru, with the fix in the message", async () => {
    // A private redis-server: changing the shared one's policy would disturb every other test.
    const port = await freePort();
    const server = execa("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "allkeys-lru", "--dir", workspaceDir], { reject: false });
    try {
      await waitFor(async () => (await execa("redis-cli", ["-p", String(port), "ping"], { reject: false })).stdout === "PONG", { what: "the private redis-server" });
      const result = await doctor({ REDIS_URL: `redis://127.0.0.1:${port}`, CLAUDE_BIN: claude.bin, ANTHROPIC_API_KEY: "sk-ant-doctor" });
      expect(result.stdout).toMatch(/✘ redis\s+reachable, but maxmemory-policy is allkeys-lru/);
      expect(result.stdout).toMatch(/fix: set maxmemory-policy noeviction/);
      expect(result.exitCode).toBe(1);
    } finally {
      server.kill("SIGKILL");
      await server;
    }
  });

  it("on Redis Cluster asks every master, and names the one that evicts", async () => {
    const cluster = await startTestRedisCluster(3);
    try {
      const env = { REDIS_CLUSTER_NODES: cluster.nodesVariable.split(",")[0]!, FIXLINE_QUEUE_PREFIX: "{fixline}", CLAUDE_BIN: claude.bin, ANTHROPIC_API_KEY: "sk-ant-doctor" };
      const healthy = await doctor(env);
      expect(healthy.stdout).toMatch(/✔ redis\s+reachable, maxmemory-policy noeviction on 3 cluster masters/);
      // One shard set to evict: the jobs or locks it holds would go, so doctor fails and names it.
      const evicting = cluster.nodes[2]!;
      await cluster.cli(evicting.port, "config", "set", "maxmemory-policy", "allkeys-lru");
      const result = await doctor(env);
      expect(result.stdout).toContain(`reachable, but maxmemory-policy is allkeys-lru on 127.0.0.1:${evicting.port}`);
      expect(result.stdout).toMatch(/fix: set maxmemory-policy noeviction/);
      expect(result.exitCode).toBe(1);
    } finally {
      await cluster.stop();
    }
  });
});

describe("fixline doctor and executor pools (issue 20)", () => {
  it("warns when a pool's jobs wait with no worker, naming the pool and the command, and is quiet once one runs", async () => {
    const { createJobQueues, createRedis, createWorker } = await import("@fixline/queue");
    const { silentLogger } = await import("@fixline/core");
    const prefix = `doctor-pools-${process.pid}-${Date.now()}`;
    const producer = createRedis(process.env.REDIS_URL!, "producer");
    const connection = createRedis(process.env.REDIS_URL!, "worker");
    const queues = createJobQueues({ connection: producer, prefix });
    const env = { CLAUDE_BIN: claude.bin, FIXLINE_QUEUE_PREFIX: prefix, FIXLINE_CONFIG: "repos:\n  acme/py: { pool: python }\n" };
    try {
      await queues.enqueue("execution", { taskId: "00000000-0000-4000-8000-000000000001", approvalId: "00000000-0000-4000-8000-000000000002" }, { jobId: "doctor-pools-1", pool: "python" });
      const stranded = await doctor(env);
      expect(stranded.stdout).toMatch(/! pools\s+1 job\(s\) waiting for a `python` executor: no worker takes the execution\.python queue; start one with `fixline start --role executor --pool python`/);

      const executor = createWorker("execution", async () => undefined, { connection, prefix, logger: silentLogger(), pool: "python" });
      try {
        await waitFor(async () => (await queues.workerCount("execution", "python")) > 0, { what: "the python executor is connected" });
        const served = await doctor(env);
        expect(served.stdout).toMatch(/✔ pools\s+.*python\/execution: 1 worker\(s\)/);
        expect(served.stdout).not.toContain("waiting for a `python` executor");
      } finally {
        await executor.drain(1_000);
      }
    } finally {
      await queues.queue("execution", "python").obliterate({ force: true }).catch(() => {});
      await queues.close();
      producer.disconnect();
      connection.disconnect();
    }
  });
});

describe("fixline doctor and an open circuit breaker (issue 20)", () => {
  it("says which provider's outage pauses work, since when and why, and is ok once it closes", async () => {
    const { createCircuitBreakers, createRedis, setBreakerPolicy } = await import("@fixline/queue");
    // A pause far longer than a doctor run on a loaded machine (one took 13 s against the 10 s default), so
    // the first check sees the breaker open, not already probing.
    setBreakerPolicy({ baseMs: 600_000, maxMs: 600_000 });
    const prefix = `doctor-breaker-${process.pid}-${Date.now()}`;
    const redis = createRedis(process.env.REDIS_URL!, "worker");
    const breakers = createCircuitBreakers(redis, prefix);
    const env = { CLAUDE_BIN: claude.bin, FIXLINE_QUEUE_PREFIX: prefix };
    try {
      await breakers.open("claude", { code: "CLAUDE_OVERLOADED", message: "the Anthropic API is unavailable (HTTP 529): Overloaded" });
      const open = await doctor(env);
      expect(open.stdout).toMatch(/! outages\s+claude breaker open since \S+ after 1 outage\(s\) \(CLAUDE_OVERLOADED: the Anthropic API is unavailable \(HTTP 529\): Overloaded\)/);
      expect(open.stdout).toMatch(/fix: nothing to do: jobs wait and resume by themselves/);
      await breakers.close("claude");
      expect((await doctor(env)).stdout).toMatch(/✔ outages\s+no circuit breaker open/);
    } finally {
      await breakers.close("claude");
      redis.disconnect();
    }
  });
});
