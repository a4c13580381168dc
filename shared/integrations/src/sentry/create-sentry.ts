import { FixlineError, redactorFor, type Config, type Logger, type SentryEventFacts, type SentryFrame, type SentryIssueFacts } from "@fixline/core";
import { requestJson } from "../http/request-json";

/** The latest-event API's answer, in the one Sentry shape (issue 18); frames and tags are always there. */
export type SentryEvent = SentryEventFacts & { eventId: string; frames: SentryFrame[]; tags: Record<string, string> };

/** The issue API's answer, in the one Sentry shape. */
export type SentryIssue = SentryIssueFacts & { title: string };

export interface SentryClient {
  getLatestEvent(issueId: string): Promise<SentryEvent>;
  getIssue(issueId: string): Promise<SentryIssue>;
  addNote(issueId: string, text: string): Promise<{ id: string }>;
  checkAuth(): Promise<{ scopes: string[]; user: string | undefined }>;
}

interface RawFrame {
  filename?: string | null;
  absPath?: string | null;
  function?: string | null;
  lineNo?: number | null;
  lineno?: number | null;
  inApp?: boolean | null;
  in_app?: boolean | null;
  context?: Array<[number, string]> | null;
  context_line?: string | null;
}

interface RawEvent {
  eventID?: string;
  id?: string;
  platform?: string;
  dateCreated?: string;
  tags?: Array<{ key: string; value: string }>;
  release?: { version?: string } | string | null;
  entries?: Array<{ type: string; data?: { values?: Array<{ type?: string; value?: string; stacktrace?: { frames?: RawFrame[] } | null }> } }>;
}

function toFrame(raw: RawFrame): SentryFrame {
  const lineno = raw.lineNo ?? raw.lineno ?? undefined;
  // The issue API gives context as [line, text] pairs; the line that ran is the one numbered lineNo.
  const contextLine = raw.context_line ?? raw.context?.find(([line]) => line === lineno)?.[1];
  return {
    filename: raw.filename ?? raw.absPath ?? undefined,
    function: raw.function ?? undefined,
    lineno,
    context_line: contextLine ?? undefined,
    in_app: (raw.inApp ?? raw.in_app) === true,
  };
}

/** Parses the latest-event payload into what planning needs: the exception and its stack. */
export function parseSentryEvent(raw: RawEvent): SentryEvent {
  const exception = raw.entries?.find((entry) => entry.type === "exception")?.data?.values;
  // Chained exceptions are listed cause first; the last one is what was actually thrown.
  const thrown = exception?.[exception.length - 1];
  const release = typeof raw.release === "string" ? raw.release : (raw.release?.version ?? undefined);
  return {
    eventId: raw.eventID ?? raw.id ?? "",
    errorType: thrown?.type,
    errorValue: thrown?.value,
    frames: (thrown?.stacktrace?.frames ?? []).map(toFrame),
    tags: Object.fromEntries((raw.tags ?? []).map((tag) => [tag.key, tag.value])),
    release: release ?? undefined,
    platform: raw.platform,
    dateCreated: raw.dateCreated,
  };
}

/** Sentry's REST API with an auth token. Returns undefined when SENTRY_AUTH_TOKEN is unset. */
export function createSentry(config: Config, logger: Logger): SentryClient | undefined {
  const { authToken, apiUrl } = config.sentry;
  if (!authToken) return undefined;
  const log = logger.child({ integration: "sentry" });
  // SENTRY_API_URL ends with /api/0/; resolve paths relative to it, keeping that prefix.
  const base = apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`;
  const headers = { authorization: `Bearer ${authToken}` };
  const redactor = redactorFor(config);

  function send<T>(method: "GET" | "POST", relative: string, body?: unknown): Promise<T | undefined> {
    return requestJson<T>({ service: "Sentry", operation: `${method} /api/0/${relative}`, url: new URL(relative, base).toString(), method, headers, body, redactor });
  }

  function issuePath(issueId: string, suffix = ""): string {
    return `issues/${encodeURIComponent(issueId)}/${suffix}`;
  }

  return {
    async getLatestEvent(issueId) {
      const raw = await send<RawEvent>("GET", issuePath(issueId, "events/latest/"));
      return parseSentryEvent(raw ?? {});
    },

    async getIssue(issueId) {
      const raw = (await send<Record<string, unknown>>("GET", issuePath(issueId))) ?? {};
      const project = raw.project as { slug?: string } | undefined;
      return {
        issueId: String(raw.id ?? issueId),
        shortId: raw.shortId as string | undefined,
        title: String(raw.title ?? ""),
        culprit: raw.culprit as string | undefined,
        permalink: (raw.permalink as string | null | undefined) ?? undefined,
        level: raw.level as string | undefined,
        status: raw.status as string | undefined,
        count: raw.count === undefined ? undefined : String(raw.count),
        userCount: raw.userCount as number | undefined,
        projectSlug: project?.slug,
      };
    },

    async addNote(issueId, text) {
      const created = await send<{ id: string }>("POST", issuePath(issueId, "comments/"), { text });
      log.info({ issueId, noteId: created?.id }, "added Sentry note");
      return { id: String(created?.id ?? "") };
    },

    async checkAuth() {
      const root = await send<{ auth?: { scopes?: string[] } | null; user?: { username?: string } | null }>("GET", "");
      if (!root?.auth) {
        throw new FixlineError("INTEGRATION_REJECTED", "Sentry GET /api/0/ did not recognise SENTRY_AUTH_TOKEN", { details: { service: "Sentry", operation: "GET /api/0/" } });
      }
      return { scopes: root.auth.scopes ?? [], user: root.user?.username };
    },
  };
}
