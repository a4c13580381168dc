import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { revokeSessionsOf } from "@fixline/db";
import { createGitHub } from "@fixline/integrations";
import { startFakeGitHub, type FakeGitHub } from "@fixline/testing";
import { bearer, createTask, freePort, planReady, signInWithGitHub, startApiTestApp, type ApiTestApp } from "./api-test-app";

const clientId = "Iv1.fixline-test";
const clientSecret = "oauth-client-secret-for-tests";

let github: FakeGitHub;
let t: ApiTestApp;
let baseUrl: string;

beforeAll(async () => {
  github = await startFakeGitHub();
  github.enableOAuth({ clientId, clientSecret });
  github.addRepo("acme/shop");
  github.setRole("acme/shop", "octo-writer", "write");
  github.setRole("acme/shop", "octo-reader", "read");
  const port = await freePort();
  t = await startApiTestApp({
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: "ghp_fixline_fake",
      GITHUB_OAUTH_CLIENT_ID: clientId,
      GITHUB_OAUTH_CLIENT_SECRET: clientSecret,
      FIXLINE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      FIXLINE_CONFIG: "routing:\n  defaultRepo: acme/shop\n",
    },
    // The real permission check, live against the (fake) GitHub, as in production.
    checkPermission: (config) => {
      const client = createGitHub(config, silentLogger())!;
      return (repo, login) => client.getPermission(repo, login);
    },
  });
  baseUrl = await t.listen(port);
});
afterAll(async () => {
  await t?.close();
  await github?.close();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${baseUrl}${path}`, { ...init, headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}), ...(init.headers as Record<string, string>) } });

describe("Sign in with GitHub (OAuth web flow against the fake GitHub)", () => {
  it("signs a writer in, and their dashboard approval is recorded with the verified login", async () => {
    github.signInBrowserAs("octo-writer");
    const { cookie, callback } = await signInWithGitHub(baseUrl);
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/");
    const setCookie = callback.headers.getSetCookie().find((c) => c.startsWith("fixline_session="))!;
    expect(setCookie).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=43200/);
    // The exchange went to GitHub's token endpoint with our client secret; the user was looked up once.
    const exchange = github.received.find((r) => r.path === "/login/oauth/access_token")!;
    expect(exchange.body).toMatchObject({ client_id: clientId, client_secret: clientSecret, redirect_uri: `${baseUrl}/auth/github/callback` });
    expect(github.received.some((r) => r.path === "/user" && String(r.headers.authorization).startsWith("token gho_"))).toBe(true);

    expect(await (await api("/api/session", { headers: { cookie } })).json()).toEqual({ kind: "github", login: "octo-writer", via: "dashboard" });

    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    const stale = await api(`/api/tasks/${taskId}/approve`, { method: "POST", headers: { cookie }, body: JSON.stringify({ planSha: "c".repeat(40) }) });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toBe("the plan changed; review the new one");
    const approved = await api(`/api/tasks/${taskId}/approve`, { method: "POST", headers: { cookie }, body: JSON.stringify({ planSha }) });
    expect(approved.status).toBe(200);
    const approval = await t.deps.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ login: "octo-writer", via: "dashboard", plan_sha: planSha });
    // Checked live: the permission endpoint was asked about this login.
    expect(github.received.some((r) => r.path === "/repos/acme/shop/collaborators/octo-writer/permission")).toBe(true);
  });

  it("a reader's session cannot approve, and a session cannot be edited into someone else's", async () => {
    github.signInBrowserAs("octo-reader");
    const { cookie } = await signInWithGitHub(baseUrl);
    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    const refused = await api(`/api/tasks/${taskId}/approve`, { method: "POST", headers: { cookie }, body: JSON.stringify({ planSha }) });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain("@octo-reader needs write access");
    // The attack from issue 16: add the old login cookie, or a header, naming a maintainer.
    const cookieEdit = await api(`/api/tasks/${taskId}/approve`, { method: "POST", headers: { cookie: `${cookie}; fixline_login=octo-writer` }, body: JSON.stringify({ planSha }) });
    expect(cookieEdit.status).toBe(403);
    const header = await api(`/api/tasks/${taskId}/approve`, { method: "POST", headers: { cookie, "x-fixline-user": "octo-writer" }, body: JSON.stringify({ planSha }) });
    expect(header.status).toBe(400);
    const [secret, mac] = decodeURIComponent(cookie.slice("fixline_session=".length)).split(".");
    // One character of the secret changed (to one it was not), the signature kept.
    const edited = `${secret!.slice(0, -1)}${secret!.endsWith("A") ? "B" : "A"}`;
    const forged = await api(`/api/session`, { headers: { cookie: `fixline_session=${encodeURIComponent(`${edited}.${mac}`)}` } });
    expect(forged.status).toBe(401);
    expect(await t.deps.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).execute()).toEqual([]);
  });

  it("refuses a callback without the state it started, a reused code, a denied consent and a wrong client secret", async () => {
    github.signInBrowserAs("octo-writer");
    const start = await fetch(`${baseUrl}/auth/github`, { redirect: "manual" });
    const authorizeUrl = new URL(start.headers.get("location")!);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${github.url}/login/oauth/authorize`);
    expect(authorizeUrl.searchParams.get("client_id")).toBe(clientId);
    const stateCookie = start.headers.getSetCookie()[0]!.split(";")[0]!;
    expect(start.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Lax/);
    const authorized = await fetch(authorizeUrl, { redirect: "manual" });
    const callbackUrl = authorized.headers.get("location")!;

    // Login CSRF: someone else's callback link, opened without our state cookie, signs nobody in.
    const noState = await fetch(callbackUrl, { redirect: "manual" });
    expect(noState.status).toBe(400);
    expect(noState.headers.getSetCookie().some((c) => c.startsWith("fixline_session=") && !c.includes("Max-Age=0"))).toBe(false);
    const otherState = await fetch(callbackUrl.replace(/state=[^&]+/, "state=somebody-elses"), { redirect: "manual", headers: { cookie: stateCookie } });
    expect(otherState.status).toBe(400);

    const ok = await fetch(callbackUrl, { redirect: "manual", headers: { cookie: stateCookie } });
    expect(ok.status).toBe(302);
    // The same code again: GitHub says bad_verification_code; no second session.
    const replay = await fetch(callbackUrl, { redirect: "manual", headers: { cookie: stateCookie } });
    expect(replay.status).toBe(502);

    github.signInBrowserAs(undefined);
    const denied = await signInWithGitHub(baseUrl);
    expect(denied.callback.status).toBe(403);
    expect(denied.cookie).toBe("");

    const wrongPort = await freePort();
    const wrongSecret = await startApiTestApp({
      env: { GITHUB_API_URL: github.url, GITHUB_OAUTH_CLIENT_ID: clientId, GITHUB_OAUTH_CLIENT_SECRET: "not-the-secret", FIXLINE_PUBLIC_URL: `http://127.0.0.1:${wrongPort}` },
    });
    try {
      github.signInBrowserAs("octo-writer");
      const wrong = await signInWithGitHub(await wrongSecret.listen(wrongPort));
      expect(wrong.callback.status).toBe(502);
      expect(wrong.cookie).toBe("");
    } finally {
      await wrongSecret.close();
    }
  });

  it("refuses a GitHub account with no access to any repository Fixline works on", async () => {
    github.signInBrowserAs("octo-stranger");
    const stranger = await signInWithGitHub(baseUrl);
    expect(stranger.callback.status).toBe(403);
    expect(stranger.cookie).toBe("");
    expect(await t.deps.db.selectFrom("user_sessions").select("id").where("login", "=", "octo-stranger").execute()).toEqual([]);
  });

  it("ends sessions on sign-out, on expiry and on server-side revocation", async () => {
    github.signInBrowserAs("octo-writer");
    const signOut = await signInWithGitHub(baseUrl);
    expect((await api("/api/session", { headers: { cookie: signOut.cookie } })).status).toBe(200);
    expect((await api("/api/session", { method: "DELETE", headers: { cookie: signOut.cookie } })).status).toBe(204);
    // The browser may keep the cookie; the server does not honour it any more.
    expect((await api("/api/session", { headers: { cookie: signOut.cookie } })).status).toBe(401);

    const expiring = await signInWithGitHub(baseUrl);
    expect((await api("/api/session", { headers: { cookie: expiring.cookie } })).status).toBe(200);
    const row = await t.deps.db.selectFrom("user_sessions").select(["id", "expires_at", "created_at"]).orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeGreaterThan(11 * 3600_000);
    await t.deps.db.updateTable("user_sessions").set({ expires_at: new Date(Date.now() - 1000) }).where("id", "=", row.id).execute();
    expect((await api("/api/session", { headers: { cookie: expiring.cookie } })).status).toBe(401);

    const revoked = await signInWithGitHub(baseUrl);
    expect(await revokeSessionsOf(t.deps.db, "octo-writer")).toBeGreaterThanOrEqual(1);
    expect((await api("/api/session", { headers: { cookie: revoked.cookie } })).status).toBe(401);
  });
});

describe("personal API tokens", () => {
  it("are created by a signed-in user, shown once, stored hashed, act as that login, record last use, and stop on revocation", async () => {
    github.signInBrowserAs("octo-writer");
    const { cookie } = await signInWithGitHub(baseUrl);
    const created = await api("/api/tokens", { method: "POST", headers: { cookie }, body: JSON.stringify({ name: "laptop" }) });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    expect(token).toMatch(/^fxl_[A-Za-z0-9_-]{43}$/);
    const stored = await t.deps.db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));
    expect(stored.last_used_at).toBeNull();

    // Listed without the secret.
    const listed = (await (await api("/api/tokens", { headers: { cookie } })).json()) as { tokens: unknown[] };
    expect(listed.tokens).toEqual([expect.objectContaining({ id, name: "laptop", login: "octo-writer", lastUsedAt: null, revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(token);

    const auth = { authorization: `Bearer ${token}`, "x-fixline-client": "cli" };
    expect(await (await api("/api/session", { headers: auth })).json()).toEqual({ kind: "github", login: "octo-writer", via: "cli" });
    const taskId = await createTask(t.deps);
    const planSha = await planReady(t.deps, taskId);
    expect((await api(`/api/tasks/${taskId}/approve`, { method: "POST", headers: auth, body: JSON.stringify({ planSha }) })).status).toBe(200);
    expect(await t.deps.db.selectFrom("approvals").select(["login", "via"]).where("task_id", "=", taskId).executeTakeFirstOrThrow()).toEqual({ login: "octo-writer", via: "cli" });
    const used = await t.deps.db.selectFrom("api_tokens").select("last_used_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(used.last_used_at).toBeInstanceOf(Date);

    // A token cannot mint tokens, and neither can the operator.
    expect((await api("/api/tokens", { method: "POST", headers: auth, body: JSON.stringify({ name: "more" }) })).status).toBe(403);
    expect((await api("/api/tokens", { method: "POST", headers: bearer, body: JSON.stringify({ name: "ops" }) })).status).toBe(403);
    // Someone else cannot revoke it.
    github.signInBrowserAs("octo-reader");
    const reader = await signInWithGitHub(baseUrl);
    expect((await api(`/api/tokens/${id}`, { method: "DELETE", headers: { cookie: reader.cookie } })).status).toBe(404);

    expect((await api(`/api/tokens/${id}`, { method: "DELETE", headers: { cookie } })).status).toBe(204);
    expect((await api("/api/session", { headers: auth })).status).toBe(401);
    const after = (await (await api("/api/tokens", { headers: { cookie } })).json()) as { tokens: Array<{ revokedAt: string | null }> };
    expect(after.tokens[0]?.revokedAt).toEqual(expect.any(String));
  });
});
