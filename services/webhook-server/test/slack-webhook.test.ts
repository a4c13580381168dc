import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask, listTaskEvents, transition } from "@fixline/db";
import { fixture, slackHeaders, startTestApp, type TestApp } from "./support/test-app";

function commandForm(text: string, fields: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: "ignored",
    team_id: "T1DC2JH3J",
    channel_id: "C42",
    user_id: "W111",
    user_name: "roadrunner",
    command: "/agent",
    text,
    response_url: "https://hooks.slack.com/commands/T1/2/3",
    trigger_id: `${Date.now()}.${Math.random().toString(16).slice(2)}`,
    ...fields,
  }).toString();
}

describe("Slack", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const command = (form: string) => t.app.inject({ method: "POST", url: "/webhooks/slack/commands", payload: form, headers: slackHeaders(form) });
  const interaction = (payload: unknown) => {
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return t.app.inject({ method: "POST", url: "/webhooks/slack/interactions", payload: form, headers: slackHeaders(form) });
  };

  it("/agent run creates a task and acknowledges within 3 s with an ephemeral message carrying the id and link", async () => {
    const started = performance.now();
    const res = await command(commandForm("run acme/api checkout total is negative for coupons"));
    const elapsed = performance.now() - started;
    expect(res.statusCode).toBe(200);
    expect(elapsed).toBeLessThan(3_000);
    const reply = res.json<{ response_type: string; text: string }>();
    expect(reply.response_type).toBe("ephemeral");
    const task = (await t.deps.db.selectFrom("tasks").selectAll().where("repo", "=", "acme/api").execute())[0]!;
    expect(reply.text).toContain(task.id.slice(0, 8));
    expect(reply.text).toContain(`https://fixline.example.com/tasks/${task.id}`);
    expect(task).toMatchObject({ source: "slack", title: "checkout total is negative for coupons", slack_channel: "C42" });
    expect(task.requester).toMatchObject({ via: "slack", id: "W111", responseUrl: "https://hooks.slack.com/commands/T1/2/3", channel: "C42" });
  });

  it("/agent run without owner/repo uses routing.slackDefaultRepo", async () => {
    const res = await command(commandForm("run the login page 500s"));
    expect(res.statusCode).toBe(200);
    const tasks = await t.deps.db.selectFrom("tasks").select(["repo", "title"]).where("title", "=", "the login page 500s").execute();
    expect(tasks).toEqual([{ repo: "acme/shop", title: "the login page 500s" }]);
  });

  it("a retried slash command (same trigger id) creates one task", async () => {
    const form = commandForm("run acme/shop duplicate check", { trigger_id: "777.888.dup" });
    const first = await command(form);
    const second = await command(form);
    expect(first.json<{ text: string }>().text).toContain("queued");
    expect(second.statusCode).toBe(200);
    expect(await t.deps.db.selectFrom("tasks").select("id").where("source_key", "=", "slack:777.888.dup").execute()).toHaveLength(1);
  });

  it("/agent status, /agent help and unknown subcommands answer ephemerally", async () => {
    const run = await command(commandForm("run acme/shop status me"));
    const id = /`([0-9a-f]{8})`/.exec(run.json<{ text: string }>().text)![1]!;
    const status = await command(commandForm(`status ${id}`));
    expect(status.json<{ text: string }>().text).toContain("received");
    expect((await command(commandForm("help"))).json<{ text: string }>().text).toContain("/agent run");
    const unknown = (await command(commandForm("deploy prod"))).json<{ response_type: string; text: string }>();
    expect(unknown).toMatchObject({ response_type: "ephemeral" });
    expect(unknown.text).toContain("Unknown command `deploy`");
    expect(unknown.text).toContain("/agent run");
  });

  it("answers the Events API url_verification handshake", async () => {
    const body = JSON.stringify({ token: "x", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const res = await t.app.inject({ method: "POST", url: "/webhooks/slack/commands", payload: body, headers: slackHeaders(body, Date.now(), "application/json") });
    expect(res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  async function planAwaitingApproval(text: string): Promise<string> {
    await command(commandForm(`run acme/shop ${text}`));
    const task = await t.deps.db.selectFrom("tasks").select("id").where("title", "=", text).executeTakeFirstOrThrow();
    await transition(t.deps.db, { taskId: task.id, expected: "received", event: { type: "plan_started" } });
    await transition(t.deps.db, { taskId: task.id, expected: "planning", event: { type: "plan_ready", planSha: "b".repeat(40), prNumber: 77 } });
    return task.id;
  }

  function buttonPayload(userId: string, actionId: string, taskId: string, triggerId: string, planSha = "b".repeat(40)) {
    const payload = JSON.parse(fixture("slack-block_actions.payload.json").toString("utf8")) as { user: { id: string }; trigger_id: string; actions: Array<{ action_id: string; value: string }> };
    payload.user.id = userId;
    payload.trigger_id = triggerId;
    payload.actions[0]!.action_id = actionId;
    payload.actions[0]!.value = `${taskId}:${planSha}`;
    return payload;
  }

  it("the Approve button from a Slack user mapped to a GitHub login with write access approves", async () => {
    const taskId = await planAwaitingApproval("button approve");
    const res = await interaction(buttonPayload("W111", "fixline_approve", taskId, "t.approve.1"));
    expect(res.statusCode).toBe(200);
    expect((await getTask(t.deps.db, taskId))?.state).toBe("approved");
    expect((await listTaskEvents(t.deps.db, taskId)).find((e) => e.type === "approve")?.actor).toMatchObject({ via: "slack", login: "octo-writer" });
  });

  it("Continue with +$5 (issue 21): a reader's click is refused; a writer's resumes a task waiting for budget once", async () => {
    const taskId = await planAwaitingApproval("button budget");
    await interaction(buttonPayload("W111", "fixline_approve", taskId, "t.budget.0"));
    await transition(t.deps.db, { taskId, expected: "approved", event: { type: "execution_started" } });
    await transition(t.deps.db, { taskId, expected: "executing", event: { type: "budget_exhausted", grantedUsd: 1, spentUsd: 0.9 } });
    const topUps = () => t.deps.db.selectFrom("budget_grants").select("amount_usd").where("task_id", "=", taskId).where("kind", "=", "top_up").execute();
    await interaction(buttonPayload("W222", "fixline_add_budget", taskId, "t.budget.1"));
    expect((await getTask(t.deps.db, taskId))?.state).toBe("waiting_budget");
    expect(await topUps()).toHaveLength(0);
    const click = buttonPayload("W111", "fixline_add_budget", taskId, "t.budget.2");
    expect((await interaction(click)).json<{ text: string }>().text).toMatch(/^approve recorded/);
    await interaction(click);
    await interaction(buttonPayload("W111", "fixline_add_budget", taskId, "t.budget.3"));
    expect((await getTask(t.deps.db, taskId))?.state).toBe("executing");
    expect((await topUps()).map((g) => Number(g.amount_usd))).toEqual([5]);
  });

  it("refuses the Approve button from a mapped user with read access, and from an unmapped user", async () => {
    const taskId = await planAwaitingApproval("button refused");
    const reader = await interaction(buttonPayload("W222", "fixline_approve", taskId, "t.refuse.1"));
    expect(reader.json()).toMatchObject({ response_type: "ephemeral" });
    const stranger = await interaction(buttonPayload("W999", "fixline_approve", taskId, "t.refuse.2"));
    expect(stranger.json<{ text: string }>().text).toContain("approvers.slack");
    expect((await getTask(t.deps.db, taskId))?.state).toBe("awaiting_approval");
    const notices = await t.deps.db.selectFrom("outbox").select("data").where("queue", "=", "notify").execute();
    const refusals = notices.map((n) => n.data as { taskId: string; event: string; details?: Record<string, unknown> }).filter((d) => d.taskId === taskId && d.event === "command_refused");
    expect(refusals).toHaveLength(2);
    expect(refusals.every((r) => r.details?.responseUrl === "https://hooks.slack.com/actions/T111/111/random-value")).toBe(true);
  });

  it("a button click decides the plan its message showed: an old plan's button is refused, the same click replayed does nothing", async () => {
    const taskId = await planAwaitingApproval("button stale");
    const stale = await interaction(buttonPayload("W111", "fixline_approve", taskId, "t.stale.1", "a".repeat(40)));
    expect(stale.json<{ text: string }>().text).toBe("the plan changed; review the new one");
    const unbound = await interaction({ ...buttonPayload("W111", "fixline_approve", taskId, "t.stale.2"), actions: [{ action_id: "fixline_approve", value: taskId, action_ts: "1.2" }] });
    expect(unbound.json<{ text: string }>().text).toContain("say which plan you reviewed");
    expect((await getTask(t.deps.db, taskId))?.state).toBe("awaiting_approval");
    const click = buttonPayload("W111", "fixline_reject", taskId, "t.replay.1");
    expect((await interaction(click)).json()).toMatchObject({ text: expect.stringMatching(/^reject recorded/) });
    // Resent with the same trigger id (a replay within Slack's signature window): nothing more happens.
    expect((await interaction(click)).json()).toMatchObject({ outcome: "duplicate" });
    expect((await listTaskEvents(t.deps.db, taskId)).filter((e) => e.type === "reject")).toHaveLength(1);
  });

  it("/agent run only for repositories in the Slack allowlist, per channel where configured, with a clear reply", async () => {
    const secret = await command(commandForm("run other-org/secret-repo dump the secrets"));
    expect(secret.statusCode).toBe(200);
    expect(secret.json<{ text: string }>().text).toContain("other-org/secret-repo is not open to `/agent run`");
    expect(secret.json<{ text: string }>().text).toContain("acme/api, acme/shop");
    const locked = await command(commandForm("run acme/api from the locked channel", { channel_id: "C-LOCKED" }));
    expect(locked.json<{ text: string }>().text).toContain("Allowed here: acme/locked.");
    expect(await t.deps.db.selectFrom("tasks").select("id").where("repo", "in", ["other-org/secret-repo"]).execute()).toEqual([]);
    expect(await t.deps.db.selectFrom("tasks").select("id").where("title", "=", "from the locked channel").execute()).toEqual([]);
  });

  it("/agent run only for Slack users mapped to a GitHub login with write access", async () => {
    const reader = await command(commandForm("run acme/shop reader wants a task", { user_id: "W222" }));
    expect(reader.json<{ text: string }>().text).toContain("needs write access; octo-reader has read");
    const stranger = await command(commandForm("run acme/shop stranger wants a task", { user_id: "W999" }));
    expect(stranger.json<{ text: string }>().text).toContain("approvers.slack");
    expect(await t.deps.db.selectFrom("tasks").select("id").where("title", "in", ["reader wants a task", "stranger wants a task"]).execute()).toEqual([]);
  });

  it("/agent status escapes the task's title and error for mrkdwn", async () => {
    const run = await command(commandForm("run acme/shop <!channel> see <https://evil.example|here> & more"));
    const id = /`([0-9a-f]{8})`/.exec(run.json<{ text: string }>().text)![1]!;
    const status = (await command(commandForm(`status ${id}`))).json<{ text: string }>().text;
    expect(status).toContain("&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; more");
    expect(status).not.toContain("<!channel>");
    const unknown = (await command(commandForm("<!here>"))).json<{ text: string }>().text;
    expect(unknown).not.toContain("<!here>");
  });

  it("the Reject button closes the plan", async () => {
    const taskId = await planAwaitingApproval("button reject");
    await interaction(buttonPayload("W111", "fixline_reject", taskId, "t.reject.1"));
    expect((await getTask(t.deps.db, taskId))?.state).toBe("rejected");
  });

  it("records other interactions as ignored", async () => {
    const res = await interaction(buttonPayload("W111", "something_else", "x", "t.other.1"));
    expect(res.json()).toMatchObject({ outcome: "ignored" });
  });
});
