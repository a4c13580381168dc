import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFixlineError, loadConfig, silentLogger } from "@fixline/core";
import { startFakeGitHub, type FakeGitHub, rejectionOf } from "@fixline/testing";
import { createGitHub, type GitHubClient } from "../src";

const repo = "acme/shop";
const token = "ghp_integration_test";

function patClient(fake: FakeGitHub, apiUrl = fake.url): GitHubClient {
  const client = createGitHub(loadConfig({ GITHUB_TOKEN: token, GITHUB_API_URL: apiUrl }), silentLogger());
  if (!client) throw new Error("expected a GitHub client");
  return client;
}

describe("GitHub client against the fake GitHub (PAT)", () => {
  let fake: FakeGitHub;
  let github: GitHubClient;

  beforeEach(async () => {
    fake = await startFakeGitHub({ token, login: "fixline-bot", scopes: "repo, workflow" });
    fake.addRepo(repo, { defaultBranch: "trunk", private: true });
    github = patClient(fake);
  });
  afterEach(async () => {
    await fake.close();
  });

  it("is undefined when neither a token nor an App is configured", () => {
    expect(createGitHub(loadConfig({}), silentLogger())).toBeUndefined();
  });

  it("reads the repository with the token in the Authorization header", async () => {
    const info = await github.getRepo(repo);
    expect(info).toMatchObject({ fullName: repo, defaultBranch: "trunk", private: true, permissions: { push: true } });
    expect(fake.received[0]?.headers.authorization).toBe(`token ${token}`);
  });

  it("turns 404 on the repository into REPO_NOT_FOUND", async () => {
    const error = await rejectionOf(github.getRepo("acme/missing"));
    expect(isFixlineError(error, "REPO_NOT_FOUND")).toBe(true);
    expect((error as Error).message).toContain("GET /repos/acme/missing");
  });

  it("maps collaborator roles: maintain is write, triage is read, unknown users are none", async () => {
    fake.setRole(repo, "alice", "admin");
    fake.setRole(repo, "bob", "maintain");
    fake.setRole(repo, "carol", "write");
    fake.setRole(repo, "dave", "triage");
    fake.setRole(repo, "erin", "read");
    const permissions = await Promise.all(["alice", "bob", "carol", "dave", "erin", "mallory"].map((login) => github.getPermission(repo, login)));
    expect(permissions).toEqual(["admin", "write", "write", "read", "read", "none"]);
  });

  it("ensureDraftPullRequest opens one draft PR however often it is called", async () => {
    const input = { repo, head: "fixline/abc12345-fix-cart", base: "trunk", title: "Fix cart total", body: "plan" };
    const first = await github.ensureDraftPullRequest(input);
    const second = await github.ensureDraftPullRequest(input);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.pullRequest.number).toBe(first.pullRequest.number);
    expect(fake.state.pulls).toHaveLength(1);
    expect(fake.state.pulls[0]).toMatchObject({ draft: true, head: input.head, base: "trunk", title: "Fix cart total" });
    const found = await github.findPullRequestByHead(repo, input.head);
    expect(found?.nodeId).toBe(first.pullRequest.nodeId);
    expect(await github.findPullRequestByHead(repo, "fixline/other")).toBeUndefined();
  });

  it("a second createDraftPullRequest for the same head is rejected by GitHub with 422", async () => {
    const input = { repo, head: "fixline/dup", base: "trunk", title: "t", body: "b" };
    await github.createDraftPullRequest(input);
    const error = await rejectionOf(github.createDraftPullRequest(input));
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);
    expect((error as Error).message).toMatch(/POST \/repos\/acme\/shop\/pulls was rejected \(HTTP 422\).*already exists/);
  });

  it("updates the PR and marks it ready for review through GraphQL with its node id", async () => {
    const { pullRequest } = await github.ensureDraftPullRequest({ repo, head: "fixline/ready", base: "trunk", title: "old", body: "old body" });
    const updated = await github.updatePullRequest({ repo, number: pullRequest.number, body: "new body" });
    expect(updated).toMatchObject({ title: "old", body: "new body" });

    await github.markReadyForReview(repo, pullRequest.number);
    expect(fake.state.pulls[0]?.draft).toBe(false);
    const graphql = fake.received.find((request) => request.path === "/graphql");
    expect(graphql?.body).toMatchObject({ variables: { pullRequestId: pullRequest.nodeId } });
    expect(String((graphql?.body as { query: string }).query)).toContain("markPullRequestReadyForReview");

    // Already ready: nothing more is sent.
    const before = fake.received.length;
    await github.markReadyForReview(repo, pullRequest.number);
    expect(fake.received.slice(before).some((request) => request.path === "/graphql")).toBe(false);
  });

  it("uses <host>/api/graphql when GITHUB_API_URL is an Enterprise /api/v3 URL", async () => {
    const enterprise = patClient(fake, `${fake.url}/api/v3`);
    const { pullRequest } = await enterprise.ensureDraftPullRequest({ repo, head: "fixline/ghe", base: "trunk", title: "t", body: "b" });
    await enterprise.markReadyForReview(repo, pullRequest.number);
    expect(fake.state.pulls[0]?.draft).toBe(false);
    expect(fake.received.some((request) => request.path === "/api/graphql")).toBe(true);
  });

  it("ensureComment updates its own marked comment instead of posting a duplicate", async () => {
    const issue = fake.addIssue(repo, { title: "Cart total wrong" });
    // Someone quoting the marker must not have their comment adopted.
    fake.state.comments.push({ id: 1, repo, issueNumber: issue.number, body: "copy <!-- fixline:status -->", author: "mallory" });
    const first = await github.ensureComment(repo, issue.number, "status", "Planning…");
    const second = await github.ensureComment(repo, issue.number, "status", "Plan ready");
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, id: first.id });
    const ours = fake.state.comments.filter((comment) => comment.author === "fixline-bot");
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toBe("Plan ready\n\n<!-- fixline:status -->");
  });

  it("ensureComment finds its comment beyond the first page", async () => {
    const issue = fake.addIssue(repo, { title: "busy thread" });
    for (let i = 0; i < 120; i++) fake.state.comments.push({ id: 10_000 + i, repo, issueNumber: issue.number, body: `chatter ${i}`, author: "octocat" });
    await github.ensureComment(repo, issue.number, "status", "one");
    await github.ensureComment(repo, issue.number, "status", "two");
    expect(fake.state.comments.filter((comment) => comment.author === "fixline-bot")).toHaveLength(1);
    expect(fake.received.some((request) => request.query.page === "2")).toBe(true);
  });

  it("adds labels, comments and reads issues", async () => {
    const issue = fake.addIssue(repo, { title: "Crash on checkout", body: "steps…", author: "ada", labels: ["bug"] });
    expect(await github.addLabels(repo, issue.number, ["fixline"])).toEqual(["bug", "fixline"]);
    const comment = await github.createComment(repo, issue.number, "hello");
    expect(comment.url).toContain(`#issuecomment-${comment.id}`);
    expect(await github.getIssue(repo, issue.number)).toMatchObject({ title: "Crash on checkout", author: "ada", labels: ["bug", "fixline"], isPullRequest: false });
  });

  it("reports the PAT's login and scopes, and returns the PAT for git", async () => {
    expect(await github.checkAuth()).toEqual({ method: "token", login: "fixline-bot", scopes: ["repo", "workflow"] });
    expect(await github.getToken(repo)).toBe(token);
  });

  it("a bad token is INTEGRATION_REJECTED (401), not retried", async () => {
    const bad = createGitHub(loadConfig({ GITHUB_TOKEN: "ghp_wrong", GITHUB_API_URL: fake.url }), silentLogger());
    const error = await rejectionOf(bad!.checkAuth());
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);
    expect((error as Error).message).toContain("HTTP 401");
    expect(fake.received).toHaveLength(1);
  });

  it("5xx is INTEGRATION_FAILED and 429 GITHUB_RATE_LIMITED, retryable, each after a single attempt", async () => {
    fake.failNext(502);
    const outage = await rejectionOf(github.getRepo(repo));
    expect(isFixlineError(outage, "INTEGRATION_FAILED")).toBe(true);
    expect((outage as { retryable: boolean }).retryable).toBe(true);
    expect((outage as Error).message).toContain("GET /repos/acme/shop failed (HTTP 502)");

    fake.failNext(429);
    const limited = await rejectionOf(github.getIssue(repo, 1));
    // A 429 without GitHub's rate-limit wording or headers is not waited on; coded for the github breaker (issue 20).
    expect(isFixlineError(limited, "GITHUB_RATE_LIMITED")).toBe(true);
    expect((limited as { details: Record<string, unknown> }).details).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    expect(fake.received).toHaveLength(2);

    // The outage is over: the next call works.
    expect((await github.getRepo(repo)).defaultBranch).toBe("trunk");
  });

  it("waits out a secondary rate limit as its Retry-After asks, then succeeds; past two waits it is GITHUB_RATE_LIMITED (issue 20)", async () => {
    const before = fake.received.length;
    fake.failNext(403, 2);
    expect((await github.getRepo(repo)).defaultBranch).toBe("trunk");
    // Two limited answers, then the real one: three requests for one call.
    expect(fake.received.length - before).toBe(3);

    fake.failNext(403, 3);
    const persisting = await rejectionOf(github.getRepo(repo));
    expect(isFixlineError(persisting, "GITHUB_RATE_LIMITED")).toBe(true);
    expect((persisting as { details: Record<string, unknown> }).details).toMatchObject({ status: 403, retryAfterSeconds: 1 });
    expect(fake.received.length - before).toBe(6);
  });

  it("a server that is gone is INTEGRATION_FAILED (retryable)", async () => {
    await fake.close();
    const error = await rejectionOf(github.getRepo(repo));
    expect(isFixlineError(error, "INTEGRATION_FAILED")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    fake = await startFakeGitHub();
  });
});

describe("GitHub client with GitHub App auth", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  let fake: FakeGitHub;

  beforeEach(async () => {
    fake = await startFakeGitHub();
    fake.addRepo(repo, { installationId: 77 });
    fake.addRepo("acme/other", { installationId: 88 });
    fake.addRepo("elsewhere/private");
  });
  afterEach(async () => {
    await fake.close();
  });

  function appClient(now?: () => number): GitHubClient {
    // The PEM passes through an env var with escaped newlines, as operators often set it.
    const config = loadConfig({ GITHUB_APP_ID: "4242", GITHUB_APP_PRIVATE_KEY: privateKey.replace(/\n/g, "\\n"), GITHUB_API_URL: fake.url });
    const client = createGitHub(config, silentLogger(), now ? { now } : {});
    if (!client) throw new Error("expected a GitHub client");
    return client;
  }

  it("finds the repo's installation with a signed JWT, mints a token, caches it per installation", async () => {
    fake.enableApp({ id: "4242", publicKeyPem: publicKey, slug: "fixline" });
    const github = appClient();
    expect(github.authMethod).toBe("app");

    const info = await github.getRepo(repo);
    expect(info.fullName).toBe(repo);
    const installationLookup = fake.received.find((request) => request.path === `/repos/${repo}/installation`);
    expect(String(installationLookup?.headers.authorization)).toMatch(/^bearer ey/i);
    const mint = fake.received.filter((request) => request.path === "/app/installations/77/access_tokens");
    expect(mint).toHaveLength(1);

    const pushToken = await github.getToken(repo);
    expect(pushToken).toMatch(/^ghs_/);
    const repoRead = fake.received.find((request) => request.path === `/repos/${repo}`);
    expect(repoRead?.headers.authorization).toBe(`token ${pushToken}`);
    await github.getRepo(repo);
    expect(fake.received.filter((request) => request.path.endsWith("/access_tokens"))).toHaveLength(1);

    // Another repository in another installation gets its own token.
    const otherToken = await github.getToken("acme/other");
    expect(otherToken).not.toBe(pushToken);
    expect(fake.received.filter((request) => request.path === "/app/installations/88/access_tokens")).toHaveLength(1);
  });

  it("renews the installation token shortly before it expires", async () => {
    fake.enableApp({ id: "4242", publicKeyPem: publicKey, tokenTtlMs: 60 * 60 * 1000 });
    let clock = Date.now();
    const github = appClient(() => clock);
    const first = await github.getToken(repo);
    clock += 50 * 60 * 1000;
    expect(await github.getToken(repo)).toBe(first);
    clock += 6 * 60 * 1000; // 4 minutes left: inside the refresh margin
    const renewed = await github.getToken(repo);
    expect(renewed).not.toBe(first);
    expect(fake.received.filter((request) => request.path.endsWith("/access_tokens"))).toHaveLength(2);
  });

  it("a repository without the App installed is REPO_NOT_FOUND", async () => {
    fake.enableApp({ id: "4242", publicKeyPem: publicKey });
    const error = await rejectionOf(appClient().getRepo("elsewhere/private"));
    expect(isFixlineError(error, "REPO_NOT_FOUND")).toBe(true);
    expect((error as Error).message).toContain("not installed on elsewhere/private");
  });

  it("a key GitHub does not know is rejected (401) and checkAuth reports the App's slug when it matches", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    fake.enableApp({ id: "4242", publicKeyPem: other.publicKey, slug: "fixline" });
    const error = await rejectionOf(appClient().checkAuth());
    expect(isFixlineError(error, "INTEGRATION_REJECTED")).toBe(true);

    fake.enableApp({ id: "4242", publicKeyPem: publicKey, slug: "fixline" });
    expect(await appClient().checkAuth()).toEqual({ method: "app", login: "fixline", scopes: [] });
  });

  it("ensureComment recognises comments written by the App's bot user", async () => {
    fake.enableApp({ id: "4242", publicKeyPem: publicKey, slug: "fixline" });
    const github = appClient();
    const issue = fake.addIssue(repo, { title: "x" });
    await github.ensureComment(repo, issue.number, "plan", "a");
    await github.ensureComment(repo, issue.number, "plan", "b");
    expect(fake.state.comments).toEqual([expect.objectContaining({ author: "fixline[bot]", body: "b\n\n<!-- fixline:plan -->" })]);
  });
});
