import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFixlineError, loadConfig, silentLogger } from "@fixline/core";
import { startFakeSlack, type FakeSlack, rejectionOf } from "@fixline/testing";
import { createSlack, planReadyMessage, type SlackClient } from "../src";

const token = "xoxb-integration-test";

describe("Slack client against the fake Slack", () => {
  let fake: FakeSlack;
  let slack: SlackClient;

  beforeEach(async () => {
    fake = await startFakeSlack({ token, channels: ["C0FIXLINE", "C0OTHER"] });
    slack = createSlack(loadConfig({ SLACK_BOT_TOKEN: token, SLACK_API_URL: fake.apiUrl, SLACK_CHANNEL: "C0FIXLINE" }), silentLogger())!;
  });
  afterEach(async () => {
    await fake.close();
  });

  it("is undefined without a bot token", () => {
    expect(createSlack(loadConfig({}), silentLogger())).toBeUndefined();
  });

  it("posts Block Kit messages to the default channel with the bot token, then threads and updates", async () => {
    const rendered = planReadyMessage({ taskId: "task-1", title: "Fix <cart>", repo: "acme/shop", planSummary: "Guard nulls", prUrl: "https://github.com/acme/shop/pull/3", costUsd: 0.5 });
    const posted = await slack.postMessage(rendered);
    expect(posted.channel).toBe("C0FIXLINE");
    expect(fake.received[0]?.headers.authorization).toBe(`Bearer ${token}`);
    const stored = fake.state.messages[0];
    expect(stored?.ts).toBe(posted.ts);
    expect(stored?.blocks).toEqual(rendered.blocks);

    const reply = await slack.postMessage({ channel: "C0OTHER", text: "unrelated" });
    expect(reply.channel).toBe("C0OTHER");
    const threaded = await slack.postMessage({ text: "started executing", threadTs: posted.ts });
    expect(fake.state.messages.find((m) => m.ts === threaded.ts)?.threadTs).toBe(posted.ts);

    await slack.updateMessage({ channel: posted.channel, ts: posted.ts, text: "Approved by ada" });
    expect(stored?.text).toBe("Approved by ada");
    expect(stored?.history).toHaveLength(1);
  });

  it("posts ephemeral messages and responds to response_urls", async () => {
    const { messageTs } = await slack.postEphemeral({ user: "U123", text: "Only you can see this" });
    expect(fake.state.messages.find((m) => m.ts === messageTs)).toMatchObject({ user: "U123", channel: "C0FIXLINE" });

    await slack.respond(fake.responseUrl("cmd-1"), { text: "Task queued", response_type: "ephemeral" });
    expect(fake.state.responses.get("cmd-1")).toEqual([{ text: "Task queued", response_type: "ephemeral" }]);
  });

  it("auth.test reports the bot identity", async () => {
    expect(await slack.authTest()).toMatchObject({ team: "Fixline", teamId: "T0FIXLINE", userId: "U0FIXLINE", botId: "B0FIXLINE" });
  });

  it("Slack's ok:false errors are INTEGRATION_REJECTED and name the method", async () => {
    const error = await rejectionOf(slack.postMessage({ channel: "C0NOPE", text: "hi" }));
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);
    expect((error as Error).message).toBe("Slack chat.postMessage was rejected: channel_not_found");

    const bad = createSlack(loadConfig({ SLACK_BOT_TOKEN: "xoxb-wrong", SLACK_API_URL: fake.apiUrl }), silentLogger())!;
    const authError = await rejectionOf(bad.authTest());
    expect(isFixlineError(authError, "INTEGRATION_REJECTED")).toBe(true);
    expect((authError as Error).message).toContain("invalid_auth");
  });

  it("rate limits and 5xx are INTEGRATION_FAILED after one attempt, without sleeping", async () => {
    fake.failNext(429);
    const started = Date.now();
    const limited = await rejectionOf(slack.postMessage({ text: "hi" }));
    expect(Date.now() - started).toBeLessThan(900); // Retry-After is 1 s: the client must not wait it out
    expect(isFixlineError(limited, "INTEGRATION_FAILED")).toBe(true);
    expect((limited as { retryable: boolean }).retryable).toBe(true);
    expect((limited as { details: Record<string, unknown> }).details).toMatchObject({ status: 429, retryAfterSeconds: 1 });

    fake.failNext(503);
    const outage = await rejectionOf(slack.postMessage({ text: "hi" }));
    expect(isFixlineError(outage, "INTEGRATION_FAILED")).toBe(true);
    expect((outage as Error).message).toContain("HTTP 503");
    expect(fake.received).toHaveLength(2);
    expect(fake.state.messages).toHaveLength(0);
  });

  it("a failing response_url is a coded error too", async () => {
    fake.failNext(500);
    const error = await rejectionOf(slack.respond(fake.responseUrl("x"), { text: "hi" }));
    expect(isFixlineError(error, "INTEGRATION_FAILED")).toBe(true);
    expect((error as Error).message).toContain("POST response_url failed (HTTP 500)");
  });
});
