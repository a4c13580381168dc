import { headerValue, startFakeHttpServer, type FakeRequest, type FakeResponse, type FakeRoute, type RecordedRequest } from "./fake-http-server";

export interface FakeJiraTransition {
  id: string;
  name: string;
  to: string;
}

export interface FakeJiraIssue {
  key: string;
  id: string;
  summary: string;
  /** An ADF document, as Jira Cloud stores descriptions. */
  description: unknown;
  status: string;
  issueType: string;
  reporter: string;
  labels: string[];
  transitions: FakeJiraTransition[];
  comments: Array<{ id: string; body: unknown; author: string }>;
}

export interface FakeJiraState {
  email: string;
  apiToken: string;
  issues: Map<string, FakeJiraIssue>;
}

export interface FakeJira {
  url: string;
  received: RecordedRequest[];
  state: FakeJiraState;
  failNext(status: number, count?: number): void;
  addIssue(key: string, issue?: Partial<Omit<FakeJiraIssue, "key" | "comments">>): FakeJiraIssue;
  close(): Promise<void>;
}

export interface StartFakeJiraOptions {
  email?: string;
  apiToken?: string;
}

const defaultTransitions: FakeJiraTransition[] = [
  { id: "11", name: "To Do", to: "To Do" },
  { id: "21", name: "In Progress", to: "In Progress" },
  { id: "31", name: "In Review", to: "In Review" },
  { id: "41", name: "Done", to: "Done" },
];

function jiraError(status: number, message: string): FakeResponse {
  return { status, body: { errorMessages: [message], errors: {} } };
}

/** Jira rejects comment bodies that are not ADF documents (v3 API); so does the fake. */
function isAdfDoc(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return doc.type === "doc" && doc.version === 1 && Array.isArray(doc.content);
}

/**
 * A local Jira Cloud REST v3 server: issues, comments (ADF), transitions and /myself, behind HTTP Basic
 * auth with an email and API token like Jira Cloud.
 */
export async function startFakeJira(options: StartFakeJiraOptions = {}): Promise<FakeJira> {
  const state: FakeJiraState = { email: options.email ?? "fixline@example.com", apiToken: options.apiToken ?? "jira-fake-token", issues: new Map() };
  let nextId = 10_000;

  function authorized(request: FakeRequest): boolean {
    const header = headerValue(request.headers, "authorization");
    if (!header?.startsWith("Basic ")) return false;
    return Buffer.from(header.slice("Basic ".length), "base64").toString("utf8") === `${state.email}:${state.apiToken}`;
  }

  function withIssue(handler: (request: FakeRequest, issue: FakeJiraIssue) => FakeResponse): (request: FakeRequest) => FakeResponse {
    return (request) => {
      const issue = state.issues.get((request.params.key ?? "").toUpperCase());
      if (!issue) return jiraError(404, "Issue does not exist or you do not have permission to see it.");
      return handler(request, issue);
    };
  }

  function commentJson(comment: FakeJiraIssue["comments"][number]): Record<string, unknown> {
    return { id: comment.id, body: comment.body, author: { displayName: comment.author }, created: new Date().toISOString() };
  }

  const routes: FakeRoute[] = [
    {
      method: "GET",
      pattern: "/rest/api/3/myself",
      handler: () => ({ status: 200, body: { accountId: "5b10ac8d82e05b22cc7d4ef5", emailAddress: state.email, displayName: "Fixline Bot", active: true } }),
    },
    {
      method: "GET",
      pattern: "/rest/api/3/issue/:key",
      handler: withIssue((request, issue) => ({
        status: 200,
        body: {
          id: issue.id,
          key: issue.key,
          self: `http://${headerValue(request.headers, "host")}/rest/api/3/issue/${issue.id}`,
          fields: {
            summary: issue.summary,
            description: issue.description,
            status: { name: issue.status },
            issuetype: { name: issue.issueType },
            project: { key: issue.key.split("-")[0] },
            reporter: { displayName: issue.reporter },
            labels: issue.labels,
          },
        },
      })),
    },
    {
      method: "GET",
      pattern: "/rest/api/3/issue/:key/comment",
      handler: withIssue((_request, issue) => ({
        status: 200,
        body: { startAt: 0, maxResults: 50, total: issue.comments.length, comments: issue.comments.map(commentJson) },
      })),
    },
    {
      method: "POST",
      pattern: "/rest/api/3/issue/:key/comment",
      handler: withIssue((request, issue) => {
        const body = (request.body as { body?: unknown } | undefined)?.body;
        if (!isAdfDoc(body)) return { status: 400, body: { errorMessages: [], errors: { comment: "Comment body is not valid!" } } };
        const comment = { id: String(nextId++), body, author: "Fixline Bot" };
        issue.comments.push(comment);
        return { status: 201, body: commentJson(comment) };
      }),
    },
    {
      method: "GET",
      pattern: "/rest/api/3/issue/:key/transitions",
      handler: withIssue((_request, issue) => ({
        status: 200,
        body: { transitions: issue.transitions.filter((t) => t.to !== issue.status).map((t) => ({ id: t.id, name: t.name, to: { name: t.to } })) },
      })),
    },
    {
      method: "POST",
      pattern: "/rest/api/3/issue/:key/transitions",
      handler: withIssue((request, issue) => {
        const id = (request.body as { transition?: { id?: unknown } } | undefined)?.transition?.id;
        const transition = issue.transitions.find((candidate) => candidate.id === id);
        if (!transition) return { status: 400, body: { errorMessages: [`Transition id '${String(id)}' is not valid for this issue.`], errors: {} } };
        issue.status = transition.to;
        return { status: 204 };
      }),
    },
  ];

  const server = await startFakeHttpServer({
    routes,
    guard: (request) => (authorized(request) ? undefined : { status: 401, body: "Client must be authenticated to access this resource." }),
    failureBody: (status) => ({ errorMessages: [`injected failure ${status}`], errors: {} }),
  });

  return {
    url: server.url,
    received: server.received,
    state,
    failNext: server.failNext,
    close: server.close,
    addIssue(key, issue = {}) {
      const created: FakeJiraIssue = {
        key,
        id: issue.id ?? String(nextId++),
        summary: issue.summary ?? `Issue ${key}`,
        description: issue.description ?? null,
        status: issue.status ?? "To Do",
        issueType: issue.issueType ?? "Bug",
        reporter: issue.reporter ?? "Ada Lovelace",
        labels: issue.labels ?? [],
        transitions: issue.transitions ?? defaultTransitions,
        comments: [],
      };
      state.issues.set(key, created);
      return created;
    },
  };
}
