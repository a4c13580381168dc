import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, silentLogger, type Config } from "@fixline/core";
import { getTask, ingestSignal, insertOutboxJobs, signalOutbox, startOutboxRelay, updateTaskFields, wasNotified, type OutboxRelay } from "@fixline/db";
import { adfToText, createGitHub, createJira, createSentry, createSlack } from "@fixline/integrations";
import { metrics } from "@fixline/observability";
import { createJobQueues, type FixlineWorker, type JobRequest, type JobQueues } from "@fixline/queue";
import { createTestDatabase, createTestRedis, startFakeGitHub, startFakeJira, startFakeSentry, startFakeSlack, waitFor, type FakeGitHub, type FakeJira, type FakeSentry, type FakeSlack, type TestDatabase, type TestRedis } from "@fixline/testing";
import { createNotifyWorker } from "../src/index";

interface Setup {
  database: TestDatabase;
  redis: TestRedis;
  slack: FakeSlack;
  jira: FakeJira;
  github: FakeGitHub;
  sentry: FakeSentry;
  config: Config;
  queues: JobQueues;
  relay: OutboxRelay;
  worker: FixlineWorker;
  send(jobs: JobRequest[]): Promise<void>;
  close(): Promise<void>;
}

let current: Setup | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function setup(env: Record<string, string> = {}): Promise<Setup> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const [slack, jira, github, sentry] = await Promise.all([startFakeSlack({ channels: ["C0FIXLINE", "C0REQUEST"] }), startFakeJira(), startFakeGitHub(), startFakeSentry()]);
  github.addRepo("acme/shop");
  const config = loadConfig({
    LOG_LEVEL: "silent",
    SLACK_BOT_TOKEN: "xoxb-fixline-fake",
    SLACK_API_URL: slack.apiUrl,
    JIRA_BASE_URL: jira.url,
    JIRA_EMAIL: "fixline@example.com",
    JIRA_API_TOKEN: "jira-fake-token",
    GITHUB_TOKEN: "ghp_fixline_fake",
    GITHUB_API_URL: github.url,
    SENTRY_AUTH_TOKEN: "sntrys_fixline_fake",
    SENTRY_API_URL: sentry.apiUrl,
    FIXLINE_CONFIG: "defaults:\n  jiraTransitionOnPlan: In Review\n",
    ...env,
  });
  const logger = silentLogger();
  const queues = createJobQueues({ connection: redis.worker, prefix: redis.prefix });
  const relay = startOutboxRelay({ db: database.db, queues, logger, pollMs: 200 });
  const worker = createNotifyWorker({
    config,
    db: database.db,
    connection: redis.worker,
    prefix: redis.prefix,
    logger,
    github: createGitHub(config, logger),
    slack: createSlack(config, logger),
    jira: createJira(config, logger),
    sentry: createSentry(config, logger),
  });
  current = {
    database,
    redis,
    slack,
    jira,
    github,
    sentry,
    config,
    queues,
    relay,
    worker,
    async send(jobs) {
      await insertOutboxJobs(database.db, jobs);
      signalOutbox();
    },
    async close() {
      await worker.drain(2_000);
      await relay.stop();
      await queues.close();
      await Promise.all([slack.close(), jira.close(), github.close(), sentry.close()]);
      await redis.cleanup();
      await database.destroy();
    },
  };
  return current;
}

async function task(s: Setup, fields: { requester?: Record<string, unknown>; context?: Record<string, unknown> } = {}): Promise<string> {
  const created = await ingestSignal(s.database.db, {
    delivery: { source: "api", deliveryId: `n-${Math.random()}`, event: "create" },
    source: "slack",
    sourceKey: `slack:${Math.random()}`,
    repo: "acme/shop",
    title: "Cart total crashes",
    context: (fields.context ?? {}) as never,
    requester: (fields.requester ?? null) as never,
  });
  // ingestSignal queued planning + task_received; planning has no worker here.
  return created.taskId!;
}

const plan = {
  summary: "Skip cart lines whose product was removed.",
  rootCause: "computeTotal in src/cart/total.js:8 reads item.product.price while product is undefined.",
  affectedFiles: ["src/cart/total.js", "test/total.test.js"],
  failingTest: { file: "test/total.test.js", name: "skips lines whose product was removed" },
  testCommand: "node --test",
};

async function notifications(channel: string, outcome: string): Promise<number> {
  const values = (await metrics.notifications.get()).values;
  return values.find((v) => v.labels.channel === channel && v.labels.outcome === outcome)?.value ?? 0;
}

describe("notify worker", () => {
  it("threads a Slack task in the requester's channel and answers on its response_url", async () => {
    const s = await setup();
    const responseUrl = s.slack.responseUrl("r1");
    const taskId = await task(s, {
      requester: { via: "slack", id: "U1", name: "ana", channel: "C0REQUEST", responseUrl },
      context: { slack: { text: "cart is broken", userId: "U1", userName: "ana", channelId: "C0REQUEST" } },
    });
    const root = await waitFor(() => s.slack.state.messages.find((m) => m.channel === "C0REQUEST"));
    expect(root.threadTs).toBeUndefined();
    expect(root.text).toContain("Planning a fix for Cart total crashes (from Slack, ana)");
    await waitFor(async () => (await getTask(s.database.db, taskId))?.slackThreadTs === root.ts, { what: "the thread stored on the task" });

    await s.send([{ queue: "notify", data: { taskId, event: "failed", details: { code: "PLAN_INVALID", message: "PLAN.md lacks Risks" } } }]);
    const failed = await waitFor(() => s.slack.state.messages.find((m) => m.text?.includes("PLAN_INVALID")));
    expect(failed).toMatchObject({ channel: "C0REQUEST", threadTs: root.ts });
    const responses = await waitFor(() => ((s.slack.state.responses.get("r1") ?? []).length === 2 ? s.slack.state.responses.get("r1") : undefined));
    expect(JSON.stringify(responses)).toContain("PLAN_INVALID");
  });

  it("retries only the channel that failed: Slack is not re-sent when Jira recovers", async () => {
    const s = await setup({ SLACK_CHANNEL: "C0FIXLINE" });
    s.jira.addIssue("ED-1");
    const taskId = await task(s, { context: { jira: { key: "ED-1" } } });
    await waitFor(() => s.slack.state.messages.length === 1);
    await updateTaskFields(s.database.db, taskId, { prNumber: 7, prUrl: "https://github.com/acme/shop/pull/7", data: { plan } });
    s.jira.failNext(503);
    await s.send([{ queue: "notify", data: { taskId, event: "plan_ready" } }]);
    const issue = s.jira.state.issues.get("ED-1")!;
    const comment = await waitFor(() => issue.comments[0], { timeoutMs: 15_000 });
    const text = adfToText(comment.body);
    expect(text).toContain("Root cause: computeTotal in src/cart/total.js:8");
    expect(text).toContain("skips lines whose product was removed");
    expect(text).toContain("https://github.com/acme/shop/pull/7");
    await waitFor(() => issue.status === "In Review");
    const planMessages = s.slack.state.messages.filter((m) => m.text?.startsWith("Plan ready"));
    expect(planMessages).toHaveLength(1);
    expect(planMessages[0]!.threadTs).toBe(s.slack.state.messages[0]!.ts);
    expect(issue.comments).toHaveLength(1);
    // The Sentry-less task gets no note; GitHub has nothing to say on plan_ready for a non-GitHub task.
    expect(s.sentry.received.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  it("waits out Slack's and Jira's 429 for as long as Retry-After says, without using up the job's attempts (issue 20)", async () => {
    const s = await setup({ SLACK_CHANNEL: "C0FIXLINE" });
    s.jira.addIssue("ED-2");
    // Each fake answers 429 with Retry-After: 1, more times in a row than the notify job has attempts to spare.
    s.slack.failNext(429, 2);
    const taskId = await task(s, { context: { jira: { key: "ED-2" } } });
    await waitFor(() => s.slack.state.messages.length === 1, { timeoutMs: 20_000, what: "the Slack message after two 429s" });
    await updateTaskFields(s.database.db, taskId, { prNumber: 8, prUrl: "https://github.com/acme/shop/pull/8", data: { plan } });
    s.jira.failNext(429, 2);
    await s.send([{ queue: "notify", data: { taskId, event: "plan_ready" } }]);
    const issue = s.jira.state.issues.get("ED-2")!;
    await waitFor(() => issue.comments[0], { timeoutMs: 20_000, what: "the Jira comment after two 429s" });
    expect(issue.comments).toHaveLength(1);
    expect(s.slack.state.messages.filter((m) => m.text?.startsWith("Plan ready"))).toHaveLength(1);
    const jobs = await waitFor(async () => {
      const completed = await s.queues.queue("notify").getJobs(["completed"]);
      return completed.length >= 2 ? completed : undefined;
    }, { what: "both notify jobs completed" });
    // The 429 waits were delays, not failed attempts (attemptsMade counts only the run that completed).
    for (const job of jobs) expect(job.attemptsMade, job.id).toBeLessThanOrEqual(1);
  });

  it("skips a channel that refuses (4xx) without failing the job or the other channels", async () => {
    const s = await setup();
    s.jira.addIssue("ED-2");
    const before = await notifications("slack", "rejected");
    const taskId = await task(s, { requester: { via: "slack", channel: "CGONE" }, context: { jira: { key: "ED-2" } } });
    await s.send([{ queue: "notify", data: { taskId, event: "failed", details: { code: "CLONE_FAILED", message: "could not fetch" } } }]);
    await waitFor(() => s.jira.state.issues.get("ED-2")!.comments.length === 1);
    expect(adfToText(s.jira.state.issues.get("ED-2")!.comments[0]!.body)).toContain("CLONE_FAILED");
    await waitFor(async () => (await notifications("slack", "rejected")) >= before + 2);
    expect(s.slack.state.messages).toHaveLength(0);
    expect(await wasNotified(s.database.db, taskId, "job:ob-3", "slack")).toMatchObject({ externalId: expect.stringContaining("INTEGRATION_REJECTED") });
  });

  it("comments a refused command on the PR once, however often the job is delivered", async () => {
    const s = await setup();
    const pr = s.github.addIssue("acme/shop", { title: "fixline: Cart total crashes" });
    const taskId = await task(s);
    await updateTaskFields(s.database.db, taskId, { prNumber: pr.number, prUrl: `https://github.com/acme/shop/pull/${pr.number}` });
    const refused = { taskId, event: "command_refused" as const, details: { key: "delivery-42", login: "mallory", command: "approve", message: "Only users with write access can approve." } };
    await s.send([{ queue: "notify", data: refused }, { queue: "notify", data: refused }]);
    await waitFor(() => s.github.state.comments.length === 1);
    await new Promise((r) => setTimeout(r, 500));
    const comments = s.github.state.comments.filter((c) => c.issueNumber === pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("@mallory Only users with write access can approve.");
    expect(comments[0]!.body).toContain("<!-- fixline:notify/command_refused/delivery-42 -->");
  });

  it("records what it would have sent in dry-run mode, and sends nothing", async () => {
    const s = await setup({ SLACK_CHANNEL: "C0FIXLINE", FIXLINE_DRY_RUN: "1" });
    s.jira.addIssue("ED-3");
    const taskId = await task(s, { context: { jira: { key: "ED-3" } } });
    await updateTaskFields(s.database.db, taskId, { prNumber: 9, prUrl: "https://github.com/acme/shop/pull/9", data: { plan } });
    await s.send([{ queue: "notify", data: { taskId, event: "plan_ready" } }]);
    const record = await waitFor(async () => {
      const t = await getTask(s.database.db, taskId);
      const sent = (t?.data.wouldHaveSent ?? []) as Array<{ channel: string; event: string }>;
      return sent.length >= 4 ? sent : undefined;
    });
    expect(record.map((r) => `${r.event}:${r.channel}`).sort()).toEqual(["plan_ready:jira", "plan_ready:jira_transition", "plan_ready:slack", "task_received:slack"]);
    expect(s.slack.state.messages).toHaveLength(0);
    expect(s.jira.state.issues.get("ED-3")!.comments).toHaveLength(0);
  });
});
