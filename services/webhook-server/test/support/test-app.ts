import { readFileSync } from "node:fs";
import { createHmac, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { loadConfig, silentLogger, type Config } from "@fixline/core";
import type { GitHubClient, RepoPermission } from "@fixline/integrations";
import { createJobQueues, type JobQueues } from "@fixline/queue";
import { createTestDatabase, createTestRedis, type TestDatabase, type TestRedis } from "@fixline/testing";
import type { PermissionChecker } from "@fixline/tasks";
import { buildApp, type AppDeps } from "../../src/index";

export const secrets = {
  github: "gh-secret-test",
  sentry: "sentry-secret-test",
  jira: "jira-secret-test",
  slack: "slack-secret-test",
};

export const fixlineYaml = `
defaults:
  triggerLabel: claude
routing:
  sentry:
    front-end: acme/shop
  jira:
    ED: acme/shop
  slackDefaultRepo: acme/shop
approvers:
  slack:
    W111: octo-writer
    W222: octo-reader
slack:
  repos: [acme/api]
  channels:
    C-LOCKED: [acme/locked]
`;

export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    LOG_LEVEL: "silent",
    GITHUB_WEBHOOK_SECRET: secrets.github,
    SENTRY_CLIENT_SECRET: secrets.sentry,
    JIRA_WEBHOOK_SECRET: secrets.jira,
    SLACK_SIGNING_SECRET: secrets.slack,
    FIXLINE_PUBLIC_URL: "https://fixline.example.com",
    FIXLINE_CONFIG: fixlineYaml,
    ...env,
  });
}

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/webhooks/${name}`, import.meta.url));
}

/** Permissions by login; anything else is "none". */
export function permissionTable(table: Record<string, RepoPermission>): PermissionChecker {
  return async (_repo, login) => table[login] ?? "none";
}

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  database: TestDatabase;
  redis: TestRedis;
  queues: JobQueues;
  close(): Promise<void>;
}

export async function startTestApp(
  options: { env?: Record<string, string | undefined>; checkPermission?: PermissionChecker; nowMs?: () => number; github?: (config: Config) => GitHubClient | undefined } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const queues = createJobQueues({ connection: redis.producer, prefix: redis.prefix });
  const config = testConfig({ FIXLINE_QUEUE_PREFIX: redis.prefix, ...options.env });
  const github = options.github?.(config);
  const deps: AppDeps = {
    config,
    db: database.db,
    redis: redis.producer,
    queues,
    logger: silentLogger(),
    checkPermission: options.checkPermission ?? permissionTable({ "octo-writer": "write", "octo-admin": "admin", "octo-reader": "read" }),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
    ...(github ? { github } : {}),
  };
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    database,
    redis,
    queues,
    async close() {
      await app.close();
      await queues.close();
      await redis.cleanup();
      await database.destroy();
    },
  };
}

const hmac = (secret: string, ...parts: Array<string | Buffer>): string => {
  const h = createHmac("sha256", secret);
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

export function githubHeaders(body: Buffer | string, event: string, delivery = randomUUID()): Record<string, string> {
  return { "content-type": "application/json", "x-github-event": event, "x-github-delivery": delivery, "x-hub-signature-256": `sha256=${hmac(secrets.github, body)}` };
}

export function sentryHeaders(body: Buffer | string, resource: string, requestId = randomUUID(), nowMs = Date.now()): Record<string, string> {
  return {
    "content-type": "application/json",
    "sentry-hook-resource": resource,
    "sentry-hook-timestamp": String(Math.floor(nowMs / 1000)),
    "request-id": requestId,
    "sentry-hook-signature": hmac(secrets.sentry, body),
  };
}

export function jiraHeaders(body: Buffer | string, identifier = randomUUID()): Record<string, string> {
  return { "content-type": "application/json", "x-atlassian-webhook-identifier": identifier, "x-hub-signature": `sha256=${hmac(secrets.jira, body)}` };
}

export function slackHeaders(body: string, nowMs = Date.now(), contentType = "application/x-www-form-urlencoded"): Record<string, string> {
  const ts = String(Math.floor(nowMs / 1000));
  return { "content-type": contentType, "x-slack-request-timestamp": ts, "x-slack-signature": `v0=${hmac(secrets.slack, `v0:${ts}:`, body)}` };
}

/** A Sentry issue.created body for an issue id (compact, as Sentry sends it). */
export function sentryIssueBody(issueId: string, projectSlug = "front-end"): string {
  const payload = JSON.parse(fixture("sentry-issue-created.json").toString("utf8")) as { data: { issue: { id: string; project: { slug: string } } } };
  payload.data.issue.id = issueId;
  payload.data.issue.project.slug = projectSlug;
  return JSON.stringify(payload);
}

export async function countRows(deps: AppDeps, table: "tasks" | "deliveries" | "outbox"): Promise<number> {
  const row = await deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}
