import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask } from "@fixline/db";
import { fixture, jiraHeaders, startTestApp, type TestApp } from "./support/test-app";

function jiraBody(key: string, description: unknown, options: { event?: string; labels?: string[]; changelog?: unknown } = {}): string {
  const payload = JSON.parse(fixture("jira-issue-created.json").toString("utf8")) as { webhookEvent: string; issue: { key: string; fields: Record<string, unknown> }; changelog?: unknown };
  payload.issue.key = key;
  payload.issue.fields.description = description;
  if (options.labels) payload.issue.fields.labels = options.labels;
  if (options.event) payload.webhookEvent = options.event;
  if (options.changelog) payload.changelog = options.changelog;
  return JSON.stringify(payload);
}

describe("POST /webhooks/jira", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const post = (body: string, identifier = randomUUID()) => t.app.inject({ method: "POST", url: "/webhooks/jira", payload: body, headers: jiraHeaders(body, identifier) });

  it("turns the documented jira:issue_created payload with the trigger label into a task", async () => {
    const body = fixture("jira-issue-created.json");
    const res = await t.app.inject({ method: "POST", url: "/webhooks/jira", payload: body, headers: jiraHeaders(body) });
    expect(res.statusCode).toBe(200);
    const task = await getTask(t.deps.db, res.json<{ taskId: string }>().taskId);
    expect(task).toMatchObject({ source: "jira", sourceKey: "jira:ED-1", repo: "acme/shop", title: "ED-1: Login fails with TypeError when email contains a plus sign" });
    expect(task?.context.jira).toMatchObject({ key: "ED-1", projectKey: "ED", url: "https://your-domain.atlassian.net/browse/ED-1", descriptionText: expect.stringContaining("TypeError") });
  });

  it("accepts ADF and null descriptions", async () => {
    const adf = { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "Checkout total is negative" }] }] };
    const withAdf = await post(jiraBody("ED-2", adf));
    expect((await getTask(t.deps.db, withAdf.json<{ taskId: string }>().taskId))?.context.jira?.descriptionText).toBe("Checkout total is negative");
    const withNull = await post(jiraBody("ED-3", null));
    expect(withNull.json()).toMatchObject({ outcome: "created" });
  });

  it("ignores issues without the trigger label, and updates that did not add it when no task is live", async () => {
    expect((await post(jiraBody("ED-4", "x", { labels: ["bug"] }))).json()).toMatchObject({ outcome: "ignored" });
    expect((await post(jiraBody("ED-5", "edited", { event: "jira:issue_updated", changelog: { items: [{ field: "summary", fromString: "a", toString: "b" }] } }))).json()).toMatchObject({
      outcome: "ignored",
    });
    const added = await post(jiraBody("ED-5", "edited", { event: "jira:issue_updated", changelog: { items: [{ field: "labels", fromString: "bug", toString: "bug claude" }] } }));
    expect(added.json()).toMatchObject({ outcome: "created" });
  });

  it("dedupes a late or double delivery by X-Atlassian-Webhook-Identifier", async () => {
    const body = jiraBody("ED-6", "twice");
    const id = randomUUID();
    const first = await post(body, id);
    const second = await post(body, id);
    expect(second.json()).toMatchObject({ outcome: "duplicate", taskId: first.json<{ taskId: string }>().taskId });
  });

  it("answers 200 unroutable for a project without a repository", async () => {
    const payload = JSON.parse(jiraBody("OPS-1", "x")) as { issue: { fields: { project: { key: string } } } };
    payload.issue.fields.project.key = "OPS";
    expect((await post(JSON.stringify(payload))).json()).toMatchObject({ outcome: "unroutable" });
  });
});

describe("JIRA_ALLOWED_IPS", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { JIRA_ALLOWED_IPS: "104.192.136.0/21, 2401:1d80:3000::/36", TRUSTED_PROXY: "10.0.0.5" } });
  });
  afterAll(async () => {
    await t.close();
  });
  const body = jiraBody("ED-10", "allowlist");
  const post = (remoteAddress: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "POST", url: "/webhooks/jira", payload: body, remoteAddress, headers: { ...jiraHeaders(body), ...headers } });

  it("refuses addresses outside the list with 403 before any other work", async () => {
    const res = await post("198.51.100.7");
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "IP_NOT_ALLOWED" });
    // Even a bad signature from outside is answered 403, not 401: the address is checked first.
    const unsigned = await t.app.inject({ method: "POST", url: "/webhooks/jira", payload: body, remoteAddress: "2001:db8::1", headers: { "content-type": "application/json" } });
    expect(unsigned.statusCode).toBe(403);
    expect(await t.deps.db.selectFrom("deliveries").select("id").execute()).toHaveLength(0);
  });

  it("admits IPv4 and IPv6 addresses inside the ranges", async () => {
    expect((await post("104.192.137.20")).json()).toMatchObject({ outcome: "created" });
    expect((await post("2401:1d80:3001::9", { "x-atlassian-webhook-identifier": randomUUID() })).json()).toMatchObject({ outcome: "updated" });
  });

  it("honours X-Forwarded-For only from a trusted proxy", async () => {
    expect((await post("10.0.0.5", { "x-forwarded-for": "104.192.136.9" })).statusCode).toBe(200);
    expect((await post("10.0.0.5", { "x-forwarded-for": "198.51.100.7" })).statusCode).toBe(403);
    // An untrusted peer cannot claim an allowed address.
    expect((await post("198.51.100.8", { "x-forwarded-for": "104.192.136.9" })).statusCode).toBe(403);
  });

  it("does not restrict the other webhooks", async () => {
    const res = await t.app.inject({ method: "POST", url: "/webhooks/github", remoteAddress: "198.51.100.7", headers: { "content-type": "application/json" }, payload: "{}" });
    expect(res.statusCode).toBe(401);
  });
});
