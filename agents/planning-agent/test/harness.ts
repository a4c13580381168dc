import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, silentLogger, type Config } from "@fixline/core";
import { getTask, ingestSignal, startOutboxRelay, type OutboxRelay, type TaskRecord } from "@fixline/db";
import { createWorkspaces } from "@fixline/git";
import { createGitHub, createJira, createSentry, createSlack } from "@fixline/integrations";
import { createNotifyWorker } from "@fixline/notify";
import { createJobQueues, type FixlineWorker, type JobQueues } from "@fixline/queue";
import { createFakeClaude, createSampleRemote, createTestDatabase, createTestRedis, startFakeGitHub, startFakeJira, startFakeSentry, startFakeSlack, waitFor, type FakeClaude, type FakeClaudeScenario, type FakeGitHub, type FakeJira, type FakeSentry, type FakeSlack, type TestDatabase, type TestRedis } from "@fixline/testing";
import { createPlanningWorker } from "../src/index";

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export interface Harness {
  database: TestDatabase;
  redis: TestRedis;
  root: string;
  remotes: string;
  fake: FakeClaude;
  github: FakeGitHub;
  slack: FakeSlack;
  jira: FakeJira;
  sentry: FakeSentry;
  config: Config;
  queues: JobQueues;
  planning: FixlineWorker;
  notify: FixlineWorker;
  relay: OutboxRelay;
  /** Publishes `acme/<name>` from the shop sample as a local bare remote and registers it on the fake GitHub. */
  addRepo(name: string): Promise<string>;
  /** Creates a Sentry-sourced task for issue `issueId` on the repo the Sentry project routes to. */
  sentryTask(issueId: string, project?: string): Promise<string>;
  waitForState(taskId: string, state: string, timeoutMs?: number): Promise<TaskRecord>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra FIXLINE_CONFIG lines under `repos:` etc. */
  fixlineConfig?: string;
  env?: Record<string, string>;
  /** Start without a planning worker (to drive jobs by hand). */
  planningWorker?: boolean;
}

export async function createHarness(scenario: FakeClaudeScenario, options: HarnessOptions = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const root = await mkdtemp(join(tmpdir(), "fixline-planning-test-"));
  const remotes = join(root, "remotes");
  const fake = await createFakeClaude({ scenario, tmpRoot: root });
  const [github, slack, jira, sentry] = await Promise.all([startFakeGitHub(), startFakeSlack(), startFakeJira(), startFakeSentry()]);
  const yaml = [
    "defaults:",
    "  jiraTransitionOnPlan: In Review",
    "  budgets: { perTaskUsd: 2, perRepoPerDayUsd: 20 }",
    "routing:",
    "  sentry: { front-end: acme/shop, shop: acme/shop, other: acme/other, edits: acme/edits, invalid: acme/invalid, twice: acme/twice, pushy: acme/pushy, budget: acme/budget, crash: acme/crash, noclone: acme/noclone, jira: acme/jira, hang: acme/hang, dry: acme/dry }",
    "  jira: { ED: acme/shop }",
    "repos:",
    "  acme/shop: { test: node --test }",
    options.fixlineConfig ?? "",
  ].join("\n");
  const config = loadConfig({
    PATH: process.env.PATH,
    HOME: root,
    LOG_LEVEL: "silent",
    CLAUDE_BIN: fake.bin,
    // The fake keeps its run counter and call log in its own folder, which the sandbox shows read-only otherwise.
    SANDBOX_EXTRA_WRITABLE: fake.dir,
    TRANSCRIPT_DIR: join(root, "transcripts"),
    WORKSPACE_DIR: join(root, "workspaces"),
    SKILLS_DIR: join(repoRoot, "skills"),
    MCP_CONFIG_TEMPLATE: join(root, "no-mcp.json"),
    GIT_BASE_URL: remotes,
    GITHUB_TOKEN: "ghp_fixline_fake",
    GITHUB_API_URL: github.url,
    SLACK_BOT_TOKEN: "xoxb-fixline-fake",
    SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNEL: "C0FIXLINE",
    SENTRY_AUTH_TOKEN: "sntrys_fixline_fake",
    SENTRY_API_URL: sentry.apiUrl,
    SENTRY_CLIENT_SECRET: "sentry-client-secret",
    JIRA_BASE_URL: jira.url,
    JIRA_EMAIL: "fixline@example.com",
    JIRA_API_TOKEN: "jira-fake-token",
    FIXLINE_PUBLIC_URL: "http://fixline.test",
    FIXLINE_CONFIG: yaml,
    ...options.env,
  });
  const logger = silentLogger();
  const githubClient = createGitHub(config, logger);
  const clients = { github: githubClient, slack: createSlack(config, logger), jira: createJira(config, logger), sentry: createSentry(config, logger) };
  const workspaces = createWorkspaces({
    workspaceDir: config.workspaceDir,
    gitBaseUrl: config.github.gitBaseUrl,
    author: { name: config.github.authorName, email: config.github.authorEmail },
    logger,
    pathEnv: process.env.PATH,
  });
  const queues = createJobQueues({ connection: redis.worker, prefix: redis.prefix });
  const relay = startOutboxRelay({ db: database.db, queues, logger, pollMs: 200 });
  const planning = createPlanningWorker({ config, db: database.db, connection: redis.worker, prefix: redis.prefix, logger, workspaces, redis: redis.worker, ...clients });
  if (options.planningWorker === false) await planning.worker.pause();
  const notify = createNotifyWorker({ config, db: database.db, connection: redis.worker, prefix: redis.prefix, logger, ...clients });

  let delivery = 0;
  const harness: Harness = {
    database,
    redis,
    root,
    remotes,
    fake,
    github,
    slack,
    jira,
    sentry,
    config,
    queues,
    planning,
    notify,
    relay,
    async addRepo(name) {
      await createSampleRemote({ root: remotes, owner: "acme", name });
      github.addRepo(`acme/${name}`, { defaultBranch: "main" });
      return `acme/${name}`;
    },
    async sentryTask(issueId, project = "shop") {
      if (!sentry.state.issues.has(issueId)) sentry.addIssue(issueId);
      const outcome = await ingestSignal(database.db, {
        delivery: { source: "sentry", deliveryId: `d-${randomBytes(4).toString("hex")}-${delivery++}`, event: "issue.created" },
        source: "sentry",
        sourceKey: `sentry:${issueId}`,
        repo: config.file.routing.sentry[project] as string,
        title: "TypeError: Cannot read properties of undefined (reading 'price')",
        context: {
          sentry: { issueId, shortId: "SHOP-1A", projectSlug: project, permalink: `https://sentry.example.com/organizations/acme/issues/${issueId}/`, errorType: "TypeError", count: "42" },
        },
        requester: { via: "sentry", name: "sentry" },
      });
      if (outcome.outcome !== "created") throw new Error(`expected a new task, got ${outcome.outcome}`);
      return outcome.taskId;
    },
    async waitForState(taskId, state, timeoutMs = 30_000) {
      return waitFor(
        async () => {
          const task = await getTask(database.db, taskId);
          return task?.state === state ? task : undefined;
        },
        { timeoutMs, intervalMs: 100, what: `task ${taskId} to be ${state}` },
      );
    },
    async close() {
      await Promise.all([planning.drain(2_000), notify.drain(2_000)]);
      await relay.stop();
      await queues.close();
      await Promise.all([github.close(), slack.close(), jira.close(), sentry.close()]);
      // The runner's live-output streams are keyed by task id, outside the test prefix.
      const tasks = await database.db.selectFrom("tasks").select("id").execute();
      if (tasks.length > 0) await redis.worker.del(...tasks.map((t) => `task:${t.id}:output`));
      await redis.cleanup();
      await database.destroy();
      await rm(root, { recursive: true, force: true });
    },
  };
  return harness;
}
