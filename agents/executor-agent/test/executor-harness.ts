import { randomUUID } from "node:crypto";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, redactorFor, silentLogger, taskBranchName, type Config } from "@fixline/core";
import { getTask, ingestSignal, listAgentRuns, recordApproval, startOutboxRelay, transition, updateTaskFields, type TaskRecord } from "@fixline/db";
import { createWorkspaces, type Workspaces } from "@fixline/git";
import { createGitHub, renderPullRequestBody, type GitHubClient } from "@fixline/integrations";
import { createJobQueues, type FixlineWorker, type JobQueues } from "@fixline/queue";
import { createNotifyWorker } from "@fixline/notify";
import { createExecutionWorker } from "../src/index";
import { createFakeClaude, createTestDatabase, createTestRedis, startFakeGitHub, waitFor, type FakeClaude, type FakeClaudeScenario, type FakeGitHub, type TestDatabase, type TestRedis, testGit } from "@fixline/testing";

const here = dirname(fileURLToPath(import.meta.url));
export const sampleDir = (name: "js-price-format" | "python-slugify") => resolve(here, "../../../shared/testing/src/sample-repos", name);
const skillsDir = resolve(here, "../../../skills");

export interface PlannedTask {
  taskId: string;
  approvalId: string;
  repo: string;
  branch: string;
  prNumber: number;
  planSha: string;
  remotePath: string;
}

export interface ExecutorHarness {
  root: string;
  database: TestDatabase;
  redis: TestRedis;
  github: FakeGitHub;
  client: GitHubClient;
  fake: FakeClaude;
  queues: JobQueues;
  workspaces: Workspaces;
  /** Publishes a sample as `acme/<name>`, pushes a branch with PLAN.md, opens the draft PR, records the approval: a task in `approved` with its execution job in the outbox. */
  /** `sameRepoAs`: plan on that task's repository (same base commit) instead of publishing a new one. */
  plannedTask(options: { sample: "js-price-format" | "python-slugify"; plan: string; title?: string; sameRepoAs?: PlannedTask }): Promise<PlannedTask>;
  /**
   * What the planning agent's dry run leaves behind: PLAN.md committed on the task branch in the local
   * workspace only (nothing pushed), no pull request (placeholder number 0, no URL), approved from the dashboard.
   */
  dryRunPlannedTask(options: { sample: "js-price-format" | "python-slugify"; plan: string; title?: string }): Promise<PlannedTask>;
  /** Starts an execution worker with this FIXLINE_CONFIG YAML (defaults: fast timeouts, 3 reruns). */
  startWorker(fixlineYaml?: string): Promise<FixlineWorker>;
  /** Sends pending outbox rows (the execution job) to BullMQ. */
  relay(): Promise<number>;
  waitForState(taskId: string, states: string[], timeoutMs?: number): Promise<TaskRecord>;
  /** Subjects on the remote task branch (or another ref), newest first. */
  remoteLog(task: PlannedTask, ref?: string): Promise<string[]>;
  /** The PR's comments on the fake GitHub. */
  prComments(task: PlannedTask): Array<{ body: string }>;
  remoteFile(task: PlannedTask, file: string, ref?: string): Promise<string>;
  phases(taskId: string): Promise<string[]>;
  close(): Promise<void>;
}

export const defaultFixlineYaml = `
defaults:
  flakeReruns: 3
  timeouts: { planningSeconds: 60, executionSeconds: 60, idleSeconds: 30, testSeconds: 60 }
`;

/** `env`: extra variables for the workers' configuration (e.g. secrets planted to prove none leaks). */
export async function createExecutorHarness(options: { env?: Record<string, string> } = {}): Promise<ExecutorHarness> {
  const root = await mkdtemp(join(tmpdir(), "fixline-executor-test-"));
  const remotes = join(root, "remotes");
  await mkdir(remotes, { recursive: true });
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const github = await startFakeGitHub({ token: "ghp_executor_test", login: "fixline-bot" });
  const fake = await createFakeClaude({ scenario: { runs: [] }, tmpRoot: root });
  const baseEnv = {
    PATH: process.env.PATH,
    HOME: root,
    GITHUB_TOKEN: "ghp_executor_test",
    GITHUB_API_URL: github.url,
    GIT_BASE_URL: remotes,
    WORKSPACE_DIR: join(root, "workspaces"),
    TRANSCRIPT_DIR: join(root, "transcripts"),
    MCP_CONFIG_TEMPLATE: join(root, "no-mcp.json"),
    SKILLS_DIR: skillsDir,
    CLAUDE_BIN: fake.bin,
    // The fake keeps its run counter and call log in its own folder, which the sandbox shows read-only otherwise.
    SANDBOX_EXTRA_WRITABLE: fake.dir,
    // Room for npm and node --test (threads count as processes in a pids cgroup); a fork bomb hits it fast.
    SANDBOX_MAX_PROCESSES: "256",
    ANTHROPIC_API_KEY: "sk-ant-test",
    LOG_LEVEL: "silent",
    ...options.env,
  };
  const configFor = (yaml: string): Config => loadConfig({ ...baseEnv, FIXLINE_CONFIG: yaml });
  const config = configFor(defaultFixlineYaml);
  const logger = silentLogger();
  const client = createGitHub(config, logger)!;
  const workspaces = createWorkspaces({
    workspaceDir: config.workspaceDir,
    gitBaseUrl: remotes,
    author: { name: config.github.authorName, email: config.github.authorEmail },
    logger,
    redactor: redactorFor(config),
    pathEnv: process.env.PATH,
  });
  const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
  const outbox = startOutboxRelay({ db: database.db, queues, logger, pollMs: 60_000 });
  const workers: FixlineWorker[] = [];
  // The notify worker owns every message meant for people (issue 15): the PR comments the tests count are
  // its. One at a time, with the latest worker's config (a dry-run repository is dry for it too).
  let notifier: FixlineWorker | undefined;

  async function publishSample(sample: "js-price-format" | "python-slugify", name: string): Promise<string> {
    const work = await mkdtemp(join(root, "publish-"));
    await cp(sampleDir(sample), work, { recursive: true });
    await testGit(["init", "--quiet", "--initial-branch=main"], work);
    await testGit(["add", "--all"], work);
    await testGit(["commit", "--quiet", "-m", "Initial commit"], work);
    const path = join(remotes, "acme", `${name}.git`);
    await mkdir(dirname(path), { recursive: true });
    await testGit(["init", "--quiet", "--bare", "--initial-branch=main", path], work);
    await testGit(["push", "--quiet", path, "main:refs/heads/main"], work);
    await rm(work, { recursive: true, force: true });
    return path;
  }

  return {
    root,
    database,
    redis,
    github,
    client,
    fake,
    queues,
    workspaces,
    async plannedTask({ sample, plan, title = "Price formatting bug", sameRepoAs }) {
      const name = `${sample}-${randomUUID().slice(0, 8)}`;
      const repo = sameRepoAs?.repo ?? `acme/${name}`;
      const remotePath = sameRepoAs?.remotePath ?? (await publishSample(sample, name));
      if (!sameRepoAs) {
        github.addRepo(repo, { defaultBranch: "main" });
        github.setRole(repo, "approver", "write");
      }
      const ingest = await ingestSignal(database.db, {
        delivery: { source: "api", deliveryId: randomUUID(), event: "test" },
        source: "api",
        sourceKey: `api:${randomUUID()}`,
        repo,
        title,
        context: { description: "a bug" },
      });
      const taskId = ingest.taskId!;
      await transition(database.db, { taskId, expected: "received", event: { type: "plan_started" } });
      const branch = taskBranchName(taskId, title);
      // What the planning agent leaves behind: a branch with one PLAN.md commit, pushed, and a draft PR.
      const work = await mkdtemp(join(root, "plan-"));
      await testGit(["clone", "--quiet", remotePath, work], root);
      await testGit(["checkout", "--quiet", "-b", branch], work);
      await writeFile(join(work, "PLAN.md"), plan);
      await testGit(["add", "PLAN.md"], work);
      await testGit(["commit", "--quiet", "-m", "plan: add PLAN.md"], work);
      const planSha = await testGit(["rev-parse", "HEAD"], work);
      await testGit(["push", "--quiet", "origin", branch], work);
      await rm(work, { recursive: true, force: true });
      const body = renderPullRequestBody({ taskId, title, sources: {}, planSummary: "Pad the cents.", costUsd: 0.1 });
      const pr = await client.createDraftPullRequest({ repo, head: branch, base: "main", title: `Fixline: ${title}`, body });
      await updateTaskFields(database.db, taskId, { branch, prUrl: pr.url });
      await transition(database.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha, prNumber: pr.number } });
      const { approval } = await recordApproval(database.db, { taskId, planSha, actor: { via: "github", login: "approver" } });
      await transition(database.db, {
        taskId,
        expected: "awaiting_approval",
        event: { type: "approve", planSha },
        jobs: [{ queue: "execution", data: { taskId, approvalId: approval.id } }],
      });
      return { taskId, approvalId: approval.id, repo, branch, prNumber: pr.number, planSha, remotePath };
    },
    async dryRunPlannedTask({ sample, plan, title = "Price formatting bug" }) {
      const name = `${sample}-${randomUUID().slice(0, 8)}`;
      const repo = `acme/${name}`;
      const remotePath = await publishSample(sample, name);
      const ingest = await ingestSignal(database.db, {
        delivery: { source: "api", deliveryId: randomUUID(), event: "test" },
        source: "api",
        sourceKey: `api:${randomUUID()}`,
        repo,
        title,
        context: { description: "a bug" },
      });
      const taskId = ingest.taskId!;
      await transition(database.db, { taskId, expected: "received", event: { type: "plan_started" } });
      const branch = taskBranchName(taskId, title);
      const workspace = await workspaces.prepare({ taskId, repo, branch });
      await writeFile(join(workspace.path, "PLAN.md"), plan);
      const planSha = (await workspaces.commitAll(workspace.path, "plan: add PLAN.md", { paths: ["PLAN.md"] }))!;
      await updateTaskFields(database.db, taskId, { branch });
      await transition(database.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha, prNumber: 0 } });
      const { approval } = await recordApproval(database.db, { taskId, planSha, actor: { via: "dashboard", login: "approver" } });
      await transition(database.db, {
        taskId,
        expected: "awaiting_approval",
        event: { type: "approve", planSha },
        jobs: [{ queue: "execution", data: { taskId, approvalId: approval.id } }],
      });
      return { taskId, approvalId: approval.id, repo, branch, prNumber: 0, planSha, remotePath };
    },
    async startWorker(fixlineYaml = defaultFixlineYaml) {
      const workerConfig = configFor(fixlineYaml);
      await notifier?.worker.close();
      notifier = createNotifyWorker({ config: workerConfig, db: database.db, connection: redis.worker, prefix: redis.prefix, logger, github: client });
      const worker = createExecutionWorker({
        config: workerConfig,
        db: database.db,
        connection: redis.worker,
        prefix: redis.prefix,
        logger,
        workspaces,
        github: client,
        redis: redis.producer,
        concurrency: 2,
      });
      workers.push(worker);
      return worker;
    },
    // Sends the outbox to BullMQ; the notify jobs a transition queued go out on the next drain, which
    // waitForState does while it waits.
    relay: () => outbox.drainOnce(),
    async waitForState(taskId, states, timeoutMs = 40_000) {
      const task = await waitFor(
        async () => {
          const task = await getTask(database.db, taskId);
          return task && states.includes(task.state) ? task : undefined;
        },
        { timeoutMs, intervalMs: 100, what: `task ${taskId} in ${states.join("/")}` },
      );
      // The announcements the transition queued are sent before the test looks at the fake GitHub.
      await waitFor(
        async () => {
          const sent = await outbox.drainOnce();
          const counts = await queues.queue("notify").getJobCounts("waiting", "active", "delayed", "prioritized");
          return sent === 0 && Object.values(counts).every((n) => n === 0) ? true : undefined;
        },
        { timeoutMs, intervalMs: 100, what: "the notify jobs to be sent" },
      );
      // As the announcements left it (a dry run records them on the task).
      return (await getTask(database.db, taskId)) ?? task;
    },
    async remoteLog(task, ref = task.branch) {
      const out = await testGit(["log", "--format=%s", ref], task.remotePath);
      return out.split("\n").filter(Boolean);
    },
    prComments(task) {
      return github.state.comments.filter((c) => c.repo === task.repo && c.issueNumber === task.prNumber);
    },
    async remoteFile(task, file, ref = task.branch) {
      return testGit(["show", `${ref}:${file}`], task.remotePath);
    },
    async phases(taskId) {
      return (await listAgentRuns(database.db, taskId)).map((r) => r.phase);
    },
    async close() {
      for (const worker of workers) await worker.worker.close(true);
      await notifier?.worker.close(true);
      await outbox.stop();
      await queues.close();
      await github.close();
      await redis.cleanup();
      await database.destroy();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A red run, a corrective red run and a green run, each picked by its prompt. */
export function scenario(runs: { red: FakeClaudeScenario["runs"][number]["steps"]; redRetry?: FakeClaudeScenario["runs"][number]["steps"]; green: FakeClaudeScenario["runs"][number]["steps"] }): FakeClaudeScenario {
  return {
    runs: [
      { match: "STEP 1 of 2", steps: runs.red },
      { match: "red step is NOT proven", steps: runs.redRetry ?? runs.red },
      { match: "STEP 2 of 2", steps: runs.green },
    ],
  };
}
