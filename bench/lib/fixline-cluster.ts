/**
 * A whole Fixline on one machine for benchmarks and the dashboard workload: every role is its own
 * `fixline start --role <role>` process (the real CLI entry point, run with tsx), against a fresh Postgres
 * database, a Redis database of its own, a fake GitHub and Slack in this process, a local bare remote of the
 * shop sample, and a fake Claude wrapped so each invocation's start and end are recorded.
 *
 * The role processes use BullMQ's default prefix (the CLI has no prefix option), so the cluster claims an
 * empty Redis database index instead of a key prefix, and empties only that index when it stops.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { openSync, closeSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { getTask, type TaskRecord } from "@fixline/db";
import { createFakeClaude, createSampleRemote, createTestDatabase, startFakeGitHub, startFakeSlack, type FakeClaude, type FakeGitHub, type FakeSlack, type TestDatabase } from "@fixline/testing";
import { instantScenario } from "./bench-scenario";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const webhookSecret = "bench-github-webhook-secret";
const githubToken = "ghp_fixline_bench";
const apiToken = "bench-api-token";

export type RoleName = "webhook" | "planner" | "executor";

export interface RoleProcess {
  role: RoleName;
  /** `webhook`, `planner`, `executor-1`, ... (also the name of its workspace dir and log file). */
  name: string;
  child: ChildProcess;
  pid: number;
  /** Where Prometheus scrapes it: the webhook server's port, or the worker's METRICS_PORT. */
  baseUrl: string;
}

/** One timed process run, from the wrapper scripts' logs: epoch milliseconds. */
export interface TimedRun {
  startMs: number;
  endMs: number;
  exitCode: number;
  taskId: string | undefined;
  /** The role process whose workspace it ran in. */
  processName: string | undefined;
}

export interface TaskEventTime {
  from: string | null;
  to: string | null;
  at: number;
}

export interface Cluster {
  root: string;
  repo: string;
  database: TestDatabase;
  /** The Redis database index the roles use (claimed for this cluster alone, so its keyspace is Fixline's). */
  redisUrl: string;
  github: FakeGitHub;
  slack: FakeSlack;
  fake: FakeClaude;
  webhookUrl: string;
  roles: RoleProcess[];
  startRole(role: RoleName): Promise<RoleProcess>;
  stopRole(proc: RoleProcess): Promise<void>;
  /** Opens a GitHub issue and delivers its `issues.labeled` webhook; `at` is when the 2xx answer arrived (the ingest transaction had committed). */
  openIssue(title: string): Promise<{ taskId: string; sentAt: number; at: number }>;
  /** Posts `@agent approve` on the task's draft PR as a user with write access. */
  approve(taskId: string): Promise<{ sentAt: number; at: number }>;
  /** Posts `@agent reject <feedback>` (re-plan on the same PR). */
  reject(taskId: string, feedback: string): Promise<{ sentAt: number; at: number }>;
  /** A delivery with a wrong signature: the server must refuse it. Returns the HTTP status. */
  forgedWebhook(): Promise<number>;
  waitForState(taskId: string, states: readonly string[], timeoutMs?: number): Promise<TaskRecord>;
  events(taskId: string): Promise<TaskEventTime[]>;
  claudeRuns(): Promise<TimedRun[]>;
  testRuns(): Promise<TimedRun[]>;
  /** VmHWM (peak resident set) of each live role process, in KiB. */
  peakRss(): Array<{ name: string; role: RoleName; kib: number }>;
  stop(): Promise<void>;
}

export interface StartClusterOptions {
  /** Role processes started at once; more can be added with startRole. */
  roles: RoleName[];
  logLevel?: string;
  /** Green runs required in a row (FIXLINE_CONFIG defaults.flakeReruns); default 1. */
  flakeReruns?: number;
  /** Extra environment for every role process (e.g. PLANNER_CONCURRENCY). */
  env?: Record<string, string>;
  /** Called with progress lines (stderr in the bench). */
  progress?: (line: string) => void;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Claims an empty Redis database index (8..15) with a marker key, so the roles' default prefix collides with nobody. */
async function claimRedisDb(baseUrl: string, claim: string): Promise<{ url: string; client: Redis }> {
  for (let index = 8; index <= 15; index++) {
    const url = new URL(baseUrl);
    url.pathname = `/${index}`;
    const client = new Redis(url.toString(), { maxRetriesPerRequest: 2, lazyConnect: true });
    await client.connect();
    if ((await client.dbsize()) === 0 && (await client.set("fixline-bench:claim", claim, "EX", 3600, "NX")) === "OK") return { url: url.toString(), client };
    client.disconnect();
  }
  throw new Error("no empty Redis database index in 8..15 for the bench cluster");
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

async function waitUntil<T>(what: string, timeoutMs: number, intervalMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function parseTimedLog(text: string): TimedRun[] {
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [start, end, code, ...cwdParts] = line.split(" ");
      const cwd = cwdParts.join(" ");
      const match = /\/ws-([^/]+)\/tasks\/([^/]+)/.exec(cwd);
      return { startMs: Number(start) / 1e6, endMs: Number(end) / 1e6, exitCode: Number(code), taskId: match?.[2], processName: match?.[1] };
    });
}

export async function startCluster(options: StartClusterOptions): Promise<Cluster> {
  const progress = options.progress ?? (() => {});
  const root = await mkdtemp(join(tmpdir(), "fixline-bench-"));
  const remotes = join(root, "remotes");
  const claim = randomUUID();
  const redis = await claimRedisDb(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", claim);
  const database = await createTestDatabase();
  const [github, slack] = await Promise.all([startFakeGitHub({ token: githubToken, login: "fixline-bot" }), startFakeSlack()]);
  const repoName = `shop-bench-${claim.slice(0, 6)}`;
  const remote = await createSampleRemote({ root: remotes, owner: "acme", name: repoName });
  github.addRepo(remote.repo, { defaultBranch: "main" });
  github.setRole(remote.repo, "approver", "write");

  // The test command records its own start and end, so the suite's time can be subtracted from a task's.
  const testLog = join(root, "test-runs.log");
  const testScript = join(root, "timed-test.sh");
  await writeFile(testScript, `#!/bin/sh\nstart=$(date +%s%N)\nnode --test "$@"\nrc=$?\necho "$start $(date +%s%N) $rc $PWD" >> ${shellQuote(testLog)}\nexit $rc\n`);
  await chmod(testScript, 0o755);
  const testCommand = `sh ${testScript}`;

  const fake = await createFakeClaude({ scenario: instantScenario(testCommand), tmpRoot: root });
  // The CLI wrapper: its first act is to note the time (the spawn), its last the end of the fake's run.
  const claudeLog = join(root, "claude-runs.log");
  const claudeBin = join(root, "timed-claude");
  await writeFile(claudeBin, `#!/bin/sh\nstart=$(date +%s%N)\n${shellQuote(fake.bin)} "$@"\nrc=$?\necho "$start $(date +%s%N) $rc $PWD" >> ${shellQuote(claudeLog)}\nexit $rc\n`);
  await chmod(claudeBin, 0o755);

  const fixlineYaml = [
    "defaults:",
    "  timeouts: { planningSeconds: 60, executionSeconds: 60, idleSeconds: 30, testSeconds: 60 }",
    "  budgets: { perTaskUsd: 5, perRepoPerDayUsd: 1000 }",
    // One green run instead of three: the bench measures orchestration, and the suite's time is subtracted anyway.
    `  flakeReruns: ${options.flakeReruns ?? 1}`,
    "repos:",
    // No setup: the sample has no dependencies, and detection would otherwise run `npm install` (no
    // lockfile) before every phase; that is the repository's environment cost, measured in
    // bench/environment-setup.ts, not orchestration.
    `  ${remote.repo}: { test: ${JSON.stringify(testCommand)}, setup: [] }`,
  ].join("\n");

  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: root,
    NODE_ENV: "production",
    LOG_LEVEL: options.logLevel ?? "warn",
    HOST: "127.0.0.1",
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    GITHUB_TOKEN: githubToken,
    GITHUB_API_URL: github.url,
    GITHUB_WEBHOOK_SECRET: webhookSecret,
    GIT_BASE_URL: remotes,
    SLACK_BOT_TOKEN: "xoxb-fixline-fake",
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL: "C0BENCH",
    CLAUDE_BIN: claudeBin,
    // The timing wrappers log outside the worktree, which a sandboxed command cannot write: this bench measures
    // queueing and orchestration; the sandbox's own cost per command is bench/sandbox-overhead.ts.
    FIXLINE_SANDBOX: "off",
    ANTHROPIC_API_KEY: "sk-ant-bench",
    TRANSCRIPT_DIR: join(root, "transcripts"),
    MCP_CONFIG_TEMPLATE: join(root, "no-mcp.json"),
    SKILLS_DIR: join(repoRoot, "skills"),
    FIXLINE_API_TOKEN: apiToken,
    FIXLINE_PUBLIC_URL: "http://fixline.bench",
    FIXLINE_CONFIG: fixlineYaml,
    SHUTDOWN_GRACE_MS: "5000",
    ...options.env,
  };

  const roles: RoleProcess[] = [];
  let executorCount = 0;
  let webhookUrl = "";

  async function startRole(role: RoleName): Promise<RoleProcess> {
    const name = role === "executor" ? `executor-${++executorCount}` : role;
    const port = await freePort();
    const env = { ...baseEnv, WORKSPACE_DIR: join(root, `ws-${name}`), ...(role === "webhook" ? { PORT: String(port) } : { METRICS_PORT: String(port), PORT: String(await freePort()) }) };
    const logFd = openSync(join(root, `${name}.log`), "a");
    const child = spawn(process.execPath, ["--import", "tsx", "services/cli/src/main.ts", "start", "--role", role], { cwd: repoRoot, env, stdio: ["ignore", logFd, logFd] });
    closeSync(logFd);
    const baseUrl = `http://127.0.0.1:${port}`;
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => {
        const tail = (() => {
          try {
            return readFileSync(join(root, `${name}.log`), "utf8").split("\n").slice(-15).join("\n");
          } catch {
            return "";
          }
        })();
        reject(new Error(`${name} exited with ${code} while starting:\n${tail}`));
      }),
    );
    exited.catch(() => {});
    await Promise.race([waitUntil(`${name} /health`, 60_000, 100, async () => ((await fetch(`${baseUrl}/health`)).ok ? true : undefined)), exited]);
    const proc: RoleProcess = { role, name, child, pid: child.pid!, baseUrl };
    roles.push(proc);
    if (role === "webhook") webhookUrl = baseUrl;
    progress(`  started ${name} (pid ${proc.pid}, ${baseUrl})`);
    return proc;
  }

  async function stopRole(proc: RoleProcess): Promise<void> {
    const index = roles.indexOf(proc);
    if (index >= 0) roles.splice(index, 1);
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.child.once("exit", () => r()));
    proc.child.kill("SIGTERM");
    const timer = setTimeout(() => proc.child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  async function deliver(event: string, payload: unknown, signature?: string): Promise<Response> {
    const body = JSON.stringify(payload);
    return fetch(`${webhookUrl}/webhooks/github`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": signature ?? `sha256=${createHmac("sha256", webhookSecret).update(body).digest("hex")}`,
      },
    });
  }

  async function comment(taskId: string, text: string): Promise<{ sentAt: number; at: number }> {
    const task = await getTask(database.db, taskId);
    if (!task?.prNumber) throw new Error(`task ${taskId} has no pull request yet`);
    const payload = {
      action: "created",
      issue: { number: task.prNumber, pull_request: { url: `https://api.github.com/repos/${remote.repo}/pulls/${task.prNumber}` } },
      comment: { id: Math.floor(Math.random() * 1e9), body: text, user: { login: "approver" } },
      repository: { full_name: remote.repo },
      sender: { login: "approver", type: "User" },
    };
    const sentAt = Date.now();
    const res = await deliver("issue_comment", payload);
    const at = Date.now();
    if (!res.ok) throw new Error(`comment webhook answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
    return { sentAt, at };
  }

  // If this process dies without stop() (an uncaught error, a closed pipe), its role processes go with it.
  const killChildren = () => {
    for (const proc of roles) if (proc.child.exitCode === null) proc.child.kill("SIGTERM");
  };
  process.once("exit", killChildren);

  const cluster: Cluster = {
    root,
    repo: remote.repo,
    database,
    redisUrl: redis.url,
    github,
    slack,
    fake,
    get webhookUrl() {
      return webhookUrl;
    },
    roles,
    startRole,
    stopRole,
    async openIssue(title) {
      const issue = github.addIssue(remote.repo, { title, body: "The cart page crashes for carts with removed products.", labels: ["fixline"], author: "reporter" });
      const sentAt = Date.now();
      const res = await deliver("issues", {
        action: "labeled",
        label: { name: "fixline" },
        issue: { number: issue.number, title, body: issue.body, html_url: `https://github.com/${remote.repo}/issues/${issue.number}`, user: { login: "reporter" }, labels: [{ name: "fixline" }] },
        repository: { full_name: remote.repo },
        sender: { login: "reporter" },
      });
      const at = Date.now();
      const json = (await res.json()) as { taskId?: string };
      if (!res.ok || !json.taskId) throw new Error(`issues webhook answered ${res.status}: ${JSON.stringify(json)}`);
      return { taskId: json.taskId, sentAt, at };
    },
    approve: (taskId) => comment(taskId, "@agent approve"),
    reject: (taskId, feedback) => comment(taskId, `@agent reject ${feedback}`),
    async forgedWebhook() {
      const res = await deliver("issues", { action: "labeled", label: { name: "fixline" }, issue: { number: 1, title: "forged", labels: [] }, repository: { full_name: remote.repo } }, `sha256=${"0".repeat(64)}`);
      await res.arrayBuffer();
      return res.status;
    },
    waitForState(taskId, states, timeoutMs = 60_000) {
      return waitUntil(`task ${taskId} in ${states.join("/")}`, timeoutMs, 50, async () => {
        const task = await getTask(database.db, taskId);
        return task && states.includes(task.state) ? task : undefined;
      });
    },
    async events(taskId) {
      const rows = await database.db.selectFrom("task_events").select(["from_state", "to_state", "created_at"]).where("task_id", "=", taskId).orderBy("id").execute();
      return rows.map((r) => ({ from: r.from_state, to: r.to_state, at: new Date(r.created_at).getTime() }));
    },
    async claudeRuns() {
      return parseTimedLog(await readFile(claudeLog, "utf8").catch(() => ""));
    },
    async testRuns() {
      return parseTimedLog(await readFile(testLog, "utf8").catch(() => ""));
    },
    peakRss() {
      return roles.map((proc) => {
        const status = (() => {
          try {
            return readFileSync(`/proc/${proc.pid}/status`, "utf8");
          } catch {
            return "";
          }
        })();
        return { name: proc.name, role: proc.role, kib: Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) };
      });
    },
    async stop() {
      process.off("exit", killChildren);
      for (const proc of [...roles].reverse()) await stopRole(proc);
      await Promise.all([github.close(), slack.close()]);
      if ((await redis.client.get("fixline-bench:claim")) === claim) await redis.client.flushdb();
      redis.client.disconnect();
      await database.destroy();
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    for (const role of options.roles) await startRole(role);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
