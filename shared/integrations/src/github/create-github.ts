import { Octokit } from "@octokit/rest";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";
import { FixlineError, redactCalls, redactorFor, type Config, type Logger } from "@fixline/core";
import { commentMarker, withMarker } from "./comment-marker";
import { githubRequestError } from "./github-request-error";
import { appTokenProvider, patTokenProvider, type GitHubTokenProvider } from "./github-token-provider";
import type { DraftPullRequestInput, GitHubClient, GitHubIssue, PullRequest } from "./github-types";
import { graphqlUrl } from "./graphql-url";
import { toRepoPermission } from "./repo-permission";
import { splitRepo } from "./split-repo";

/**
 * Octokit with GitHub's rate-limit contract (issue 20): a primary limit (x-ratelimit-remaining: 0) or a secondary
 * one (403/429 "secondary rate limit", with Retry-After) is waited out as GitHub asks, a few times; past that the
 * coded GITHUB_RATE_LIMITED opens the github circuit breaker and the job pauses instead of failing.
 */
const ThrottledOctokit = Octokit.plugin(throttling);
/** How long one call may wait on GitHub's Retry-After, and how often, before it is the breaker's turn. */
const maxRateLimitWaitSeconds = 60;
const maxRateLimitRetries = 2;

export interface CreateGitHubOptions {
  /** Clock for installation-token expiry; injectable for tests. */
  now?: () => number;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
}

interface RestPull {
  number: number;
  node_id: string;
  html_url: string;
  title: string;
  body: string | null;
  draft?: boolean;
  state: string;
  head: { ref: string };
  base: { ref: string };
  merged?: boolean;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
}

function toPullRequest(data: RestPull): PullRequest {
  return {
    number: data.number,
    nodeId: data.node_id,
    url: data.html_url,
    title: data.title,
    body: data.body,
    draft: data.draft === true,
    state: data.state === "closed" ? "closed" : "open",
    head: data.head.ref,
    base: data.base.ref,
    ...(data.merged !== undefined || data.merged_at !== undefined ? { merged: data.merged === true || Boolean(data.merged_at), mergedAt: data.merged_at ?? null, mergeCommitSha: data.merge_commit_sha ?? null } : {}),
  };
}

/**
 * The GitHub client: a PAT or a GitHub App, GITHUB_API_URL for Enterprise. It waits only where GitHub says how
 * long (rate limits, above); other failures become coded errors that the queues retry with backoff. Returns undefined when GitHub is not configured.
 */
export function createGitHub(config: Config, logger: Logger, options: CreateGitHubOptions = {}): GitHubClient | undefined {
  const { token, appId, appPrivateKey, appInstallationId, apiUrl } = config.github;
  if (!token && !(appId && appPrivateKey)) return undefined;
  const log = logger.child({ integration: "github" });
  const timeoutMs = options.timeoutMs ?? 30_000;

  const waitOrPause =
    (kind: "primary" | "secondary") =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const wait = retryCount < maxRateLimitRetries && retryAfter <= maxRateLimitWaitSeconds;
      log.warn({ kind, retryAfter, retryCount, request: `${request.method} ${request.url}` }, wait ? `GitHub ${kind} rate limit; retrying after ${retryAfter} s as asked` : `GitHub ${kind} rate limit persists; pausing the work`);
      return wait;
    };
  const octokit = new ThrottledOctokit({
    throttle: {
      onRateLimit: waitOrPause("primary"),
      onSecondaryRateLimit: waitOrPause("secondary"),
      // The plugin also spaces writes 1 s apart per process; Fixline's writes are few per task, and serialising
      // every worker's comments behind one queue would slow all of them. Only the reactive waits are kept.
      // (The groups are read by the plugin but missing from its option types.)
      ...({
        global: new Bottleneck.Group({ maxConcurrent: 10 }),
        write: new Bottleneck.Group({ maxConcurrent: 10 }),
        search: new Bottleneck.Group({ maxConcurrent: 10 }),
        notifications: new Bottleneck.Group({ maxConcurrent: 10 }),
      } as object),
    },
    baseUrl: apiUrl.replace(/\/+$/, ""),
    userAgent: "fixline",
    // request-log reports every failure at error level; we throw a coded error instead, so keep it quiet.
    log: { debug: () => {}, info: () => {}, warn: (message: string) => log.warn(message), error: (message: string) => log.debug(message) },
    request: { fetch: (url: string, init?: RequestInit) => fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }) },
  });

  // A PAT wins when both are set: it is what the operator most recently reached for when debugging.
  const tokens: GitHubTokenProvider = token
    ? patTokenProvider(token)
    : appTokenProvider({
        appId: appId as string,
        privateKey: appPrivateKey as string,
        ...(appInstallationId ? { installationId: appInstallationId } : {}),
        request: octokit.request,
        logger: log,
        ...(options.now ? { now: options.now } : {}),
      });

  async function headers(repo: string): Promise<{ authorization: string }> {
    return { authorization: `token ${await tokens.tokenFor(repo)}` };
  }

  /** Runs one call; failures name it. `repoLevel` calls turn 404 into REPO_NOT_FOUND. */
  async function call<T>(operation: string, run: () => Promise<T>, repoLevel?: string): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (repoLevel && (error as { status?: number }).status === 404) {
        throw new FixlineError("REPO_NOT_FOUND", `GitHub ${operation} returned 404: ${repoLevel} does not exist or the GitHub credentials cannot see it`, {
          cause: error,
          details: { service: "GitHub", operation, status: 404 },
        });
      }
      throw githubRequestError(operation, error);
    }
  }

  let identity: Promise<string> | undefined;
  /** Who our comments are authored by, so ensureComment never adopts a comment someone else wrote. */
  function ownLogin(): Promise<string> {
    identity ??= client.checkAuth().then((check) => (check.method === "app" ? `${check.login}[bot]` : check.login));
    identity.catch(() => {
      identity = undefined;
    });
    return identity;
  }

  async function findPullRequestByHead(repo: string, branch: string): Promise<PullRequest | undefined> {
    const { owner, repo: name } = splitRepo(repo);
    const { data } = await call(
      `GET /repos/${repo}/pulls?head=${owner}:${branch}`,
      async () => octokit.rest.pulls.list({ owner, repo: name, head: `${owner}:${branch}`, state: "open", per_page: 10, headers: await headers(repo) }),
      repo,
    );
    const first = data[0];
    return first ? toPullRequest(first as RestPull) : undefined;
  }

  async function createDraftPullRequest(input: DraftPullRequestInput): Promise<PullRequest> {
    const { owner, repo: name } = splitRepo(input.repo);
    const { data } = await call(
      `POST /repos/${input.repo}/pulls`,
      async () =>
        octokit.rest.pulls.create({ owner, repo: name, head: input.head, base: input.base, title: input.title, body: input.body, draft: true, headers: await headers(input.repo) }),
      input.repo,
    );
    log.info({ repo: input.repo, number: data.number, head: input.head }, "opened draft pull request");
    return toPullRequest(data as RestPull);
  }

  const client: GitHubClient = {
    authMethod: tokens.kind,

    async getRepo(repo) {
      const { owner, repo: name } = splitRepo(repo);
      const { data } = await call(`GET /repos/${repo}`, async () => octokit.rest.repos.get({ owner, repo: name, headers: await headers(repo) }), repo);
      return {
        fullName: data.full_name,
        defaultBranch: data.default_branch,
        private: data.private,
        htmlUrl: data.html_url,
        permissions: { admin: data.permissions?.admin ?? false, push: data.permissions?.push ?? false, pull: data.permissions?.pull ?? false },
      };
    },

    async getPermission(repo, login) {
      const { owner, repo: name } = splitRepo(repo);
      const operation = `GET /repos/${repo}/collaborators/${login}/permission`;
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo: name, username: login, headers: await headers(repo) });
        // role_name keeps maintain/triage apart; the legacy `permission` field already folds them.
        return toRepoPermission(data.role_name ?? data.permission);
      } catch (error) {
        // GitHub answers 404 for users who are not collaborators (or do not exist): they may not command.
        if ((error as { status?: number }).status === 404) return "none";
        throw githubRequestError(operation, error);
      }
    },

    async getPullRequest(repo, number) {
      const { owner, repo: name } = splitRepo(repo);
      const { data } = await call(`GET /repos/${repo}/pulls/${number}`, async () =>
        octokit.rest.pulls.get({ owner, repo: name, pull_number: number, headers: await headers(repo) }),
      );
      return toPullRequest(data as RestPull);
    },

    findPullRequestByHead,
    createDraftPullRequest,

    async ensureDraftPullRequest(input) {
      const existing = await findPullRequestByHead(input.repo, input.head);
      if (existing) return { pullRequest: existing, created: false };
      try {
        return { pullRequest: await createDraftPullRequest(input), created: true };
      } catch (error) {
        // Another worker opened it between our lookup and create (GitHub answers 422 "already exists").
        if (error instanceof FixlineError && error.details?.status === 422) {
          const raced = await findPullRequestByHead(input.repo, input.head);
          if (raced) return { pullRequest: raced, created: false };
        }
        throw error;
      }
    },

    async updatePullRequest({ repo, number, title, body }) {
      const { owner, repo: name } = splitRepo(repo);
      const { data } = await call(`PATCH /repos/${repo}/pulls/${number}`, async () =>
        octokit.rest.pulls.update({
          owner,
          repo: name,
          pull_number: number,
          ...(title === undefined ? {} : { title }),
          ...(body === undefined ? {} : { body }),
          headers: await headers(repo),
        }),
      );
      return toPullRequest(data as RestPull);
    },

    async markReadyForReview(repo, number) {
      const pull = await client.getPullRequest(repo, number);
      if (!pull.draft) return;
      const url = graphqlUrl(apiUrl);
      const operation = `GraphQL markPullRequestReadyForReview (${repo}#${number})`;
      // REST cannot undraft a pull request; only this GraphQL mutation can.
      const { data } = await call(operation, async () =>
        octokit.request(`POST ${url}`, {
          query: "mutation($pullRequestId: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $pullRequestId }) { pullRequest { id isDraft } } }",
          variables: { pullRequestId: pull.nodeId },
          headers: await headers(repo),
        }),
      );
      const errors = (data as { errors?: Array<{ message?: string }> }).errors;
      if (errors && errors.length > 0) {
        throw new FixlineError("INTEGRATION_REJECTED", `GitHub ${operation} was rejected: ${errors.map((e) => e.message).join("; ")}`, {
          details: { service: "GitHub", operation },
        });
      }
      log.info({ repo, number }, "marked pull request ready for review");
    },

    async addLabels(repo, issueNumber, labels) {
      const { owner, repo: name } = splitRepo(repo);
      const { data } = await call(`POST /repos/${repo}/issues/${issueNumber}/labels`, async () =>
        octokit.rest.issues.addLabels({ owner, repo: name, issue_number: issueNumber, labels, headers: await headers(repo) }),
      );
      return data.map((label) => label.name);
    },

    async createComment(repo, issueNumber, body) {
      const { owner, repo: name } = splitRepo(repo);
      const { data } = await call(`POST /repos/${repo}/issues/${issueNumber}/comments`, async () =>
        octokit.rest.issues.createComment({ owner, repo: name, issue_number: issueNumber, body, headers: await headers(repo) }),
      );
      return { id: data.id, url: data.html_url };
    },

    async addCommentReaction(repo, commentId, content) {
      const { owner, repo: name } = splitRepo(repo);
      await call(`POST /repos/${repo}/issues/comments/${commentId}/reactions`, async () =>
        octokit.rest.reactions.createForIssueComment({ owner, repo: name, comment_id: commentId, content, headers: await headers(repo) }),
      );
    },

    async ensureComment(repo, issueNumber, marker, body) {
      const { owner, repo: name } = splitRepo(repo);
      const tag = commentMarker(marker);
      const text = withMarker(body, marker);
      const me = await ownLogin();
      const comments = await call(`GET /repos/${repo}/issues/${issueNumber}/comments`, async () =>
        octokit.paginate(octokit.rest.issues.listComments, { owner, repo: name, issue_number: issueNumber, per_page: 100, headers: await headers(repo) }),
      );
      const existing = comments.find((comment) => comment.user?.login === me && comment.body?.includes(tag));
      if (!existing) return { ...(await client.createComment(repo, issueNumber, text)), created: true };
      if (existing.body !== text) {
        await call(`PATCH /repos/${repo}/issues/comments/${existing.id}`, async () =>
          octokit.rest.issues.updateComment({ owner, repo: name, comment_id: existing.id, body: text, headers: await headers(repo) }),
        );
      }
      return { id: existing.id, url: existing.html_url, created: false };
    },

    async getIssue(repo, number): Promise<GitHubIssue> {
      const { owner, repo: name } = splitRepo(repo);
      const { data } = await call(`GET /repos/${repo}/issues/${number}`, async () =>
        octokit.rest.issues.get({ owner, repo: name, issue_number: number, headers: await headers(repo) }),
      );
      return {
        number: data.number,
        title: data.title,
        body: data.body ?? null,
        state: data.state,
        url: data.html_url,
        author: data.user?.login,
        labels: data.labels.map((label) => (typeof label === "string" ? label : (label.name ?? ""))).filter(Boolean),
        isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
      };
    },

    getToken(repo) {
      return tokens.tokenFor(repo);
    },

    async checkAuth() {
      if (tokens.kind === "token") {
        const response = await call("GET /user", async () => octokit.rest.users.getAuthenticated({ headers: { authorization: `token ${await tokens.tokenFor("")}` } }));
        const scopes = String(response.headers["x-oauth-scopes"] ?? "")
          .split(",")
          .map((scope) => scope.trim())
          .filter(Boolean);
        return { method: "token", login: response.data.login, scopes };
      }
      const { data } = await call("GET /app", async () => octokit.rest.apps.getAuthenticated({ headers: { authorization: `bearer ${await tokens.appJwt()}` } }));
      return { method: "app", login: data?.slug ?? String(data?.id ?? appId), scopes: [] };
    },
  };
  // Every title, body and comment passes the outbound redactor (issue 14): nothing secret reaches GitHub.
  return redactCalls(client, redactorFor(config));
}
