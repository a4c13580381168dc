import { z } from "zod";
import type { TaskContext } from "@fixline/core";
import type { WebhookOutcome } from "../http/webhook-outcome";
import { headerValue } from "../verify/header-value";
import { deliveryId } from "./delivery-id";
import { ingest, recordIgnored } from "./ingest";
import { parseJsonBody, parseValue } from "./parse-body";
import { routeRepo } from "./route-repo";
import type { WebhookContext } from "./webhook-context";

const id = z.union([z.string().min(1), z.number()]).transform(String);

const envelopeSchema = z.object({ action: z.string(), data: z.record(z.string(), z.unknown()).default({}) });

const issueSchema = z.object({
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
  metadata: z.object({ type: z.string().optional(), value: z.string().optional() }).partial().nullish(),
  project: z.object({ slug: z.string() }).partial().nullish(),
});

const frameSchema = z.object({ filename: z.string().nullish(), function: z.string().nullish(), lineno: z.number().nullish(), context_line: z.string().nullish() }).partial();
const eventSchema = z.object({
  issue_id: id,
  event_id: z.string().optional(),
  title: z.string().default("Sentry alert"),
  culprit: z.string().nullish(),
  level: z.string().nullish(),
  url: z.string().optional(),
  web_url: z.string().optional(),
  issue_url: z.string().optional(),
  metadata: z.object({ type: z.string().optional(), value: z.string().optional() }).partial().nullish(),
  exception: z
    .object({ values: z.array(z.object({ type: z.string().nullish(), value: z.string().nullish(), stacktrace: z.object({ frames: z.array(frameSchema).nullish() }).nullish() }).partial()).nullish() })
    .nullish(),
});

/** Sentry's event URLs name the project: .../projects/<org>/<project-slug>/events/<id>/ */
function projectSlugFromUrl(url: string | undefined): string | undefined {
  return url ? /\/projects\/[^/]+\/([^/]+)\//.exec(url)?.[1] : undefined;
}

function clean<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/**
 * Sentry integration webhooks: `issue` / created and `event_alert` / triggered become a task for the
 * Sentry issue (dedupe key `sentry:<issueId>`, so more alerts bump the same task). Other resources
 * (installation, metric_alert, comment...) are recorded as ignored.
 */
export async function handleSentry(ctx: WebhookContext): Promise<WebhookOutcome> {
  const resource = headerValue(ctx.headers, "sentry-hook-resource") ?? "unknown";
  const envelope = parseJsonBody(ctx.rawBody, envelopeSchema, "Sentry webhook");
  const delivery = { source: "sentry", deliveryId: deliveryId(ctx.headers, "request-id", ctx.rawBody), event: `${resource}.${envelope.action}` };

  let sentry: NonNullable<TaskContext["sentry"]>;
  let title: string;
  if (resource === "issue" && envelope.action === "created") {
    const issue = parseValue(envelope.data.issue, issueSchema, "Sentry issue webhook data.issue");
    title = issue.title;
    sentry = clean({
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
    });
  } else if (resource === "event_alert" && envelope.action === "triggered") {
    const event = parseValue(envelope.data.event, eventSchema, "Sentry event_alert data.event");
    const exception = event.exception?.values?.at(-1);
    title = event.title;
    sentry = clean({
      issueId: event.issue_id,
      eventId: event.event_id,
      projectSlug: projectSlugFromUrl(event.url),
      permalink: event.web_url ?? null,
      culprit: event.culprit ?? undefined,
      level: event.level ?? undefined,
      errorType: exception?.type ?? event.metadata?.type ?? undefined,
      errorValue: exception?.value ?? event.metadata?.value ?? undefined,
      frames: (exception?.stacktrace?.frames ?? []).slice(-30).map((f) =>
        clean({ filename: f.filename ?? undefined, function: f.function ?? undefined, lineno: f.lineno ?? undefined, context_line: f.context_line ?? undefined }),
      ),
    });
  } else {
    return recordIgnored(ctx, delivery, `Sentry ${resource}.${envelope.action} does not start tasks`);
  }

  const repo = routeRepo(ctx.deps.config, "sentry", sentry.projectSlug);
  if (!repo) {
    ctx.log.warn(
      { projectSlug: sentry.projectSlug, issueId: sentry.issueId },
      `no repository for Sentry project "${sentry.projectSlug ?? "?"}": add routing.sentry.${sentry.projectSlug ?? "<project-slug>"}: owner/repo to FIXLINE_CONFIG`,
    );
    return recordIgnored(ctx, delivery, `no repository routed for Sentry project ${sentry.projectSlug ?? "(unknown)"}`, "unroutable");
  }
  return ingest(ctx, {
    delivery,
    source: "sentry",
    sourceKey: `sentry:${sentry.issueId}`,
    repo,
    title,
    context: { sentry },
    requester: { via: "sentry", name: "sentry" },
  });
}
