import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, redactorFor } from "@fixline/core";
import { ingestSignal } from "@fixline/db";
import { waitFor } from "@fixline/testing";
import { buildApp } from "@fixline/webhook-server";
import { createHarness, type Harness } from "./harness";
import { shopPlan } from "./plans";

const git = promisify(execFile);

/**
 * Issue 14, item 6, as the attacker tried it: the planning agent got hold of the worker's secrets (here they
 * are simply in its script) and prints them, writes them into PLAN.md and the task title carries one. None
 * may reach GitHub, Slack, Jira, Sentry, the API, SSE, the transcript, the live stream, the logs or the remote.
 */
const planted = {
  GITHUB_TOKEN: "ghp_fixline_fake",
  SLACK_BOT_TOKEN: "xoxb-fixline-fake",
  DATABASE_URL: "postgres://fixline:Db-Pa55word-planted@127.0.0.1:5432/fixline",
  FIXLINE_API_TOKEN: "api-token-planted-0123456789",
  ANTHROPIC_API_KEY: "anthropic-key-planted-abcdef",
};
const dbPassword = "Db-Pa55word-planted";
const secrets = [...Object.values(planted), dbPassword];
const dump = Object.entries(planted).map(([name, value]) => `${name}=${value}`).join("\n");
const encoded = Buffer.from(dump).toString("base64");

function leaks(text: string): string[] {
  return secrets.filter((secret) => text.includes(secret) || text.includes(Buffer.from(secret).toString("base64")) || text.includes(encodeURIComponent(secret)));
}

let h: Harness;
const logLines: string[] = [];

beforeAll(async () => {
  const plan = shopPlan().replace("## Risks\n", `## Risks\n- Found while reading the environment:\n\n\`\`\`\n${dump}\n\`\`\`\n- and encoded: ${encoded}\n`);
  h = await createHarness(
    {
      runs: [
        {
          steps: [
            { type: "text", text: `I read /proc/1/environ:\n${dump}` },
            { type: "text", text: `base64 of it: ${encoded}` },
            { type: "write", path: "PLAN.md", content: plan },
            { type: "result", result: `Plan written. By the way ${planted.GITHUB_TOKEN}`, costUsd: 0.1 },
          ],
        },
      ],
    },
    {
      env: { DATABASE_URL: planted.DATABASE_URL, FIXLINE_API_TOKEN: planted.FIXLINE_API_TOKEN, ANTHROPIC_API_KEY: planted.ANTHROPIC_API_KEY, LOG_LEVEL: "debug" },
      logger: (config) =>
        createLogger({ level: "debug", redactor: redactorFor(config), destination: new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } }) }),
    },
  );
  await h.addRepo("shop");
});

afterAll(async () => {
  await h?.close();
});

describe("planning: nothing secret leaves", () => {
  it("redacts what the agent printed and wrote everywhere Fixline publishes it", async () => {
    h.sentry.addIssue("7001");
    const outcome = await ingestSignal(h.database.db, {
      delivery: { source: "sentry", deliveryId: randomUUID(), event: "issue.created" },
      source: "sentry",
      sourceKey: "sentry:7001",
      repo: "acme/shop",
      title: `Error: connect failed for ${planted.DATABASE_URL}`,
      context: { sentry: { issueId: "7001", shortId: "SHOP-7", projectSlug: "shop", permalink: "https://sentry.example.com/issues/7001/", errorType: "Error", count: "1" } },
      requester: { via: "sentry", name: "sentry" },
    });
    if (outcome.outcome !== "created") throw new Error(outcome.outcome);
    const taskId = outcome.taskId;
    const task = await h.waitForState(taskId, "awaiting_approval", 60_000);

    // The remote: PLAN.md was pushed with the values redacted, the plan otherwise intact.
    const { stdout: remotePlan } = await git("git", ["--git-dir", join(h.remotes, "acme/shop.git"), "show", `${task.branch}:PLAN.md`]);
    expect(leaks(remotePlan)).toEqual([]);
    expect(remotePlan).toContain("[redacted]");
    expect(remotePlan).toContain("## Failing test to write first");
    const { stdout: messages } = await git("git", ["--git-dir", join(h.remotes, "acme/shop.git"), "log", "--format=%B", task.branch!]);
    // The subject is cut at 72 characters, so here only the password inside the URL was still whole.
    expect(messages).toMatch(/fixline: plan for Error: connect failed for \S*\[redacted\]/);
    expect(leaks(messages)).toEqual([]);

    // The fakes: every request body GitHub, Slack, Jira and Sentry received (headers carry the credentials by design).
    await new Promise((done) => setTimeout(done, 500));
    const bodies = JSON.stringify([h.github.received, h.slack.received, h.jira.received, h.sentry.received].flat().map((r) => [r.path, r.query, r.body]));
    expect(h.github.received.some((r) => r.method === "POST" && r.path.endsWith("/pulls"))).toBe(true);
    expect(h.slack.received.length).toBeGreaterThan(0);
    // The Slack message carried the title, whose URL the client redacted on the way out.
    expect(JSON.stringify(h.slack.received.map((r) => r.body))).toContain("[redacted]");
    expect(leaks(bodies)).toEqual([]);
    const pr = h.github.state.pulls.find((p) => p.repo === "acme/shop")!;
    expect(leaks(`${pr.title}\n${pr.body}`)).toEqual([]);

    // The transcript and the live Redis stream.
    const transcriptDir = join(h.config.transcriptDir, taskId);
    // Transcript files only: the sandbox keeps each task's Claude config directory beside them.
    const files = (await readdir(transcriptDir, { withFileTypes: true })).filter((entry) => entry.isFile());
    const transcripts = await Promise.all(files.map((f) => readFile(join(transcriptDir, f.name), "utf8")));
    expect(transcripts.join("")).toContain("I read /proc/1/environ");
    expect(leaks(transcripts.join(""))).toEqual([]);
    const stream = await h.redis.worker.xrange(`task:${taskId}:output`, "-", "+");
    expect(stream.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(stream))).toEqual([]);

    // The API and SSE, as the dashboard reads them.
    const app = await buildApp({ config: h.config, db: h.database.db, redis: h.redis.producer, queues: h.queues, logger: createLogger({ level: "silent" }), checkPermission: async () => "write" });
    try {
      const auth = { authorization: `Bearer ${planted.FIXLINE_API_TOKEN}` };
      const one = await app.inject({ method: "GET", url: `/api/tasks/${taskId}`, headers: auth });
      expect(one.statusCode).toBe(200);
      expect(one.body).toContain("[redacted]");
      const list = await app.inject({ method: "GET", url: "/api/tasks", headers: auth });
      expect(list.statusCode).toBe(200);
      const sse = await app.inject({ method: "GET", url: `/api/tasks/${taskId}/stream?follow=false`, headers: auth });
      expect(sse.body).toContain("event: output");
      expect(sse.body).toContain("event: end");
      expect(leaks(one.body + list.body + sse.body)).toEqual([]);
    } finally {
      await app.close();
    }

    // The logs (debug level: every git command, every Claude line the runner logs).
    expect(logLines.length).toBeGreaterThan(10);
    expect(leaks(logLines.join(""))).toEqual([]);
  });

  it("keeps them out of the Jira comments of a Jira-sourced task too", async () => {
    await h.addRepo("jira");
    h.jira.addIssue("ED-9", { summary: `Login fails with ${planted.SLACK_BOT_TOKEN}` });
    const created = await ingestSignal(h.database.db, {
      delivery: { source: "jira", deliveryId: randomUUID(), event: "jira:issue_created" },
      source: "jira",
      sourceKey: "jira:ED-9",
      repo: "acme/jira",
      title: `Login fails with ${planted.SLACK_BOT_TOKEN} and ${planted.FIXLINE_API_TOKEN}`,
      context: { jira: { key: "ED-9", summary: `Login fails with ${planted.SLACK_BOT_TOKEN}`, descriptionText: dump } },
      requester: { via: "jira", name: "Ana" },
    });
    if (created.outcome !== "created") throw new Error(created.outcome);
    await h.waitForState(created.taskId, "awaiting_approval", 60_000);
    const issue = h.jira.state.issues.get("ED-9")!;
    await waitFor(() => (issue.comments.length > 0 ? issue.comments : undefined), { timeoutMs: 10_000, intervalMs: 100, what: "a Jira comment" });
    const sent = JSON.stringify(h.jira.received.filter((r) => r.method === "POST").map((r) => r.body));
    expect(sent.length).toBeGreaterThan(2);
    expect(leaks(sent)).toEqual([]);
    expect(leaks(JSON.stringify([h.github.received, h.slack.received].flat().map((r) => r.body)))).toEqual([]);
    expect(leaks(logLines.join(""))).toEqual([]);
  });
});
