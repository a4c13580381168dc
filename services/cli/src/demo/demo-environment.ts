import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, type Config } from "@fixline/core";
import { claudeAuthStatus } from "@fixline/claude";
import {
  createFakeClaude,
  createSampleRemote,
  startFakeGitHub,
  startFakeJira,
  startFakeSentry,
  startFakeSlack,
  type FakeClaude,
  type FakeClaudeScenario,
  type FakeGitHub,
  type FakeJira,
  type FakeSentry,
  type FakeSlack,
  type SampleRemote,
} from "@fixline/testing";
import { createDemoDatabase, type DemoDatabase } from "./demo-database";
import { shopReplayScenario } from "./shop-replay-scenario";

const repoRoot = resolve(fileURLToPath(new URL("../../../..", import.meta.url)));

/** Names the demo's fake services and its signed webhooks agree on. */
export const demoNames = {
  repo: "acme/shop",
  maintainer: "maintainer",
  slackChannel: "C0FIXLINE",
  /** A Slack user linked to `maintainer` through approvers.slack. */
  slackMaintainer: "U0MAINTAINER",
  sentryProject: "shop",
  sentryIssueId: "4519253751",
  jiraProject: "SHOP",
  triggerLabel: "fixline",
} as const;

export type DemoAgent = { kind: "claude"; bin: string; authMethod: string | undefined } | { kind: "replay"; fake: FakeClaude };

export interface DemoSecrets {
  github: string;
  sentry: string;
  slack: string;
  jira: string;
  apiToken: string;
}

export interface DemoEnvironment {
  root: string;
  /** The variables Fixline is configured with: loadConfig(env) in this process, or a child process's env. */
  env: Record<string, string>;
  config: Config;
  secrets: DemoSecrets;
  prefix: string;
  port: number;
  github: FakeGitHub;
  slack: FakeSlack;
  jira: FakeJira;
  sentry: FakeSentry;
  remote: SampleRemote;
  agent: DemoAgent;
  database: DemoDatabase | undefined;
  close(): Promise<void>;
}

export interface StartDemoEnvironmentOptions {
  /** Postgres server for a fresh demo database; unset = embedded PGlite in the temp dir. */
  databaseUrl?: string | undefined;
  redisUrl?: string | undefined;
  pathEnv: string;
  homeDir: string;
  /** Claude auth variables to pass on to a real CLI (ANTHROPIC_API_KEY, CLAUDE_CODE_OAUTH_TOKEN...). */
  claudeAuthEnv?: Record<string, string | undefined>;
  /** Never call a model, even when `claude` is installed and logged in (tests, CI). */
  forceReplay?: boolean;
  /** The replay agent's script; default: plan, re-plan, red and green for the shop bug. */
  scenario?: FakeClaudeScenario;
  logLevel?: Config["logLevel"];
  /** Extra variables (tests: METRICS_PORT...). */
  extraEnv?: Record<string, string>;
}

/** A port that was free a moment ago; the dashboard URL must be known before the config is built. */
export async function freePort(): Promise<number> {
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

const secret = (): string => randomBytes(24).toString("hex");

function fixlineYaml(): string {
  return [
    "defaults:",
    `  triggerLabel: ${demoNames.triggerLabel}`,
    "  jiraTransitionOnPlan: In Review",
    "  budgets: { perTaskUsd: 5, perRepoPerDayUsd: 50 }",
    "  flakeReruns: 2",
    "routing:",
    `  sentry: { ${demoNames.sentryProject}: ${demoNames.repo} }`,
    `  jira: { ${demoNames.jiraProject}: ${demoNames.repo} }`,
    `  slackDefaultRepo: ${demoNames.repo}`,
    "repos:",
    `  ${demoNames.repo}: { test: node --test }`,
    "approvers:",
    `  slack: { ${demoNames.slackMaintainer}: ${demoNames.maintainer} }`,
  ].join("\n");
}

/** Which agent runs: the real CLI when it is installed and logged in, the replay agent otherwise. */
async function chooseAgent(options: StartDemoEnvironmentOptions, root: string): Promise<DemoAgent> {
  if (!options.forceReplay) {
    const probe = loadConfig({ PATH: options.pathEnv, HOME: options.homeDir, LOG_LEVEL: "silent", ...options.claudeAuthEnv });
    const status = await claudeAuthStatus(probe, { timeoutMs: 10_000 }).catch(() => undefined);
    if (status?.ok) return { kind: "claude", bin: probe.claude.bin, authMethod: status.authMethod };
  }
  const fake = await createFakeClaude({ scenario: options.scenario ?? shopReplayScenario(), tmpRoot: root });
  return { kind: "replay", fake };
}

/**
 * Everything the demo needs around Fixline, on this machine only: the shop sample as a local bare remote,
 * fake GitHub / Slack / Jira / Sentry APIs, fresh secrets, a fresh database and a unique queue prefix.
 */
export async function startDemoEnvironment(options: StartDemoEnvironmentOptions): Promise<DemoEnvironment> {
  const root = await mkdtemp(join(tmpdir(), "fixline-demo-"));
  const cleanups: Array<() => Promise<unknown>> = [() => rm(root, { recursive: true, force: true })];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const remotes = join(root, "remotes");
    const [github, slack, jira, sentry] = await Promise.all([startFakeGitHub(), startFakeSlack({ channels: [demoNames.slackChannel] }), startFakeJira(), startFakeSentry({ issueIds: [demoNames.sentryIssueId] })]);
    cleanups.push(() => Promise.all([github.close(), slack.close(), jira.close(), sentry.close()]));
    const remote = await createSampleRemote({ root: remotes, owner: "acme", name: "shop", sample: "shop" });
    github.addRepo(demoNames.repo, { defaultBranch: "main" });
    github.setRole(demoNames.repo, demoNames.maintainer, "write");

    const database = options.databaseUrl ? await createDemoDatabase(options.databaseUrl) : undefined;
    if (database) cleanups.push(() => database.drop());
    const agent = await chooseAgent(options, root);
    const secrets: DemoSecrets = { github: secret(), sentry: secret(), slack: secret(), jira: secret(), apiToken: `fxl_${secret()}` };
    const port = await freePort();
    // On Redis Cluster BullMQ's keys must share one slot: the prefix is then a hash tag.
    const clustered = Boolean(options.extraEnv?.REDIS_CLUSTER_NODES);
    const name = `fixline-demo-${randomBytes(4).toString("hex")}`;
    const prefix = clustered ? `{${name}}` : name;
    const env: Record<string, string> = {
      PATH: options.pathEnv,
      // The real CLI finds its login under the user's HOME; the replay agent needs nothing there.
      HOME: agent.kind === "claude" ? options.homeDir : root,
      LOG_LEVEL: options.logLevel ?? "silent",
      ...(database ? { DATABASE_URL: database.url } : { PGLITE_DIR: join(root, "pglite") }),
      REDIS_URL: options.redisUrl ?? "redis://127.0.0.1:6379",
      FIXLINE_QUEUE_PREFIX: prefix,
      HOST: "127.0.0.1",
      PORT: String(port),
      FIXLINE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      FIXLINE_API_TOKEN: secrets.apiToken,
      GITHUB_TOKEN: "ghp_fixline_fake",
      GITHUB_API_URL: github.url,
      GITHUB_WEBHOOK_SECRET: secrets.github,
      GIT_BASE_URL: remotes,
      SLACK_BOT_TOKEN: "xoxb-fixline-fake",
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL: demoNames.slackChannel,
      SLACK_SIGNING_SECRET: secrets.slack,
      SENTRY_AUTH_TOKEN: "sntrys_fixline_fake",
      SENTRY_API_URL: sentry.apiUrl,
      SENTRY_CLIENT_SECRET: secrets.sentry,
      JIRA_BASE_URL: jira.url,
      JIRA_EMAIL: "fixline@example.com",
      JIRA_API_TOKEN: "jira-fake-token",
      JIRA_WEBHOOK_SECRET: secrets.jira,
      CLAUDE_BIN: agent.kind === "claude" ? agent.bin : agent.fake.bin,
      // The fake CLI keeps its run counter and call log in its own folder, which the sandbox shows read-only otherwise.
      ...(agent.kind === "claude" ? {} : { SANDBOX_EXTRA_WRITABLE: agent.fake.dir }),
      WORKSPACE_DIR: join(root, "workspaces"),
      TRANSCRIPT_DIR: join(root, "transcripts"),
      SKILLS_DIR: join(repoRoot, "skills"),
      // No MCP servers: the fakes stand in for the APIs they would reach.
      MCP_CONFIG_TEMPLATE: join(root, "no-mcp.json"),
      SHUTDOWN_GRACE_MS: "5000",
      FIXLINE_CONFIG: fixlineYaml(),
      ...Object.fromEntries(Object.entries(options.claudeAuthEnv ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined && agent.kind === "claude")),
      ...options.extraEnv,
    };
    const config = loadConfig(env);
    return { root, env, config, secrets, prefix, port, github, slack, jira, sentry, remote, agent, database, close };
  } catch (error) {
    await close();
    throw error;
  }
}
