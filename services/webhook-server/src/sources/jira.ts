import { z } from "zod";
import { hasLiveTask } from "@fixline/db";
import { adfToText } from "@fixline/integrations";
import type { WebhookOutcome } from "../http/webhook-outcome";
import { deliveryId } from "./delivery-id";
import { ingest, recordIgnored } from "./ingest";
import { parseJsonBody } from "./parse-body";
import { routeRepo } from "./route-repo";
import type { WebhookContext } from "./webhook-context";

const jiraSchema = z.object({
  webhookEvent: z.string(),
  user: z.object({ displayName: z.string().optional(), accountId: z.string().optional() }).partial().nullish(),
  issue: z
    .object({
      key: z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/i, "must be an issue key like ED-1"),
      self: z.string().optional(),
      fields: z
        .object({
          summary: z.string().nullish(),
          description: z.unknown(),
          labels: z.array(z.string()).nullish(),
          project: z.object({ key: z.string() }).partial().nullish(),
          reporter: z.object({ displayName: z.string().optional() }).partial().nullish(),
        })
        .partial()
        .default({}),
    })
    .optional(),
  changelog: z.object({ items: z.array(z.object({ field: z.string().optional(), fromString: z.string().nullish(), toString: z.string().nullish() })).default([]) }).nullish(),
});
type JiraPayload = z.infer<typeof jiraSchema>;

/** Whether this update added the trigger label (labels changelog items list the labels space-separated). */
function labelAdded(payload: JiraPayload, label: string): boolean {
  return (payload.changelog?.items ?? []).some(
    (item) => item.field === "labels" && (item.toString ?? "").split(/\s+/).includes(label) && !(item.fromString ?? "").split(/\s+/).includes(label),
  );
}

/**
 * Jira admin webhooks: an issue created or updated with the trigger label becomes a task for that issue
 * key (`jira:<KEY>`). An update that did not add the label only counts while a task for the issue is
 * live; otherwise every later edit of a finished ticket would start a new task.
 */
export async function handleJira(ctx: WebhookContext): Promise<WebhookOutcome> {
  const data = parseJsonBody(ctx.rawBody, jiraSchema, "Jira webhook");
  const delivery = { source: "jira", deliveryId: deliveryId(ctx.headers, "x-atlassian-webhook-identifier", ctx.rawBody), event: data.webhookEvent };
  const { config, db } = ctx.deps;
  const triggerLabel = config.file.defaults.triggerLabel;
  const issue = data.issue;

  if ((data.webhookEvent !== "jira:issue_created" && data.webhookEvent !== "jira:issue_updated") || !issue) {
    return recordIgnored(ctx, delivery, `Jira ${data.webhookEvent} does not start tasks`);
  }
  const labels = issue.fields.labels ?? [];
  if (!labels.includes(triggerLabel)) return recordIgnored(ctx, delivery, `Jira ${issue.key} does not carry the "${triggerLabel}" label`);
  const sourceKey = `jira:${issue.key.toUpperCase()}`;
  if (data.webhookEvent === "jira:issue_updated" && !labelAdded(data, triggerLabel)) {
    if (!(await hasLiveTask(db, sourceKey))) return recordIgnored(ctx, delivery, `Jira ${issue.key} was updated without adding "${triggerLabel}" and has no live task`);
  }

  const projectKey = issue.fields.project?.key ?? issue.key.split("-")[0];
  const repo = routeRepo(config, "jira", projectKey);
  if (!repo) {
    ctx.log.warn({ projectKey, issueKey: issue.key }, `no repository for Jira project "${projectKey}": add routing.jira.${projectKey}: owner/repo to FIXLINE_CONFIG`);
    return recordIgnored(ctx, delivery, `no repository routed for Jira project ${projectKey}`, "unroutable");
  }
  const summary = issue.fields.summary ?? issue.key;
  const descriptionText = adfToText(issue.fields.description);
  const base = config.jira.baseUrl ?? (issue.self ? safeOrigin(issue.self) : undefined);
  return ingest(ctx, {
    delivery,
    source: "jira",
    sourceKey,
    repo,
    title: `${issue.key}: ${summary}`,
    context: {
      ...(descriptionText ? { description: descriptionText } : {}),
      jira: {
        key: issue.key,
        ...(projectKey ? { projectKey } : {}),
        summary,
        ...(descriptionText ? { descriptionText } : {}),
        ...(base ? { url: `${base.replace(/\/+$/, "")}/browse/${issue.key}` } : {}),
        ...(issue.fields.reporter?.displayName ? { reporter: issue.fields.reporter.displayName } : {}),
      },
    },
    requester: { via: "jira", ...(data.user?.displayName ? { name: data.user.displayName } : {}), ...(data.user?.accountId ? { id: data.user.accountId } : {}) },
  });
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
