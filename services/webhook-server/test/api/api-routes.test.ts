import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskSources, taskStates } from "@fixline/core";
import { appendWouldHaveSent, closeAgentRun, getTask, openAgentRun, transition, updateTaskFields } from "@fixline/db";
import { cancelChannel } from "@fixline/queue";
import { apiToken, bearer, createTask, planReady, startApiTestApp, userToken, type ApiTestApp } from "./api-test-app";

let t: ApiTestApp;
beforeAll(async () => {
  t = await startApiTestApp();
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, headers: Record<string, string> = bearer) => t.app.inject({ method: "GET", url, headers });
const post = (url: string, payload: unknown, headers: Record<string, string> = bearer) => t.app.inject({ method: "POST", url, headers, payload: payload as object });

describe("authentication", () => {
  it("answers 401 without a token and with a wrong one", async () => {
    for (const headers of [{}, { authorization: "Bearer nope" }, { authorization: apiToken }] as Array<Record<string, string>>) {
      const response = await get("/api/tasks", headers);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: "UNAUTHORIZED" });
    }
    const taskId = await createTask(t.deps);
    for (const [method, url] of [
      ["GET", `/api/tasks/${taskId}`],
      ["GET", `/api/tasks/${taskId}/stream`],
      ["POST", "/api/tasks"],
      ["POST", `/api/tasks/${taskId}/approve`],
      ["POST", `/api/tasks/${taskId}/reject`],
      ["POST", `/api/tasks/${taskId}/retry`],
      ["POST", `/api/tasks/${taskId}/cancel`],
      ["GET", "/queues"],
    ] as const) {
      const response = await t.app.inject({ method, url, ...(method === "POST" ? { payload: {} } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });

  it("slows token guessing without locking anyone out: ten wrong tokens, then the right one still works", async () => {
    const from = (remoteAddress: string, headers: Record<string, string>) => t.app.inject({ method: "GET", url: "/api/tasks", headers, remoteAddress });
    for (let i = 0; i < 9; i++) expect((await from("203.0.113.7", { authorization: `Bearer guess-${i}` })).statusCode).toBe(401);
    // The tenth guess goes through sign-in: guesses count wherever they are made.
    const signIn = await t.app.inject({ method: "POST", url: "/api/session", payload: { token: "guess-9" }, remoteAddress: "203.0.113.7" });
    expect(signIn.statusCode).toBe(401);
    // Further guesses from that address wait...
    const blocked = await from("203.0.113.7", { authorization: "Bearer guess-10" });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ code: "UNAUTHORIZED" });
    // ...a forged personal token and an edited session cookie count as guesses too...
    expect((await from("203.0.113.7", { authorization: "Bearer fxl_forged" })).statusCode).toBe(429);
    // ...but the right credentials from the same address (everyone behind one proxy) still work.
    expect((await from("203.0.113.7", bearer)).statusCode).toBe(200);
    expect((await from("203.0.113.7", await userToken(t.deps, "maintainer"))).statusCode).toBe(200);
    const operatorSignIn = await t.app.inject({ method: "POST", url: "/api/session", payload: { token: apiToken }, remoteAddress: "203.0.113.7" });
    expect(operatorSignIn.statusCode).toBe(200);
    // Another address, and a client that sends no token at all, are not affected.
    expect((await from("203.0.113.8", { authorization: "Bearer guess-x" })).statusCode).toBe(401);
    for (let i = 0; i < 12; i++) expect((await from("203.0.113.9", {})).statusCode).toBe(401);
    expect((await from("203.0.113.9", { authorization: "Bearer guess-y" })).statusCode).toBe(401);
  });

  it("keeps the guess counters in Redis, so a second replica sees them", async () => {
    const replica = await startApiTestApp({ env: { FIXLINE_QUEUE_PREFIX: t.deps.config.queuePrefix } });
    try {
      for (let i = 0; i < 10; i++) await t.app.inject({ method: "GET", url: "/api/tasks", headers: { authorization: `Bearer r-${i}` }, remoteAddress: "198.51.100.4" });
      const there = await replica.app.inject({ method: "GET", url: "/api/tasks", headers: { authorization: "Bearer r-10" }, remoteAddress: "198.51.100.4" });
      expect(there.statusCode).toBe(429);
      expect((await replica.app.inject({ method: "GET", url: "/api/tasks", headers: bearer, remoteAddress: "198.51.100.4" })).statusCode).toBe(200);
    } finally {
      await replica.close();
    }
  });

  it("counts the client's own address behind a configured trusted proxy", async () => {
    const proxied = await startApiTestApp({ env: { TRUSTED_PROXY: "127.0.0.1" } });
    try {
      const via = (client: string, authorization: string) =>
        proxied.app.inject({ method: "GET", url: "/api/tasks", headers: { authorization, "x-forwarded-for": client }, remoteAddress: "127.0.0.1" });
      for (let i = 0; i < 10; i++) expect((await via("192.0.2.50", `Bearer p-${i}`)).statusCode).toBe(401);
      expect((await via("192.0.2.50", "Bearer p-10")).statusCode).toBe(429);
      // Another user behind the same proxy is not the guesser.
      expect((await via("192.0.2.51", "Bearer p-11")).statusCode).toBe(401);
    } finally {
      await proxied.close();
    }
  });

  it("is closed, not open, when FIXLINE_API_TOKEN is not configured", async () => {
    const open = await startApiTestApp({ env: { FIXLINE_API_TOKEN: undefined } });
    try {
      const response = await open.app.inject({ method: "GET", url: "/api/tasks", headers: bearer });
      expect(response.statusCode).toBe(503);
      expect(response.json().message).toContain("FIXLINE_API_TOKEN");
    } finally {
      await open.close();
    }
  });

  it("signs the operator in with an HttpOnly SameSite cookie that is a revocable server-side session, never a GitHub login", async () => {
    const wrong = await post("/api/session", { token: "wrong" }, {});
    expect(wrong.statusCode).toBe(401);
    // A self-asserted login is refused outright.
    const asserted = await post("/api/session", { token: apiToken, login: "maintainer" }, {});
    expect(asserted.statusCode).toBe(400);
    expect(asserted.json().message).toContain("login");

    const signIn = await post("/api/session", { token: apiToken }, {});
    expect(signIn.statusCode).toBe(200);
    const cookies = ([] as string[]).concat(signIn.headers["set-cookie"] ?? []);
    const sessionCookie = cookies.find((c) => c.startsWith("fixline_session="))!;
    expect(sessionCookie).toMatch(/HttpOnly; SameSite=Lax; Max-Age=\d+/);
    // The API token itself is not in the cookie.
    expect(decodeURIComponent(sessionCookie)).not.toContain(apiToken);
    const cookie = sessionCookie.split(";")[0]!;

    const session = await get("/api/session", { cookie });
    expect(session.json()).toMatchObject({ kind: "operator", login: null, via: "dashboard", mayApprove: false });

    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    const approved = await post(`/api/tasks/${taskId}/approve`, { planSha }, { cookie });
    expect(approved.statusCode).toBe(403);
    expect(approved.json().message).toContain("operator");
    // The old unsigned login cookie names nobody.
    const withLoginCookie = await post(`/api/tasks/${taskId}/approve`, { planSha }, { cookie: `${cookie}; fixline_login=maintainer` });
    expect(withLoginCookie.statusCode).toBe(403);
    expect(await t.deps.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).execute()).toEqual([]);

    const signOut = await t.app.inject({ method: "DELETE", url: "/api/session", headers: { cookie } });
    expect(signOut.statusCode).toBe(204);
    expect(([] as string[]).concat(signOut.headers["set-cookie"] ?? []).join()).toContain("Max-Age=0");
    // Revoked server-side: the same cookie, replayed, is no longer a session.
    expect((await get("/api/session", { cookie })).statusCode).toBe(401);
  });

  it("refuses the old fixline_token / fixline_login cookies and an edited session cookie", async () => {
    const old = await get("/api/session", { cookie: `fixline_token=${apiToken}; fixline_login=maintainer` });
    expect(old.statusCode).toBe(401);
    const signIn = await post("/api/session", { token: apiToken }, {});
    const value = ([] as string[]).concat(signIn.headers["set-cookie"] ?? [])[0]!.split(";")[0]!.slice("fixline_session=".length);
    const [secret, mac] = decodeURIComponent(value).split(".");
    const otherMac = `${mac!.slice(0, -2)}${mac!.endsWith("AA") ? "BB" : "AA"}`;
    for (const forged of [`${secret}x.${mac}`, `${secret}.${otherMac}`, secret!, `.${mac}`]) {
      const response = await get("/api/session", { cookie: `fixline_session=${encodeURIComponent(forged)}` });
      expect(response.statusCode, forged).toBe(401);
    }
  });
});

describe("GET /api/tasks", () => {
  it("lists tasks newest first, filtered by state, source and repo, one page at a time", async () => {
    const repo = `acme/list-${randomUUID().slice(0, 8)}`;
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await createTask(t.deps, { repo, title: `list ${i}` }));
    const sentryId = await createTask(t.deps, { repo, source: "sentry" });
    await transition(t.deps.db, { taskId: ids[0]!, expected: "received", event: { type: "cancel" } });

    const all = await get(`/api/tasks?repo=${repo}`);
    expect(all.statusCode).toBe(200);
    expect(all.json().tasks.map((task: { id: string }) => task.id)).toEqual([sentryId, ...[...ids].reverse()]);

    const cancelled = (await get(`/api/tasks?repo=${repo}&state=cancelled`)).json().tasks;
    expect(cancelled.map((task: { id: string }) => task.id)).toEqual([ids[0]]);
    const fromSentry = (await get(`/api/tasks?repo=${repo}&source=sentry`)).json().tasks;
    expect(fromSentry.map((task: { id: string }) => task.id)).toEqual([sentryId]);

    // Keyset pages of two cover everything exactly once.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { tasks: Array<{ id: string }>; nextCursor: string | null } = (await get(`/api/tasks?repo=${repo}&limit=2${cursor ? `&cursor=${cursor}` : ""}`)).json();
      seen.push(...page.tasks.map((task: { id: string }) => task.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.json().tasks.map((task: { id: string }) => task.id));
  });

  it("answers 400 naming the wrong filter", async () => {
    for (const [query, field] of [
      ["state=bogus", "state"],
      ["source=email", "source"],
      ["repo=not-a-repo", "repo"],
      ["limit=0", "limit"],
      ["cursor=zzz", "cursor"],
      ["colour=red", "colour"],
    ]) {
      const response = await get(`/api/tasks?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toBe("PAYLOAD_MALFORMED");
      expect(response.json().message, query).toContain(field);
    }
  });
});

describe("GET /api/tasks/:id", () => {
  it("returns the task with its events, runs (cost and tokens), rendered plan and evidence", async () => {
    const taskId = await createTask(t.deps);
    await planReady(t.deps, taskId, "# Plan\n\nFix <b>rounding</b>.\n");
    const run = await openAgentRun(t.deps.db, { taskId, phase: "planning", transcriptPath: "/tmp/x.jsonl" });
    await closeAgentRun(t.deps.db, run.id, { status: "succeeded", durationMs: 4200, numTurns: 7, costUsd: 0.4125, inputTokens: 1200, outputTokens: 340 });
    await updateTaskFields(t.deps.db, taskId, {
      evidence: {
        red: { command: "npm test", exitCode: 1, failingTests: ["rounds to the cent"], outputExcerpt: "not ok 1" },
        green: { command: "npm test", passed: 3, failed: 0, skipped: 0, reruns: 0, durationMs: 900 },
      },
    });

    const response = await get(`/api/tasks/${taskId}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.task).toMatchObject({ id: taskId, state: "awaiting_approval", costUsd: 0.4125, prNumber: 7 });
    expect(body.events.map((e: { type: string }) => e.type)).toEqual(["received", "plan_started", "plan_ready"]);
    expect(body.runs).toEqual([expect.objectContaining({ phase: "planning", costUsd: 0.4125, numTurns: 7, tokens: { input: 1200, output: 340, cacheRead: 0, cacheCreation: 0 } })]);
    expect(body.plan.html).toContain("<h1>Plan</h1>");
    expect(body.plan.html).toContain("&lt;b&gt;rounding");
    expect(body.evidence.red.exitCode).toBe(1);
    expect(body.context.description).toContain("off by one cent");

    const byPrefix = await get(`/api/tasks/${taskId.replace(/-/g, "").slice(0, 8)}`);
    expect(byPrefix.json().task.id).toBe(taskId);
  });

  it("shows a dry run's held-back actions and the PR it would have opened under data", async () => {
    const taskId = await createTask(t.deps);
    expect((await get(`/api/tasks/${taskId}`)).json().data).toEqual({ wouldHaveSent: [], dryRunPullRequest: null });
    await appendWouldHaveSent(t.deps.db, taskId, { channel: "git", action: "push", target: "acme/shop:fixline/x", summary: "push fixline/x at abc1234" });
    await appendWouldHaveSent(t.deps.db, taskId, { channel: "slack", action: "post_message", target: "C0FIXLINE", summary: "Plan ready", event: "plan_ready" });
    await updateTaskFields(t.deps.db, taskId, { data: { dryRunPullRequest: { title: "fixline: x", body: "## Summary" }, planCommit: "abc1234" } });
    const { data } = (await get(`/api/tasks/${taskId}`)).json();
    expect(data.wouldHaveSent.map((r: { channel: string; action: string }) => `${r.channel}:${r.action}`)).toEqual(["git:push", "slack:post_message"]);
    expect(data.wouldHaveSent[0].at).toMatch(/^\d{4}-/);
    expect(data.dryRunPullRequest).toEqual({ title: "fixline: x", body: "## Summary" });
    // Only the dry-run slice is shown, not the rest of the task data.
    expect(data.planCommit).toBeUndefined();
  });

  it("answers 404 for an unknown id", async () => {
    for (const id of [randomUUID(), "nothing-here"]) {
      const response = await get(`/api/tasks/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("TASK_NOT_FOUND");
    }
  });
});

describe("POST /api/tasks", () => {
  it("creates a task like /agent run, once per Idempotency-Key", async () => {
    const key = randomUUID();
    const headers = { ...(await userToken(t.deps, "maintainer")), "idempotency-key": key };
    const created = await post("/api/tasks", { description: "Checkout total is off by a cent\nSee order 42", repo: "acme/shop" }, headers);
    expect(created.statusCode).toBe(201);
    const task = created.json().task;
    expect(task).toMatchObject({ source: "api", repo: "acme/shop", state: "received", title: "Checkout total is off by a cent", requester: { via: "api", name: "maintainer" } });
    expect(task.sourceKey).toMatch(/^api:[0-9a-f-]{36}$/);
    const outbox = await t.deps.db.selectFrom("outbox").select(["queue", "data"]).execute();
    expect(outbox).toContainEqual({ queue: "planning", data: { taskId: task.id } });

    const again = await post("/api/tasks", { description: "Checkout total is off by a cent", repo: "acme/shop" }, headers);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, task: { id: task.id } });

    const other = await post("/api/tasks", { description: "Another bug", repo: "acme/shop" });
    expect(other.statusCode).toBe(201);
    expect(other.json().task.id).not.toBe(task.id);
  });

  it("a GitHub user starts a task only on a repository they can write to; the operator may start any", async () => {
    const reader = await post("/api/tasks", { description: "run my code", repo: "acme/shop" }, await userToken(t.deps, "visitor"));
    expect(reader.statusCode).toBe(403);
    expect(reader.json().message).toContain("@visitor needs write access to acme/shop");
    const asserted = await post("/api/tasks", { description: "x", repo: "acme/shop", login: "maintainer" }, await userToken(t.deps, "visitor"));
    expect(asserted.statusCode).toBe(400);
    const operator = await post("/api/tasks", { description: "ops task", repo: "acme/shop" });
    expect(operator.statusCode).toBe(201);
    expect(operator.json().task.requester).toEqual({ via: "api", name: "operator" });
  });

  it("answers 400 naming the wrong field", async () => {
    for (const [payload, field] of [
      [{ repo: "acme/shop" }, "description"],
      [{ description: "x" }, "repo"],
      [{ description: "x", repo: "acme" }, "repo"],
      [{ description: "   ", repo: "acme/shop" }, "description"],
      [{ description: "x", repo: "acme/shop", priority: 1 }, "priority"],
    ] as const) {
      const response = await post("/api/tasks", payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: "PAYLOAD_MALFORMED" });
      expect(response.json().message).toContain(field);
    }
    const notJson = await t.app.inject({ method: "POST", url: "/api/tasks", headers: { ...bearer, "content-type": "application/json" }, payload: "{oops" });
    expect(notJson.statusCode).toBe(400);
  });
});

describe("task actions", () => {
  /** A verified identity: a personal API token of that GitHub login. */
  const as = async (login: string, client?: string) => ({ ...(await userToken(t.deps, login)), ...(client ? { "x-fixline-client": client } : {}) });

  it("approve: 200 moves the plan to approved, recorded with the acting login and door", async () => {
    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    const response = await post(`/api/tasks/${taskId}/approve`, { instructions: "keep it small", planSha }, await as("maintainer", "cli"));
    expect(response.statusCode).toBe(200);
    expect(response.json().task.state).toBe("approved");
    const approval = await t.deps.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ login: "maintainer", via: "cli", plan_sha: planSha, instructions: "keep it small" });
    expect(response.json().approvalId).toBe(approval.id);
  });

  it("budget (issue 21): approve with budget $8 grants it; in waiting_budget +5 resumes, a visitor's +5 and the operator token's are 403, a stale plan SHA 409", async () => {
    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    expect((await post(`/api/tasks/${taskId}/approve`, { planSha, budget: "eight" }, await as("maintainer"))).statusCode).toBe(409);
    const approved = await post(`/api/tasks/${taskId}/approve`, { planSha, budget: "$8" }, await as("maintainer"));
    expect(approved.statusCode).toBe(200);
    const grants = () => t.deps.db.selectFrom("budget_grants").select(["kind", "amount_usd", "login"]).where("task_id", "=", taskId).orderBy("created_at").execute();
    expect((await grants()).map((g) => [g.kind, Number(g.amount_usd), g.login])).toEqual([["explicit", 8, "maintainer"]]);
    await transition(t.deps.db, { taskId, expected: "approved", event: { type: "execution_started" } });
    await transition(t.deps.db, { taskId, expected: "executing", event: { type: "budget_exhausted", grantedUsd: 8, spentUsd: 6.5 } });

    expect((await post(`/api/tasks/${taskId}/approve`, { planSha, budget: "+5" }, await as("visitor"))).statusCode).toBe(403);
    expect((await post(`/api/tasks/${taskId}/approve`, { planSha, budget: "+5" })).statusCode).toBe(403);
    const stale = await post(`/api/tasks/${taskId}/approve`, { planSha: "c".repeat(40), budget: "+5" }, await as("maintainer"));
    expect([stale.statusCode, stale.json().code]).toEqual([409, "PLAN_CHANGED"]);
    expect((await getTask(t.deps.db, taskId))!.state).toBe("waiting_budget");
    expect(await grants()).toHaveLength(1);

    const resumed = await post(`/api/tasks/${taskId}/approve`, { planSha, budget: "+5" }, await as("maintainer"));
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().task.state).toBe("executing");
    expect((await grants()).map((g) => [g.kind, Number(g.amount_usd)])).toEqual([["explicit", 8], ["top_up", 5]]);
    const detail = await t.app.inject({ method: "GET", url: `/api/tasks/${taskId}`, headers: await as("maintainer") });
    expect(detail.json().budget).toMatchObject({ grantedUsd: 13, spentUsd: 0 });
  });

  it("answers 403 for a login without write permission, and changes nothing", async () => {
    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    const response = await post(`/api/tasks/${taskId}/approve`, { planSha }, await as("visitor"));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: "FORBIDDEN" });
    expect(response.json().message).toContain("visitor");
    expect((await getTask(t.deps.db, taskId))!.state).toBe("awaiting_approval");
  });

  it("answers 409 when the task's state does not allow the action", async () => {
    const taskId = await createTask(t.deps);
    for (const [action, body] of [["approve", { planSha: "a".repeat(40) }], ["reject", {}], ["retry", {}]] as const) {
      const response = await post(`/api/tasks/${taskId}/${action}`, body, await as("maintainer"));
      expect(response.statusCode, action).toBe(409);
      expect(response.json().code).toBe("ILLEGAL_TRANSITION");
    }
    await post(`/api/tasks/${taskId}/cancel`, {}, await as("maintainer"));
    const again = await post(`/api/tasks/${taskId}/cancel`, {}, await as("maintainer"));
    expect(again.statusCode).toBe(409);
  });

  it("answers 404 for unknown tasks and 400 for a bad field, a missing plan SHA or a self-asserted login", async () => {
    const unknown = await post(`/api/tasks/${randomUUID()}/approve`, { planSha: "a".repeat(40) }, await as("maintainer"));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe("TASK_NOT_FOUND");
    const taskId = await createTask(t.deps);
    const badField = await post(`/api/tasks/${taskId}/reject`, { feedback: 42 }, await as("maintainer"));
    expect(badField.statusCode).toBe(400);
    expect(badField.json().message).toMatch(/^feedback:/);
    const noSha = await post(`/api/tasks/${taskId}/approve`, {}, await as("maintainer"));
    expect(noSha.statusCode).toBe(400);
    expect(noSha.json().message).toMatch(/^planSha:/);
    const bodyLogin = await post(`/api/tasks/${taskId}/cancel`, { login: "maintainer" }, await as("visitor"));
    expect(bodyLogin.statusCode).toBe(400);
    const header = await post(`/api/tasks/${taskId}/cancel`, {}, { ...bearer, "x-fixline-user": "maintainer" });
    expect(header.statusCode).toBe(400);
    expect(header.json().message).toContain("X-Fixline-User");
    expect((await getTask(t.deps.db, taskId))!.state).toBe("received");
  });

  it("the operator token cancels and retries as `operator`, and cannot approve unless the operator config allows it", async () => {
    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    const refused = await post(`/api/tasks/${taskId}/approve`, { planSha });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain("operator.mayApprove");
    expect((await post(`/api/tasks/${taskId}/reject`, { planSha })).statusCode).toBe(403);
    const cancelled = await post(`/api/tasks/${taskId}/cancel`, { reason: "ops" });
    expect(cancelled.statusCode).toBe(200);
    const event = await t.deps.db.selectFrom("task_events").selectAll().where("task_id", "=", taskId).where("type", "=", "cancel").executeTakeFirstOrThrow();
    expect(event.actor).toEqual({ via: "api", login: "operator", role: "operator" });

    const failed = await createTask(t.deps);
    await transition(t.deps.db, { taskId: failed, expected: "received", event: { type: "fail", code: "CLAUDE_CRASHED", message: "boom" } });
    expect((await post(`/api/tasks/${failed}/retry`, {})).statusCode).toBe(200);

    const allowed = await startApiTestApp({ env: { FIXLINE_CONFIG: "operator:\n  mayApprove: true\n" } });
    try {
      const id = await createTask(allowed.deps);
      const sha = await planReady(allowed.deps, id);
      const ok = await allowed.app.inject({ method: "POST", url: `/api/tasks/${id}/approve`, headers: bearer, payload: { planSha: sha } });
      expect(ok.statusCode).toBe(200);
      const approval = await allowed.deps.db.selectFrom("approvals").selectAll().where("task_id", "=", id).executeTakeFirstOrThrow();
      expect(approval).toMatchObject({ login: "operator", via: "api", plan_sha: sha });
    } finally {
      await allowed.close();
    }
  });

  it("refuses an approval for an old plan SHA with 409 PLAN_CHANGED, and approves the current one", async () => {
    const taskId = await createTask(t.deps);
    const oldSha = await planReady(t.deps, taskId);
    // The plan is rejected with feedback and re-planned: a new PLAN.md commit.
    expect((await post(`/api/tasks/${taskId}/reject`, { planSha: oldSha, feedback: "smaller" }, await as("maintainer"))).statusCode).toBe(200);
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "plan_started" } });
    const newSha = "b".repeat(40);
    await transition(t.deps.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha: newSha, prNumber: 7 } });

    const stale = await post(`/api/tasks/${taskId}/approve`, { planSha: oldSha }, await as("maintainer"));
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toEqual({ code: "PLAN_CHANGED", message: "the plan changed; review the new one" });
    expect((await post(`/api/tasks/${taskId}/reject`, { planSha: oldSha }, await as("maintainer"))).statusCode).toBe(409);
    expect((await getTask(t.deps.db, taskId))!.state).toBe("awaiting_approval");
    const current = await post(`/api/tasks/${taskId}/approve`, { planSha: newSha.slice(0, 40) }, await as("maintainer"));
    expect(current.statusCode).toBe(200);
    const approvals = await t.deps.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).execute();
    expect(approvals.map((a) => a.plan_sha)).toEqual([newSha]);
  });

  it("reject with feedback re-plans; without feedback closes the task", async () => {
    const replan = await createTask(t.deps);
    const replanSha = await planReady(t.deps, replan);
    const r1 = await post(`/api/tasks/${replan}/reject`, { planSha: replanSha, feedback: "test the rounding in cents" }, await as("boss"));
    expect(r1.statusCode).toBe(200);
    expect(r1.json().task).toMatchObject({ state: "received", feedback: "test the rounding in cents" });

    const close = await createTask(t.deps);
    const closeSha = await planReady(t.deps, close);
    const r2 = await post(`/api/tasks/${close}/reject`, { planSha: closeSha }, await as("maintainer"));
    expect(r2.json().task.state).toBe("rejected");
  });

  it("retry revives a failed task, also from a POST with no body at all (curl -X POST)", async () => {
    const taskId = await createTask(t.deps);
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "fail", code: "CLAUDE_CRASHED", message: "boom" } });
    const response = await t.app.inject({ method: "POST", url: `/api/tasks/${taskId}/retry`, headers: await as("maintainer") });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().task).toMatchObject({ state: "received", errorCode: null });
  });

  it("cancel stops the task and tells running workers", async () => {
    const taskId = await createTask(t.deps);
    const subscriber = t.redis.worker.duplicate();
    const received: string[] = [];
    await subscriber.subscribe(cancelChannel);
    subscriber.on("message", (_channel, message) => received.push(message));
    try {
      const response = await post(`/api/tasks/${taskId}/cancel`, { reason: "duplicate" }, await as("maintainer"));
      expect(response.statusCode).toBe(200);
      expect(response.json().task.state).toBe("cancelled");
      await expect.poll(() => received).toContain(taskId);
    } finally {
      subscriber.disconnect();
    }
  });
});

describe("dashboard contract", () => {
  it("serves the dashboard its state and source lists from the domain list, without a credential", async () => {
    const contract = await t.app.inject({ method: "GET", url: "/dashboard/contract.js" });
    expect(contract.statusCode).toBe(200);
    expect(contract.headers["content-type"]).toContain("text/javascript");
    expect(contract.body).toContain(`export const taskStates = ${JSON.stringify(taskStates)};`);
    expect(contract.body).toContain(`export const taskSources = ${JSON.stringify(taskSources)};`);
    const app = await t.app.inject({ method: "GET", url: "/dashboard/app.js" });
    expect(app.body).toContain('from "./contract.js"');
    expect(app.body).not.toContain('"awaiting_approval", "approved"');
  });
});

describe("queue view", () => {
  it("serves bull-board behind the same token", async () => {
    expect((await get("/queues", {})).statusCode).toBe(401);
    const page = await get("/queues");
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Fixline queues");
    const api = await get("/queues/api/queues");
    expect(api.statusCode).toBe(200);
    expect(JSON.stringify(api.json())).toContain("planning");
  });
});
