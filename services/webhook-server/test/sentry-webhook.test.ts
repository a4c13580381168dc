import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask, listTaskEvents } from "@fixline/db";
import { registry } from "@fixline/observability";
import { countRows, fixture, sentryHeaders, sentryIssueBody, startTestApp, type TestApp } from "./support/test-app";

describe("POST /webhooks/sentry", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: string | Buffer, headers: Record<string, string>) => t.app.inject({ method: "POST", url: "/webhooks/sentry", payload: body, headers });

  it("turns the documented issue.created payload into a task with its planning and notify jobs", async () => {
    const body = fixture("sentry-issue-created.json");
    const compact = JSON.stringify(JSON.parse(body.toString("utf8")));
    const res = await post(compact, sentryHeaders(compact, "issue"));
    expect(res.statusCode).toBe(200);
    const answer = res.json<{ outcome: string; taskId: string }>();
    expect(answer.outcome).toBe("created");
    const task = await getTask(t.deps.db, answer.taskId);
    expect(task).toMatchObject({ source: "sentry", sourceKey: "sentry:1170820242", repo: "acme/shop", state: "received", title: "ReferenceError: blooopy is not defined" });
    expect(task?.context.sentry).toMatchObject({ issueId: "1170820242", shortId: "FRONT-END-9", projectSlug: "front-end", errorType: "ReferenceError" });
    const jobs = await t.deps.db.selectFrom("outbox").select(["queue", "data"]).execute();
    expect(jobs.filter((j) => (j.data as { taskId?: string }).taskId === answer.taskId).map((j) => j.queue).sort()).toEqual(["notify", "planning"]);
  });

  it("answers a redelivery 2xx with the same task and creates nothing", async () => {
    const body = sentryIssueBody("2001");
    const requestId = randomUUID();
    const first = await post(body, sentryHeaders(body, "issue", requestId));
    const before = { tasks: await countRows(t.deps, "tasks"), outbox: await countRows(t.deps, "outbox"), deliveries: await countRows(t.deps, "deliveries") };
    const again = await post(body, sentryHeaders(body, "issue", requestId));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: "duplicate", taskId: first.json<{ taskId: string }>().taskId });
    expect({ tasks: await countRows(t.deps, "tasks"), outbox: await countRows(t.deps, "outbox"), deliveries: await countRows(t.deps, "deliveries") }).toEqual(before);
  });

  it("folds more alerts for the same Sentry issue into one task and counts them", async () => {
    const body = sentryIssueBody("2002");
    const first = await post(body, sentryHeaders(body, "issue"));
    const second = await post(body, sentryHeaders(body, "issue"));
    const alert = JSON.stringify({
      action: "triggered",
      data: {
        event: {
          issue_id: "2002",
          event_id: "abc123",
          title: "ReferenceError: blooopy is not defined",
          url: "https://sentry.io/api/0/projects/acme/front-end/events/abc123/",
          web_url: "https://sentry.io/organizations/acme/issues/2002/events/abc123/",
          exception: { values: [{ type: "ReferenceError", value: "blooopy is not defined", stacktrace: { frames: [{ filename: "src/runner.js", function: "run", lineno: 12 }] } }] },
        },
        triggered_rule: "Send to Fixline",
      },
    });
    const third = await post(alert, sentryHeaders(alert, "event_alert"));
    const taskId = first.json<{ taskId: string }>().taskId;
    expect(second.json()).toMatchObject({ outcome: "updated", taskId, occurrences: 2 });
    expect(third.json()).toMatchObject({ outcome: "updated", taskId, occurrences: 3 });
    expect((await getTask(t.deps.db, taskId))?.occurrences).toBe(3);
    // Repeats bump the counter only: an alert storm must not flood the task's timeline.
    expect((await listTaskEvents(t.deps.db, taskId)).map((e) => e.type)).toEqual(["received"]);
  });

  it("creates exactly one task from 50 concurrent copies of one delivery", async () => {
    const body = sentryIssueBody("2003");
    const headers = sentryHeaders(body, "issue", randomUUID());
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(body, headers)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const outcomes = answers.map((a) => a.json<{ outcome: string }>().outcome);
    expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(49);
    const tasks = await t.deps.db.selectFrom("tasks").select("id").where("source_key", "=", "sentry:2003").execute();
    expect(tasks).toHaveLength(1);
    expect(new Set(answers.map((a) => a.json<{ taskId: string }>().taskId))).toEqual(new Set([tasks[0]!.id]));
  });

  it("records installation and other resources as ignored with 200", async () => {
    const body = JSON.stringify({ action: "created", data: { installation: { uuid: "x" } }, installation: { uuid: "x" } });
    const requestId = randomUUID();
    const res = await post(body, sentryHeaders(body, "installation", requestId));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: "ignored" });
    const row = await t.deps.db.selectFrom("deliveries").selectAll().where("delivery_id", "=", requestId).executeTakeFirst();
    expect(row).toMatchObject({ source: "sentry", outcome: "ignored", task_id: null });
  });

  it("answers 200 and records unroutable when the project has no repository", async () => {
    const body = sentryIssueBody("2004", "mobile-app");
    const requestId = randomUUID();
    const res = await post(body, sentryHeaders(body, "issue", requestId));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: "unroutable" });
    expect(await t.deps.db.selectFrom("tasks").select("id").where("source_key", "=", "sentry:2004").execute()).toHaveLength(0);
    expect(await t.deps.db.selectFrom("deliveries").select("outcome").where("delivery_id", "=", requestId).executeTakeFirst()).toEqual({ outcome: "unroutable" });
  });

  it("counts deliveries and task starts in the metrics", async () => {
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/ai_agent_webhook_deliveries_total\{source="sentry",outcome="accepted"\} [1-9]/);
    expect(metrics).toMatch(/ai_agent_webhook_deliveries_total\{source="sentry",outcome="duplicate"\} [1-9]/);
    expect(metrics).toMatch(/ai_agent_tasks_started_total\{source="sentry"\} [1-9]/);
    expect(metrics).toMatch(/ai_agent_webhook_ingest_seconds_count\{source="sentry"\} [1-9]/);
  });
});
