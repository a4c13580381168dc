import { headerValue, startFakeHttpServer, type FakeRequest, type FakeResponse, type FakeRoute, type RecordedRequest } from "./fake-http-server";
import { sentrySampleEvent, sentrySampleIssue } from "./sentry-sample-event";

export interface FakeSentryIssue {
  issue: Record<string, unknown>;
  latestEvent: Record<string, unknown> | undefined;
  notes: Array<{ id: string; text: string }>;
}

export interface FakeSentryState {
  token: string;
  issues: Map<string, FakeSentryIssue>;
}

export interface FakeSentry {
  url: string;
  /** What to configure as SENTRY_API_URL (`<url>/api/0/`). */
  apiUrl: string;
  received: RecordedRequest[];
  state: FakeSentryState;
  failNext(status: number, count?: number): void;
  /** Seeds an issue; without overrides it carries the realistic sample event (TypeError with in-app frames). */
  addIssue(issueId: string, overrides?: { issue?: Record<string, unknown>; latestEvent?: Record<string, unknown> | null }): FakeSentryIssue;
  close(): Promise<void>;
}

export interface StartFakeSentryOptions {
  token?: string;
  /** Issues seeded with the sample data; defaults to one, `1170820242`. */
  issueIds?: string[];
}

const notFound: FakeResponse = { status: 404, body: { detail: "The requested resource does not exist" } };

/** A local Sentry API (issue, latest event, notes) behind a Bearer auth token, with realistic seeded data. */
export async function startFakeSentry(options: StartFakeSentryOptions = {}): Promise<FakeSentry> {
  const state: FakeSentryState = { token: options.token ?? "sntrys_fixline_fake", issues: new Map() };
  let nextNoteId = 1;

  function withIssue(handler: (request: FakeRequest, issue: FakeSentryIssue) => FakeResponse): (request: FakeRequest) => FakeResponse {
    return (request) => {
      const issue = state.issues.get(request.params.id ?? "");
      return issue ? handler(request, issue) : notFound;
    };
  }

  const routes: FakeRoute[] = [
    { method: "GET", pattern: "/api/0/", handler: () => ({ status: 200, body: { version: "0", auth: { scopes: ["event:read", "event:write", "project:read"] }, user: { username: "fixline" } } }) },
    { method: "GET", pattern: "/api/0/issues/:id/", handler: withIssue((_request, issue) => ({ status: 200, body: issue.issue })) },
    {
      method: "GET",
      pattern: "/api/0/issues/:id/events/latest/",
      handler: withIssue((_request, issue) => (issue.latestEvent ? { status: 200, body: issue.latestEvent } : notFound)),
    },
    {
      method: "POST",
      pattern: "/api/0/issues/:id/comments/",
      handler: withIssue((request, issue) => {
        const text = (request.body as { text?: unknown } | undefined)?.text;
        if (typeof text !== "string" || text.trim() === "") return { status: 400, body: { text: ["This field is required."] } };
        const note = { id: String(nextNoteId++), text };
        issue.notes.push(note);
        return { status: 201, body: { id: note.id, type: "note", data: { text }, dateCreated: new Date().toISOString(), user: { username: "fixline" } } };
      }),
    },
  ];

  const server = await startFakeHttpServer({
    routes,
    guard: (request) =>
      headerValue(request.headers, "authorization") === `Bearer ${state.token}` ? undefined : { status: 401, body: { detail: "Invalid token" } },
    failureBody: (status) => ({ detail: `injected failure ${status}` }),
  });

  const addIssue: FakeSentry["addIssue"] = (issueId, overrides = {}) => {
    const entry: FakeSentryIssue = {
      issue: overrides.issue ?? sentrySampleIssue(issueId),
      latestEvent: overrides.latestEvent === null ? undefined : (overrides.latestEvent ?? sentrySampleEvent(issueId)),
      notes: [],
    };
    state.issues.set(issueId, entry);
    return entry;
  };
  for (const issueId of options.issueIds ?? ["1170820242"]) addIssue(issueId);

  return {
    url: server.url,
    apiUrl: `${server.url}/api/0/`,
    received: server.received,
    state,
    failNext: server.failNext,
    addIssue,
    close: server.close,
  };
}
