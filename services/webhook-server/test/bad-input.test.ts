import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registry } from "@fixline/observability";
import { countRows, githubHeaders, jiraHeaders, sentryHeaders, sentryIssueBody, slackHeaders, startTestApp, testConfig, type TestApp } from "./support/test-app";

async function rejectedCount(source: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === "ai_agent_webhook_deliveries_total");
  const value = metric?.values.find((v) => v.labels.source === source && v.labels.outcome === "rejected");
  return Number(value?.value ?? 0);
}

describe("bad input: answered { code, message }, counted, nothing stored", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { WEBHOOK_BODY_LIMIT_BYTES: "65536" } });
  });
  afterAll(async () => {
    // Every case here must have left the database untouched.
    expect(await countRows(t.deps, "deliveries")).toBe(0);
    expect(await countRows(t.deps, "tasks")).toBe(0);
    expect(await countRows(t.deps, "outbox")).toBe(0);
    await t.close();
  });

  const body = sentryIssueBody("9001");

  async function expectRejected(
    request: { url: string; payload?: string | Buffer; headers?: Record<string, string> },
    status: number,
    code: string,
    source = "sentry",
  ): Promise<{ code: string; message: string }> {
    const before = await rejectedCount(source);
    const res = await t.app.inject({ method: "POST", ...request });
    expect(res.statusCode).toBe(status);
    const answer = res.json<{ code: string; message: string }>();
    expect(answer.code).toBe(code);
    expect(answer.message.length).toBeGreaterThan(0);
    expect(await rejectedCount(source)).toBe(before + 1);
    return answer;
  }

  it("missing signature -> 401 SIGNATURE_MISSING", async () => {
    const { "sentry-hook-signature": _dropped, ...headers } = sentryHeaders(body, "issue");
    await expectRejected({ url: "/webhooks/sentry", payload: body, headers }, 401, "SIGNATURE_MISSING");
  });

  it("wrong signature -> 401 SIGNATURE_INVALID (also for a body altered after signing)", async () => {
    await expectRejected({ url: "/webhooks/sentry", payload: body, headers: { ...sentryHeaders(body, "issue"), "sentry-hook-signature": "0".repeat(64) } }, 401, "SIGNATURE_INVALID");
    await expectRejected({ url: "/webhooks/sentry", payload: body.replace("front-end", "front-enD"), headers: sentryHeaders(body, "issue") }, 401, "SIGNATURE_INVALID");
    await expectRejected({ url: "/webhooks/github", payload: "{}", headers: { ...githubHeaders("{}", "issues"), "x-hub-signature-256": "sha256=00" } }, 401, "SIGNATURE_INVALID", "github");
  });

  it("stale or future timestamps -> 401 TIMESTAMP_OUT_OF_WINDOW", async () => {
    const form = "command=%2Fagent&text=help&user_id=W111&trigger_id=1.2.3";
    await expectRejected({ url: "/webhooks/slack/commands", payload: form, headers: slackHeaders(form, Date.now() - 6 * 60_000) }, 401, "TIMESTAMP_OUT_OF_WINDOW", "slack");
    await expectRejected({ url: "/webhooks/slack/commands", payload: form, headers: slackHeaders(form, Date.now() + 6 * 60_000) }, 401, "TIMESTAMP_OUT_OF_WINDOW", "slack");
    await expectRejected({ url: "/webhooks/sentry", payload: body, headers: sentryHeaders(body, "issue", undefined, Date.now() - 2 * 3_600_000) }, 401, "TIMESTAMP_OUT_OF_WINDOW");
  });

  it("valid signature but malformed JSON or form -> 400 PAYLOAD_MALFORMED", async () => {
    const broken = '{"action":"created","data":';
    await expectRejected({ url: "/webhooks/sentry", payload: broken, headers: sentryHeaders(broken, "issue") }, 400, "PAYLOAD_MALFORMED");
    const wrongShape = JSON.stringify({ action: "created", data: { issue: { title: "no id" } } });
    await expectRejected({ url: "/webhooks/sentry", payload: wrongShape, headers: sentryHeaders(wrongShape, "issue") }, 400, "PAYLOAD_MALFORMED");
    await expectRejected({ url: "/webhooks/jira", payload: "[1,2", headers: jiraHeaders("[1,2") }, 400, "PAYLOAD_MALFORMED", "jira");
    const notAForm = "%%%";
    await expectRejected({ url: "/webhooks/slack/commands", payload: notAForm, headers: slackHeaders(notAForm) }, 400, "PAYLOAD_MALFORMED", "slack");
    const badPayload = "payload=%7Bnot-json";
    await expectRejected({ url: "/webhooks/slack/interactions", payload: badPayload, headers: slackHeaders(badPayload) }, 400, "PAYLOAD_MALFORMED", "slack");
  });

  it("unsupported content type -> 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    await expectRejected({ url: "/webhooks/sentry", payload: body, headers: { ...sentryHeaders(body, "issue"), "content-type": "text/plain" } }, 415, "UNSUPPORTED_MEDIA_TYPE");
    await expectRejected({ url: "/webhooks/github", payload: "<xml/>", headers: { ...githubHeaders("<xml/>", "issues"), "content-type": "application/xml" } }, 415, "UNSUPPORTED_MEDIA_TYPE", "github");
  });

  it("body over the configured limit -> 413 PAYLOAD_TOO_LARGE", async () => {
    const big = JSON.stringify({ action: "created", data: { padding: "x".repeat(70_000) } });
    await expectRejected({ url: "/webhooks/sentry", payload: big, headers: sentryHeaders(big, "issue") }, 413, "PAYLOAD_TOO_LARGE");
  });

  it("the default body limit is 5 MiB", () => {
    expect(testConfig().webhookBodyLimitBytes).toBe(5 * 1024 * 1024);
  });

  it("unknown route -> 404 NOT_FOUND", async () => {
    await expectRejected({ url: "/webhooks/bitbucket", payload: "{}", headers: { "content-type": "application/json" } }, 404, "NOT_FOUND", "unknown");
    const res = await t.app.inject({ method: "GET", url: "/webhooks/github" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "NOT_FOUND" });
  });

  it("a provider without a configured secret refuses, naming the variable to set", async () => {
    const bare = await startTestApp({ env: { SENTRY_CLIENT_SECRET: undefined } });
    try {
      const res = await bare.app.inject({ method: "POST", url: "/webhooks/sentry", payload: body, headers: sentryHeaders(body, "issue") });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: "SIGNATURE_INVALID", message: expect.stringContaining("SENTRY_CLIENT_SECRET") });
      expect(await countRows(bare.deps, "deliveries")).toBe(0);
    } finally {
      await bare.close();
    }
  });

  it("an empty body with no content type is refused, and the server keeps answering", async () => {
    const res = await t.app.inject({ method: "POST", url: "/webhooks/github" });
    expect(res.statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
  });
});
