import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { taskBranchName } from "@fixline/core";
import { createDb, getTask, ingestSignal, migrateToLatest, recordApproval, transition, updateTaskFields, type FixlineDb, type TaskRecord } from "@fixline/db";
import { createFakeClaude, createSampleRemote, createTestDatabase, shopPlan, startFakeGitHub, waitFor, type FakeClaude, type FakeClaudeScenario, type FakeGitHub, testGit } from "@fixline/testing";
import { findProcesses, type FoundProcess } from "./find-processes";
import { freePort } from "./free-port";
import { repoRoot, startFixlineProcess, type FixlineProcess, type FixlineRole } from "./fixline-process";
import { startRedisInstance, type RedisInstance } from "./redis-instance";

export const webhookSecret = "chaos-webhook-secret";
export const approver = "maintainer";
const githubToken = "ghp_chaos_fake";

export interface SeededTask {
  taskId: string;
  repo: string;
  branch: string;
  prNumber: number;
}

export interface ChaosWorldOptions {
  scenario: FakeClaudeScenario;
  /** A Postgres server URL to create the database on (a private, restartable one); default the shared test server. */
  postgresUrl?: string;
  /** Keep Redis data across restarts (AOF), like the docker-compose Redis. */
  persistentRedis?: boolean;
  /** Extra lines for FIXLINE_CONFIG. */
  fixlineYaml?: string;
}

export interface ChaosWorld {
  root: string;
  db: FixlineDb;
  databaseUrl: string;
  redis: RedisInstance;
  github: FakeGitHub;
  fake: FakeClaude;
  /** The environment of every Fixline process, with overrides. */
  env(overrides?: Record<string, string>): Record<string, string>;
  /** Starts `fixline start --role <role>`; every process is killed (with its group) on close. */
  start(role: FixlineRole, overrides?: Record<string, string>): Promise<FixlineProcess>;
  /** Publishes the shop sample as `acme/<name>` and lets `maintainer` approve on it. */
  addRepo(name: string): Promise<string>;
  /** A task as the planner leaves it and an approver approves it: `approved`, PLAN.md on a pushed branch, draft PR, execution job in the outbox. */
  approvedTask(repo: string): Promise<SeededTask>;
  waitForState(taskId: string, states: string[], timeoutMs?: number): Promise<TaskRecord>;
  /** Commit subjects on a remote branch, newest first. */
  remoteLog(repo: string, branch: string): Promise<string[]>;
  /** Live processes of this world's fake Claude (the CLI and anything it started). */
  claudeProcesses(): Promise<FoundProcess[]>;
  pullsFor(repo: string): FakeGitHub["state"]["pulls"];
  pendingOutbox(): Promise<number>;
  close(): Promise<void>;
}

export async function createChaosWorld(options: ChaosWorldOptions): Promise<ChaosWorld> {
  const root = await mkdtemp(join(tmpdir(), "fixline-chaos-"));
  const remotes = join(root, "remotes");
  const logDir = join(root, "logs");
  await mkdir(logDir, { recursive: true });
  await writeFile(join(root, "no-mcp.json"), JSON.stringify({ mcpServers: {} }));
  const processes: FixlineProcess[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];

  let db: FixlineDb;
  let databaseUrl: string;
  if (options.postgresUrl) {
    databaseUrl = options.postgresUrl;
    db = await createDb({ databaseUrl, maxConnections: 5 });
    await migrateToLatest(db);
    cleanups.push(() => db.destroy());
  } else {
    const database = await createTestDatabase();
    db = database.db;
    databaseUrl = database.url;
    cleanups.push(() => database.destroy());
  }
  const redis = await startRedisInstance({ dir: root, persistent: options.persistentRedis ?? false });
  cleanups.unshift(() => redis.stop());
  const github = await startFakeGitHub({ token: githubToken, login: "fixline-bot" });
  cleanups.unshift(() => github.close());
  const fake = await createFakeClaude({ scenario: options.scenario, tmpRoot: root });

  const fixlineYaml = [
    "defaults:",
    "  flakeReruns: 1",
    "  timeouts: { planningSeconds: 120, executionSeconds: 120, idleSeconds: 60, testSeconds: 60 }",
    options.fixlineYaml ?? "",
  ].join("\n");

  const world: ChaosWorld = {
    root,
    db,
    databaseUrl,
    redis,
    github,
    fake,
    env(overrides = {}) {
      return {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: root,
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        HOST: "127.0.0.1",
        PORT: "0",
        METRICS_PORT: "0",
        GITHUB_TOKEN: githubToken,
        GITHUB_API_URL: github.url,
        GITHUB_WEBHOOK_SECRET: webhookSecret,
        GIT_BASE_URL: remotes,
        WORKSPACE_DIR: join(root, "workspaces"),
        TRANSCRIPT_DIR: join(root, "transcripts"),
        MCP_CONFIG_TEMPLATE: join(root, "no-mcp.json"),
        SKILLS_DIR: join(repoRoot, "skills"),
        CLAUDE_BIN: fake.bin,
        // The fake keeps its run counter and call log in its own folder (read-only in the sandbox otherwise).
        SANDBOX_EXTRA_WRITABLE: fake.dir,
        ANTHROPIC_API_KEY: "sk-ant-chaos",
        FIXLINE_CONFIG: fixlineYaml,
        ...overrides,
      };
    },
    async start(role, overrides = {}) {
      const name = `${role}-${processes.length + 1}`;
      const child = await startFixlineProcess({ role, name, env: world.env(overrides), logDir });
      processes.push(child);
      return child;
    },
    async addRepo(name) {
      const remote = await createSampleRemote({ root: remotes, owner: "acme", name });
      github.addRepo(remote.repo, { defaultBranch: "main" });
      github.setRole(remote.repo, approver, "write");
      return remote.repo;
    },
    async approvedTask(repo) {
      const title = `Cart total throws for removed products ${randomUUID().slice(0, 6)}`;
      const ingest = await ingestSignal(db, {
        delivery: { source: "api", deliveryId: randomUUID(), event: "chaos" },
        source: "api",
        sourceKey: `api:${randomUUID()}`,
        repo,
        title,
        context: { description: "computeTotal throws for removed products" },
      });
      const taskId = ingest.taskId!;
      // The planning job the ingest queued is not wanted here: this task is planned by hand below.
      await db.deleteFrom("outbox").where("queue", "=", "planning").where((eb) => eb(eb.ref("data", "->>").key("taskId"), "=", taskId)).execute();
      await transition(db, { taskId, expected: "received", event: { type: "plan_started" } });
      const branch = taskBranchName(taskId, title);
      const work = await mkdtemp(join(root, "plan-"));
      await testGit(["clone", "--quiet", join(remotes, `${repo}.git`), work], root);
      await testGit(["checkout", "--quiet", "-b", branch], work);
      await writeFile(join(work, "PLAN.md"), shopPlan());
      await testGit(["add", "PLAN.md"], work);
      await testGit(["commit", "--quiet", "-m", "plan: add PLAN.md"], work);
      const planSha = await testGit(["rev-parse", "HEAD"], work);
      await testGit(["push", "--quiet", "origin", branch], work);
      await rm(work, { recursive: true, force: true });
      const response = await fetch(`${github.url}/repos/${repo}/pulls`, {
        method: "POST",
        headers: { authorization: `token ${githubToken}`, "content-type": "application/json", accept: "application/vnd.github+json" },
        body: JSON.stringify({ title: `fixline: ${title}`, head: branch, base: "main", body: "PLAN.md", draft: true }),
      });
      if (!response.ok) throw new Error(`fake GitHub refused the draft PR: ${response.status} ${await response.text()}`);
      const pr = (await response.json()) as { number: number; html_url: string };
      await updateTaskFields(db, taskId, { branch, prUrl: pr.html_url });
      await transition(db, { taskId, expected: "planning", event: { type: "plan_ready", planSha, prNumber: pr.number } });
      const { approval } = await recordApproval(db, { taskId, planSha, actor: { via: "github", login: approver } });
      await transition(db, {
        taskId,
        expected: "awaiting_approval",
        event: { type: "approve", planSha },
        jobs: [{ queue: "execution", data: { taskId, approvalId: approval.id } }],
      });
      return { taskId, repo, branch, prNumber: pr.number };
    },
    async waitForState(taskId, states, timeoutMs = 60_000) {
      return waitFor(
        async () => {
          const task = await getTask(db, taskId);
          return task && states.includes(task.state) ? task : undefined;
        },
        { timeoutMs, intervalMs: 200, what: `task ${taskId} in ${states.join("/")}` },
      );
    },
    async remoteLog(repo, branch) {
      const out = await testGit(["--git-dir", join(remotes, `${repo}.git`), "log", "--format=%s", branch], root);
      return out.split("\n").filter(Boolean);
    },
    claudeProcesses: () => findProcesses(fake.dir, `FAKE_CLAUDE_SCENARIO=${fake.dir}`),
    pullsFor: (repo) => github.state.pulls.filter((p) => p.repo === repo),
    async pendingOutbox() {
      const row = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<string>().as("n")).where("sent_at", "is", null).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async close() {
      for (const child of processes) child.killGroup("SIGKILL");
      await Promise.all(processes.map((child) => child.exited));
      // Anything the fake Claude left (there should be nothing; the tests assert that before closing).
      for (const leftover of await world.claudeProcesses()) {
        try {
          process.kill(leftover.pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
      for (const cleanup of cleanups) await cleanup().catch(() => {});
      if (!process.env.CHAOS_KEEP) await rm(root, { recursive: true, force: true });
    },
  };
  return world;
}

export { freePort };
