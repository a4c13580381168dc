import { z } from "zod";

/** A stack frame. Lists of frames run oldest call first, the crashing frame last (Sentry's order). */
export const sentryFrameSchema = z.object({
  filename: z.string().optional(),
  function: z.string().optional(),
  lineno: z.number().optional(),
  /** The source line that ran, when Sentry has source context. */
  context_line: z.string().optional(),
  /** False for library frames; unknown when the payload did not say. */
  in_app: z.boolean().optional(),
});
export type SentryFrame = z.infer<typeof sentryFrameSchema>;

/**
 * What Fixline knows about a Sentry issue and its latest event: the one shape for it (issue 18), whichever
 * door it came through. The webhook payload (stored as the task's `context.sentry`), the REST API's issue and
 * latest event (shared/integrations parses both) and the planning prompt all use these names; each source
 * fills what it has. Everything here is untrusted text from whoever triggered the error.
 */
export const sentryFactsSchema = z.object({
  issueId: z.string(),
  shortId: z.string().optional(),
  projectSlug: z.string().optional(),
  title: z.string().optional(),
  permalink: z.string().nullable().optional(),
  culprit: z.string().optional(),
  level: z.string().optional(),
  status: z.string().optional(),
  count: z.string().optional(),
  userCount: z.number().optional(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
  eventId: z.string().optional(),
  /** The thrown exception's type and value, e.g. `TypeError`, `Cannot read properties of undefined`. */
  errorType: z.string().optional(),
  errorValue: z.string().optional(),
  frames: z.array(sentryFrameSchema).optional(),
  /** Sentry's own tag map (key -> value): a map by nature, not a bag of facts. */
  tags: z.record(z.string(), z.string()).optional(),
  release: z.string().optional(),
  platform: z.string().optional(),
  dateCreated: z.string().optional(),
});
export type SentryFacts = z.infer<typeof sentryFactsSchema>;

/** The facts about the issue itself (the issue API, the `issue` webhook). */
export type SentryIssueFacts = Pick<SentryFacts, "issueId" | "shortId" | "projectSlug" | "title" | "permalink" | "culprit" | "level" | "status" | "count" | "userCount" | "firstSeen" | "lastSeen">;

/** The facts about one event of it (the latest-event API, the `event_alert` webhook). */
export type SentryEventFacts = Pick<SentryFacts, "eventId" | "errorType" | "errorValue" | "frames" | "tags" | "release" | "platform" | "dateCreated">;
