import { randomBytes } from "node:crypto";
import { headerValue, startFakeHttpServer, type FakeRequest, type FakeResponse, type FakeRoute, type RecordedRequest } from "./fake-http-server";
import { verifyAppJwt } from "./verify-app-jwt";
import { appManifestRoutes, type FakeManifestApp } from "./fake-app-manifest-flow";

/** GitHub's role names; the REST `permission` field folds maintain into write and triage into read. */
export type FakeRepoRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface FakeGitHubRepo {
  id: number;
  fullName: string;
  defaultBranch: string;
  private: boolean;
  /** Set when the fake GitHub App is installed on this repository. */
  installationId: number | undefined;
}

export interface FakeIssue {
  repo: string;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  author: string;
  labels: string[];
  isPullRequest: boolean;
}

export interface FakePullRequest {
  repo: string;
  number: number;
  id: number;
  nodeId: string;
  head: string;
  base: string;
  title: string;
  body: string | null;
  draft: boolean;
  state: "open" | "closed";
  author: string;
  /** Set by a test to merge the PR (issue 21 outcomes); merged is derived from it. */
  mergedAt?: string | null;
  mergeCommitSha?: string | null;
}

export interface FakeComment {
  id: number;
  repo: string;
  issueNumber: number;
  body: string;
  author: string;
  /** Reactions by content ("-1", "eyes"...), each with who reacted. */
  reactions?: Array<{ content: string; by: string }>;
}

export interface FakeGitHubApp {
  id: string;
  slug: string;
  publicKeyPem: string;
  /** How long installation tokens live; short values exercise the client's refresh. */
  tokenTtlMs: number;
}

export interface FakeGitHubState {
  /** Valid personal access tokens and who they belong to. */
  tokens: Map<string, { login: string; scopes: string }>;
  repos: Map<string, FakeGitHubRepo>;
  /** Keyed `owner/repo@login`. */
  roles: Map<string, FakeRepoRole>;
  issues: FakeIssue[];
  pulls: FakePullRequest[];
  comments: FakeComment[];
  app: FakeGitHubApp | undefined;
  installationTokens: Map<string, { installationId: number; expiresAt: Date }>;
  /** OAuth Apps ("Sign in with GitHub"): client id -> secret. */
  oauthApps: Map<string, string>;
  /** Who the browser is signed in to GitHub as: the authorize page consents for them at once. */
  oauthBrowserLogin: string | undefined;
  /** Issued, unused authorization codes. */
  oauthCodes: Map<string, { clientId: string; redirectUri: string; login: string }>;
  /** GitHub user ids by login (GET /user). */
  userIds: Map<string, number>;
}

export interface FakeGitHub {
  url: string;
  received: RecordedRequest[];
  state: FakeGitHubState;
  failNext(status: number, count?: number): void;
  addRepo(fullName: string, options?: { defaultBranch?: string; private?: boolean; installationId?: number }): FakeGitHubRepo;
  setRole(repo: string, login: string, role: FakeRepoRole): void;
  addIssue(repo: string, issue: { title: string; body?: string; author?: string; labels?: string[] }): FakeIssue;
  enableApp(app: { id: string; publicKeyPem: string; slug?: string; tokenTtlMs?: number }): void;
  /** Registers an OAuth App; `signInBrowserAs` chooses who approves on its authorize page. */
  enableOAuth(app: { clientId: string; clientSecret: string }): void;
  signInBrowserAs(login: string | undefined): void;
  /** Apps created through the manifest flow (`fixline setup github`), in order. */
  manifestApps: FakeManifestApp[];
  close(): Promise<void>;
}

export interface StartFakeGitHubOptions {
  /** The PAT the fake accepts; defaults to `ghp_fixline_fake`. */
  token?: string;
  login?: string;
  scopes?: string;
}

type Caller = { kind: "pat"; login: string; scopes: string } | { kind: "installation"; login: string; installationId: number } | { kind: "app"; appId: string };

const notFound: FakeResponse = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
const badCredentials: FakeResponse = { status: 401, body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } };

function legacyPermission(role: FakeRepoRole): "admin" | "write" | "read" | "none" {
  if (role === "maintain") return "write";
  if (role === "triage") return "read";
  return role;
}

/**
 * A local GitHub REST + GraphQL server with the endpoints Fixline calls. It checks credentials like GitHub
 * (PAT, App JWT, installation token scoped to its installation) and validates request shapes, so a client
 * bug shows up as the same 401/404/422 GitHub would return. REST is also served under `/api/v3` and
 * GraphQL under `/api/graphql`, as on GitHub Enterprise Server.
 */
export async function startFakeGitHub(options: StartFakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state: FakeGitHubState = {
    tokens: new Map([[options.token ?? "ghp_fixline_fake", { login: options.login ?? "fixline-bot", scopes: options.scopes ?? "repo, workflow" }]]),
    repos: new Map(),
    roles: new Map(),
    issues: [],
    pulls: [],
    comments: [],
    app: undefined,
    installationTokens: new Map(),
    oauthApps: new Map(),
    oauthBrowserLogin: undefined,
    oauthCodes: new Map(),
    userIds: new Map(),
  };
  let nextId = 1000;
  const userIdOf = (login: string): number => {
    if (!state.userIds.has(login)) state.userIds.set(login, 50_000 + state.userIds.size);
    return state.userIds.get(login)!;
  };

  function authenticate(request: FakeRequest): Caller | undefined {
    const header = headerValue(request.headers, "authorization");
    const match = header ? /^(token|bearer)\s+(.+)$/i.exec(header) : null;
    if (!match) return undefined;
    const credential = match[2] as string;
    const pat = state.tokens.get(credential);
    if (pat) return { kind: "pat", login: pat.login, scopes: pat.scopes };
    const installation = state.installationTokens.get(credential);
    if (installation) {
      if (installation.expiresAt.getTime() <= Date.now()) return undefined;
      return { kind: "installation", login: `${state.app?.slug ?? "app"}[bot]`, installationId: installation.installationId };
    }
    if (state.app && verifyAppJwt(credential, state.app.publicKeyPem, state.app.id, Math.floor(Date.now() / 1000))) {
      return { kind: "app", appId: state.app.id };
    }
    return undefined;
  }

  /** Resolves the repository for a user/installation caller; the App JWT alone cannot read repositories. */
  function withRepo(
    handler: (request: FakeRequest, repo: FakeGitHubRepo, caller: Exclude<Caller, { kind: "app" }>) => FakeResponse,
  ): (request: FakeRequest) => FakeResponse {
    return (request) => {
      const caller = authenticate(request);
      if (!caller) return badCredentials;
      if (caller.kind === "app") return { status: 403, body: { message: "A JSON web token could not be decoded" } };
      const repo = state.repos.get(`${request.params.owner}/${request.params.repo}`);
      if (!repo) return notFound;
      // An installation token sees only the repositories of its installation; others look absent.
      if (caller.kind === "installation" && repo.installationId !== caller.installationId) return notFound;
      return handler(request, repo, caller);
    };
  }

  function withApp(handler: (request: FakeRequest, app: FakeGitHubApp) => FakeResponse): (request: FakeRequest) => FakeResponse {
    return (request) => {
      const caller = authenticate(request);
      if (!caller || caller.kind !== "app" || !state.app) {
        return { status: 401, body: { message: "A JSON web token could not be decoded" } };
      }
      return handler(request, state.app);
    };
  }

  function nextNumber(repo: string): number {
    return state.issues.filter((issue) => issue.repo === repo).length + 1;
  }

  function pullJson(pull: FakePullRequest): Record<string, unknown> {
    const owner = pull.repo.split("/")[0];
    return {
      id: pull.id,
      node_id: pull.nodeId,
      number: pull.number,
      html_url: `https://github.com/${pull.repo}/pull/${pull.number}`,
      title: pull.title,
      body: pull.body,
      draft: pull.draft,
      state: pull.state,
      user: { login: pull.author },
      head: { ref: pull.head, label: `${owner}:${pull.head}` },
      base: { ref: pull.base, label: `${owner}:${pull.base}` },
      labels: labelsOf(pull.repo, pull.number).map((name) => ({ name })),
      merged: Boolean(pull.mergedAt),
      merged_at: pull.mergedAt ?? null,
      merge_commit_sha: pull.mergeCommitSha ?? null,
    };
  }

  function labelsOf(repo: string, number: number): string[] {
    return state.issues.find((issue) => issue.repo === repo && issue.number === number)?.labels ?? [];
  }

  function issueJson(issue: FakeIssue): Record<string, unknown> {
    return {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      html_url: `https://github.com/${issue.repo}/${issue.isPullRequest ? "pull" : "issues"}/${issue.number}`,
      user: { login: issue.author },
      labels: issue.labels.map((name) => ({ name })),
      ...(issue.isPullRequest ? { pull_request: { url: `https://api.github.com/repos/${issue.repo}/pulls/${issue.number}` } } : {}),
    };
  }

  function commentJson(comment: FakeComment): Record<string, unknown> {
    return {
      id: comment.id,
      body: comment.body,
      user: { login: comment.author },
      html_url: `https://github.com/${comment.repo}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    };
  }

  function findIssue(repo: FakeGitHubRepo, numberParam: string | undefined): FakeIssue | undefined {
    return state.issues.find((issue) => issue.repo === repo.fullName && issue.number === Number(numberParam));
  }

  function unprocessable(message: string): FakeResponse {
    return { status: 422, body: { message: "Validation Failed", errors: [{ resource: "PullRequest", code: "custom", message }] } };
  }

  const routes: FakeRoute[] = [
    {
      method: "GET",
      pattern: "/user",
      handler: (request) => {
        const caller = authenticate(request);
        if (!caller) return badCredentials;
        if (caller.kind !== "pat") return { status: 403, body: { message: "Resource not accessible by integration" } };
        return { status: 200, body: { login: caller.login, id: state.userIds.get(caller.login) ?? 1, type: "User" }, headers: { "x-oauth-scopes": caller.scopes } };
      },
    },
    {
      // The OAuth web flow's browser step: GitHub asks the signed-in user to consent, then redirects back
      // with a one-time code and the caller's state. The fake consents at once for `oauthBrowserLogin`.
      method: "GET",
      pattern: "/login/oauth/authorize",
      handler: (request) => {
        const clientId = request.query.client_id ?? "";
        const redirectUri = request.query.redirect_uri ?? "";
        if (!state.oauthApps.has(clientId)) return { status: 404, body: "unknown OAuth App client_id" };
        if (!/^https?:\/\//.test(redirectUri)) return { status: 400, body: "redirect_uri is required" };
        const target = new URL(redirectUri);
        if (request.query.state) target.searchParams.set("state", request.query.state);
        const login = state.oauthBrowserLogin;
        if (!login) target.searchParams.set("error", "access_denied");
        else {
          const code = randomBytes(10).toString("hex");
          state.oauthCodes.set(code, { clientId, redirectUri, login });
          target.searchParams.set("code", code);
        }
        return { status: 302, headers: { location: target.toString() }, body: "" };
      },
    },
    {
      // Like GitHub: HTTP 200 with an `error` field for a bad code or secret; a code works once.
      method: "POST",
      pattern: "/login/oauth/access_token",
      handler: (request) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const secret = state.oauthApps.get(String(body.client_id ?? ""));
        if (!secret || body.client_secret !== secret) return { status: 200, body: { error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect.", error_uri: "https://docs.github.com" } };
        const grant = state.oauthCodes.get(String(body.code ?? ""));
        state.oauthCodes.delete(String(body.code ?? ""));
        if (!grant || grant.clientId !== body.client_id || (body.redirect_uri !== undefined && body.redirect_uri !== grant.redirectUri)) {
          return { status: 200, body: { error: "bad_verification_code", error_description: "The code passed is incorrect or expired.", error_uri: "https://docs.github.com" } };
        }
        const token = `gho_${randomBytes(12).toString("hex")}`;
        userIdOf(grant.login);
        state.tokens.set(token, { login: grant.login, scopes: "" });
        return { status: 200, body: { access_token: token, token_type: "bearer", scope: "" } };
      },
    },
    {
      method: "GET",
      pattern: "/app",
      handler: withApp((_request, app) => ({ status: 200, body: { id: Number(app.id), slug: app.slug, name: app.slug } })),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/installation",
      handler: withApp((request) => {
        const repo = state.repos.get(`${request.params.owner}/${request.params.repo}`);
        if (!repo?.installationId) return notFound;
        return { status: 200, body: { id: repo.installationId, account: { login: request.params.owner } } };
      }),
    },
    {
      method: "POST",
      pattern: "/app/installations/:id/access_tokens",
      handler: withApp((request, app) => {
        const installationId = Number(request.params.id);
        if (![...state.repos.values()].some((repo) => repo.installationId === installationId)) return notFound;
        const token = `ghs_${randomBytes(12).toString("hex")}`;
        const expiresAt = new Date(Date.now() + app.tokenTtlMs);
        state.installationTokens.set(token, { installationId, expiresAt });
        return {
          status: 201,
          body: { token, expires_at: expiresAt.toISOString(), permissions: { contents: "write", pull_requests: "write", issues: "write" }, repository_selection: "all" },
        };
      }),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo",
      handler: withRepo((_request, repo, caller) => {
        const role = state.roles.get(`${repo.fullName}@${caller.login}`) ?? "write";
        const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(role);
        return {
          status: 200,
          body: {
            id: repo.id,
            name: repo.fullName.split("/")[1],
            full_name: repo.fullName,
            owner: { login: repo.fullName.split("/")[0] },
            private: repo.private,
            default_branch: repo.defaultBranch,
            html_url: `https://github.com/${repo.fullName}`,
            permissions: { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 },
          },
        };
      }),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/collaborators/:username/permission",
      handler: withRepo((request, repo) => {
        const role = state.roles.get(`${repo.fullName}@${request.params.username}`);
        if (!role) return { status: 404, body: { message: `${request.params.username} is not a user` } };
        return { status: 200, body: { permission: legacyPermission(role), role_name: role, user: { login: request.params.username } } };
      }),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/pulls",
      handler: withRepo((request, repo) => {
        const wantState = request.query.state ?? "open";
        const head = request.query.head;
        const pulls = state.pulls.filter(
          (pull) =>
            pull.repo === repo.fullName &&
            (wantState === "all" || pull.state === wantState) &&
            (head === undefined || `${repo.fullName.split("/")[0]}:${pull.head}` === head),
        );
        return { status: 200, body: pulls.map(pullJson) };
      }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/pulls",
      handler: withRepo((request, repo, caller) => {
        const body = (request.body ?? {}) as { title?: unknown; head?: unknown; base?: unknown; body?: unknown; draft?: unknown };
        if (typeof body.title !== "string" || typeof body.head !== "string" || typeof body.base !== "string") {
          return unprocessable("title, head and base are required strings");
        }
        const head = body.head.includes(":") ? (body.head.split(":")[1] as string) : body.head;
        if (state.pulls.some((pull) => pull.repo === repo.fullName && pull.head === head && pull.state === "open")) {
          return unprocessable(`A pull request already exists for ${repo.fullName.split("/")[0]}:${head}.`);
        }
        const number = nextNumber(repo.fullName);
        const id = nextId++;
        const pull: FakePullRequest = {
          repo: repo.fullName,
          number,
          id,
          nodeId: `PR_kwDO${id}`,
          head,
          base: body.base,
          title: body.title,
          body: typeof body.body === "string" ? body.body : null,
          draft: body.draft === true,
          state: "open",
          author: caller.login,
        };
        state.pulls.push(pull);
        state.issues.push({ repo: repo.fullName, number, title: pull.title, body: pull.body, state: "open", author: caller.login, labels: [], isPullRequest: true });
        return { status: 201, body: pullJson(pull) };
      }),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/pulls/:number",
      handler: withRepo((request, repo) => {
        const pull = state.pulls.find((candidate) => candidate.repo === repo.fullName && candidate.number === Number(request.params.number));
        return pull ? { status: 200, body: pullJson(pull) } : notFound;
      }),
    },
    {
      method: "PATCH",
      pattern: "/repos/:owner/:repo/pulls/:number",
      handler: withRepo((request, repo) => {
        const pull = state.pulls.find((candidate) => candidate.repo === repo.fullName && candidate.number === Number(request.params.number));
        if (!pull) return notFound;
        const body = (request.body ?? {}) as { title?: unknown; body?: unknown; state?: unknown };
        if (typeof body.title === "string") pull.title = body.title;
        if (typeof body.body === "string") pull.body = body.body;
        if (body.state === "open" || body.state === "closed") pull.state = body.state;
        return { status: 200, body: pullJson(pull) };
      }),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/issues/:number",
      handler: withRepo((request, repo) => {
        const issue = findIssue(repo, request.params.number);
        return issue ? { status: 200, body: issueJson(issue) } : notFound;
      }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/issues/:number/labels",
      handler: withRepo((request, repo) => {
        const issue = findIssue(repo, request.params.number);
        if (!issue) return notFound;
        const labels = (request.body as { labels?: unknown } | undefined)?.labels;
        if (!Array.isArray(labels) || !labels.every((label) => typeof label === "string")) {
          return { status: 422, body: { message: "Invalid request.\n\nlabels must be an array of strings" } };
        }
        for (const label of labels) if (!issue.labels.includes(label)) issue.labels.push(label);
        return { status: 200, body: issue.labels.map((name) => ({ name })) };
      }),
    },
    {
      method: "GET",
      pattern: "/repos/:owner/:repo/issues/:number/comments",
      handler: withRepo((request, repo) => {
        if (!findIssue(repo, request.params.number)) return notFound;
        const all = state.comments.filter((comment) => comment.repo === repo.fullName && comment.issueNumber === Number(request.params.number));
        const perPage = Math.min(Number(request.query.per_page ?? 30), 100);
        const page = Number(request.query.page ?? 1);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const host = headerValue(request.headers, "host") ?? "127.0.0.1";
          headers.link = `<http://${host}${request.originalPath}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
        }
        return { status: 200, body: slice.map(commentJson), headers };
      }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/issues/:number/comments",
      handler: withRepo((request, repo, caller) => {
        const issue = findIssue(repo, request.params.number);
        if (!issue) return notFound;
        const body = (request.body as { body?: unknown } | undefined)?.body;
        if (typeof body !== "string" || body === "") return { status: 422, body: { message: "Validation Failed", errors: [{ field: "body", code: "missing_field" }] } };
        const comment: FakeComment = { id: nextId++, repo: repo.fullName, issueNumber: issue.number, body, author: caller.login };
        state.comments.push(comment);
        return { status: 201, body: commentJson(comment) };
      }),
    },
    {
      method: "PATCH",
      pattern: "/repos/:owner/:repo/issues/comments/:id",
      handler: withRepo((request, repo) => {
        const comment = state.comments.find((candidate) => candidate.repo === repo.fullName && candidate.id === Number(request.params.id));
        if (!comment) return notFound;
        const body = (request.body as { body?: unknown } | undefined)?.body;
        if (typeof body !== "string" || body === "") return { status: 422, body: { message: "Validation Failed" } };
        comment.body = body;
        return { status: 200, body: commentJson(comment) };
      }),
    },
    {
      method: "POST",
      pattern: "/repos/:owner/:repo/issues/comments/:id/reactions",
      handler: withRepo((request, repo, caller) => {
        const content = (request.body as { content?: unknown } | undefined)?.content;
        if (typeof content !== "string" || !["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"].includes(content)) {
          return { status: 422, body: { message: "Validation Failed", errors: [{ field: "content", code: "invalid" }] } };
        }
        let comment = state.comments.find((candidate) => candidate.repo === repo.fullName && candidate.id === Number(request.params.id));
        // Comments made on github.com (not through this fake) are known only by id: remember them on first reaction.
        if (!comment) {
          comment = { id: Number(request.params.id), repo: repo.fullName, issueNumber: 0, body: "", author: "unknown" };
          state.comments.push(comment);
        }
        comment.reactions ??= [];
        const existing = comment.reactions.find((r) => r.content === content && r.by === caller.login);
        if (!existing) comment.reactions.push({ content, by: caller.login });
        return { status: existing ? 200 : 201, body: { id: nextId++, content, user: { login: caller.login } } };
      }),
    },
    ...["/graphql", "/api/graphql"].map(
      (pattern): FakeRoute => ({
        method: "POST",
        pattern,
        handler: (request) => {
          const caller = authenticate(request);
          if (!caller || caller.kind === "app") return badCredentials;
          const body = (request.body ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
          if (typeof body.query !== "string") return { status: 400, body: { message: "Problems parsing JSON" } };
          if (!body.query.includes("markPullRequestReadyForReview")) {
            return { status: 200, body: { errors: [{ message: "The fake GitHub only implements markPullRequestReadyForReview" }] } };
          }
          const nodeId = body.variables?.pullRequestId;
          const pull = state.pulls.find((candidate) => candidate.nodeId === nodeId);
          if (!pull) {
            return { status: 200, body: { data: { markPullRequestReadyForReview: null }, errors: [{ type: "NOT_FOUND", message: `Could not resolve to a node with the global id of '${String(nodeId)}'` }] } };
          }
          pull.draft = false;
          return { status: 200, body: { data: { markPullRequestReadyForReview: { pullRequest: { id: pull.nodeId, number: pull.number, isDraft: false } } } } };
        },
      }),
    ),
  ];

  // The App manifest flow (issue 17, `fixline setup github`): a created App is enabled, so its JWTs work.
  const manifestFlow = appManifestRoutes((app) => {
    state.app = { id: app.id, slug: app.slug, publicKeyPem: app.publicKeyPem, tokenTtlMs: 60 * 60 * 1000 };
  });
  const server = await startFakeHttpServer({
    routes: [...routes, ...manifestFlow.routes],
    stripPrefixes: ["/api/v3"],
    // A 403 is GitHub's secondary rate limit, as api.github.com words it, with the Retry-After it sends.
    failureBody: (status) => ({ message: status === 429 ? "API rate limit exceeded" : status === 403 ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." : "Server Error" }),
    failureHeaders: (status): Record<string, string> => (status === 429 || status === 403 ? { "retry-after": "1" } : {}),
  });

  return {
    url: server.url,
    received: server.received,
    state,
    failNext: server.failNext,
    manifestApps: manifestFlow.created,
    close: server.close,
    addRepo(fullName, repoOptions = {}) {
      const repo: FakeGitHubRepo = {
        id: nextId++,
        fullName,
        defaultBranch: repoOptions.defaultBranch ?? "main",
        private: repoOptions.private ?? true,
        installationId: repoOptions.installationId,
      };
      state.repos.set(fullName, repo);
      return repo;
    },
    setRole(repo, login, role) {
      state.roles.set(`${repo}@${login}`, role);
    },
    addIssue(repo, issue) {
      const created: FakeIssue = {
        repo,
        number: nextNumber(repo),
        title: issue.title,
        body: issue.body ?? null,
        state: "open",
        author: issue.author ?? "octocat",
        labels: issue.labels ?? [],
        isPullRequest: false,
      };
      state.issues.push(created);
      return created;
    },
    enableOAuth(app) {
      state.oauthApps.set(app.clientId, app.clientSecret);
    },
    signInBrowserAs(login) {
      state.oauthBrowserLogin = login;
    },
    enableApp(app) {
      state.app = { id: app.id, slug: app.slug ?? "fixline", publicKeyPem: app.publicKeyPem, tokenTtlMs: app.tokenTtlMs ?? 60 * 60 * 1000 };
    },
  };
}
