import { z } from "zod";
import { sentryEventAlertWebhookSchema, sentryIssueWebhookSchema, type SentryWebhookFacts } from "@fixline/integrations";
import type { WebhookOutcome } from "../http/webhook-outcome";
import { headerValue } from "../verify/header-value";
import { deliveryId } from "./delivery-id";
import { ingest, recordIgnored } from "./ingest";
import { parseJsonBody, parseValue } from "./parse-body";
import { routeRepo } from "./route-repo";
import type { WebhookContext } from "./webhook-context";

const envelopeSchema = z.object({ action: z.string(), data: z.record(z.string(), z.unknown()).default({}) });

/**
 * Sentry integration webhooks: `issue` / created and `event_alert` / triggered become a task for the
 * Sentry issue (dedupe key `sentry:<issueId>`, so more alerts bump the same task). Other resources
 * (installation, metric_alert, comment...) are recorded as ignored.
 */
export async function handleSentry(ctx: WebhookContext): Promise<WebhookOutcome> {
  const resource = headerValue(ctx.headers, "sentry-hook-resource") ?? "unknown";
  const envelope = parseJsonBody(ctx.rawBody, envelopeSchema, "Sentry webhook");
  const delivery = { source: "sentry", deliveryId: deliveryId(ctx.headers, "request-id", ctx.rawBody), event: `${resource}.${envelope.action}` };

  let parsed: SentryWebhookFacts;
  if (resource === "issue" && envelope.action === "created") {
    parsed = parseValue(envelope.data.issue, sentryIssueWebhookSchema, "Sentry issue webhook data.issue");
  } else if (resource === "event_alert" && envelope.action === "triggered") {
    parsed = parseValue(envelope.data.event, sentryEventAlertWebhookSchema, "Sentry event_alert data.event");
  } else {
    return recordIgnored(ctx, delivery, `Sentry ${resource}.${envelope.action} does not start tasks`);
  }
  const { title, sentry } = parsed;

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
