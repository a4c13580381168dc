/** A stack frame. Lists of frames run oldest call first, the crashing frame last (Sentry's order). */
export interface SentryFrame {
  filename?: string | undefined;
  function?: string | undefined;
  lineno?: number | undefined;
  /** The source line that ran, when Sentry has source context. */
  context_line?: string | undefined;
  /** False for library frames; unknown when the payload did not say. */
  in_app?: boolean | undefined;
}

/**
 * What Fixline knows about a Sentry issue and its latest event: the one shape for it (issue 18), whichever
 * door it came through. The webhook payload (stored as the task's `context.sentry`), the REST API's issue and
 * latest event (shared/integrations parses both) and the planning prompt all use these names; each source
 * fills what it has. Everything here is untrusted text from whoever triggered the error.
 */
export interface SentryFacts {
  issueId: string;
  shortId?: string | undefined;
  projectSlug?: string | undefined;
  title?: string | undefined;
  permalink?: string | null | undefined;
  culprit?: string | undefined;
  level?: string | undefined;
  status?: string | undefined;
  count?: string | undefined;
  userCount?: number | undefined;
  firstSeen?: string | undefined;
  lastSeen?: string | undefined;
  eventId?: string | undefined;
  /** The thrown exception's type and value, e.g. `TypeError`, `Cannot read properties of undefined`. */
  errorType?: string | undefined;
  errorValue?: string | undefined;
  frames?: SentryFrame[] | undefined;
  tags?: Record<string, string> | undefined;
  release?: string | undefined;
  platform?: string | undefined;
  dateCreated?: string | undefined;
}

/** The facts about the issue itself (the issue API, the `issue` webhook). */
export type SentryIssueFacts = Pick<SentryFacts, "issueId" | "shortId" | "projectSlug" | "title" | "permalink" | "culprit" | "level" | "status" | "count" | "userCount" | "firstSeen" | "lastSeen">;

/** The facts about one event of it (the latest-event API, the `event_alert` webhook). */
export type SentryEventFacts = Pick<SentryFacts, "eventId" | "errorType" | "errorValue" | "frames" | "tags" | "release" | "platform" | "dateCreated">;
