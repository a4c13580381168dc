import { z } from "zod";
import type { SentryFacts } from "@fixline/core";

/**
 * Sentry's integration webhook payloads (`issue` / created: `data.issue`; `event_alert` / triggered:
 * `data.event`), parsed into the one Sentry shape (issue 18). The webhook server only verifies, routes and
 * ingests; what the payload means is read here, next to the REST API's parsing of the same facts.
 */
export interface SentryWebhookFacts {
  title: string;
  sentry: SentryFacts;
}

const id = z.union([z.string().min(1), z.number()]).transform(String);

const metadataSchema = z.object({ type: z.string().optional(), value: z.string().optional() }).partial().nullish();

/** Keeps the stored context free of nulls and undefined (what the task's context has always held). */
function clean<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/** Sentry's event URLs name the project: .../projects/<org>/<project-slug>/events/<id>/ */
function projectSlugFromUrl(url: string | undefined): string | undefined {
  return url ? /\/projects\/[^/]+\/([^/]+)\//.exec(url)?.[1] : undefined;
}

/** `data.issue` of an `issue` / created webhook. */
export const sentryIssueWebhookSchema = z
  .object({
    id,
    title: z.string().default("Sentry issue"),
    shortId: z.string().optional(),
    culprit: z.string().nullish(),
    level: z.string().nullish(),
    permalink: z.string().nullish(),
    count: z.union([z.string(), z.number()]).transform(String).optional(),
    userCount: z.number().optional(),
    firstSeen: z.string().optional(),
    lastSeen: z.string().optional(),
    metadata: metadataSchema,
    project: z.object({ slug: z.string() }).partial().nullish(),
  })
  .transform(
    (issue): SentryWebhookFacts => ({
      title: issue.title,
      sentry: clean({
        issueId: issue.id,
        shortId: issue.shortId,
        projectSlug: issue.project?.slug,
        permalink: issue.permalink ?? null,
        culprit: issue.culprit ?? undefined,
        level: issue.level ?? undefined,
        errorType: issue.metadata?.type,
        errorValue: issue.metadata?.value,
        count: issue.count,
        userCount: issue.userCount,
        firstSeen: issue.firstSeen,
        lastSeen: issue.lastSeen,
      }),
    }),
  );

const frameSchema = z.object({ filename: z.string().nullish(), function: z.string().nullish(), lineno: z.number().nullish(), context_line: z.string().nullish() }).partial();

/** `data.event` of an `event_alert` / triggered webhook. */
export const sentryEventAlertWebhookSchema = z
  .object({
    issue_id: id,
    event_id: z.string().optional(),
    title: z.string().default("Sentry alert"),
    culprit: z.string().nullish(),
    level: z.string().nullish(),
    url: z.string().optional(),
    web_url: z.string().optional(),
    issue_url: z.string().optional(),
    metadata: metadataSchema,
    exception: z
      .object({ values: z.array(z.object({ type: z.string().nullish(), value: z.string().nullish(), stacktrace: z.object({ frames: z.array(frameSchema).nullish() }).nullish() }).partial()).nullish() })
      .nullish(),
  })
  .transform((event): SentryWebhookFacts => {
    // Chained exceptions are listed cause first; the last one is what was actually thrown.
    const exception = event.exception?.values?.at(-1);
    return {
      title: event.title,
      sentry: clean({
        issueId: event.issue_id,
        eventId: event.event_id,
        projectSlug: projectSlugFromUrl(event.url),
        permalink: event.web_url ?? null,
        culprit: event.culprit ?? undefined,
        level: event.level ?? undefined,
        errorType: exception?.type ?? event.metadata?.type ?? undefined,
        errorValue: exception?.value ?? event.metadata?.value ?? undefined,
        // The 30 frames nearest the crash: the task row stays small, the prompt shows 25.
        frames: (exception?.stacktrace?.frames ?? []).slice(-30).map((f) =>
          clean({ filename: f.filename ?? undefined, function: f.function ?? undefined, lineno: f.lineno ?? undefined, context_line: f.context_line ?? undefined }),
        ),
      }),
    };
  });
