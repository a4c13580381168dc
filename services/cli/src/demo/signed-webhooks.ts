import { createHmac, randomUUID } from "node:crypto";
import { slackActionIds, slackButtonValue } from "@fixline/integrations";
import type { DemoSecrets } from "./demo-environment";
import { demoNames } from "./demo-environment";

/**
 * The deliveries a real Sentry, GitHub, Slack and Jira would send, signed with the providers' real
 * algorithms over the exact bytes posted. The demo and the end-to-end tests go through the same webhook
 * routes as production traffic.
 */

export interface WebhookTarget {
  /** The webhook server's base URL. */
  url: string;
  secrets: DemoSecrets;
}

export interface WebhookResponse {
  status: number;
  body: unknown;
}

const hmacHex = (secret: string, ...parts: string[]): string => {
  const mac = createHmac("sha256", secret);
  for (const part of parts) mac.update(part);
  return mac.digest("hex");
};

async function post(url: string, body: string, headers: Record<string, string>): Promise<WebhookResponse> {
  const response = await fetch(url, { method: "POST", body, headers });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not every answer is JSON (Slack acks can be empty).
  }
  return { status: response.status, body: parsed };
}

/** A Sentry `event_alert` / `triggered` for the shop sample's TypeError, routed by project slug. */
export async function sendSentryEventAlert(target: WebhookTarget, options: { issueId?: string; project?: string } = {}): Promise<WebhookResponse> {
  const issueId = options.issueId ?? demoNames.sentryIssueId;
  const project = options.project ?? demoNames.sentryProject;
  const eventId = randomUUID().replaceAll("-", "");
  const body = JSON.stringify({
    action: "triggered",
    installation: { uuid: randomUUID() },
    data: {
      event: {
        event_id: eventId,
        issue_id: issueId,
        title: "TypeError: Cannot read properties of undefined (reading 'price')",
        culprit: "computeTotal(src/cart/total)",
        level: "error",
        platform: "node",
        url: `https://sentry.io/api/0/projects/acme/${project}/events/${eventId}/`,
        web_url: `https://sentry.io/organizations/acme/issues/${issueId}/events/${eventId}/`,
        issue_url: `https://sentry.io/api/0/issues/${issueId}/`,
        metadata: { type: "TypeError", value: "Cannot read properties of undefined (reading 'price')" },
        exception: {
          values: [
            {
              type: "TypeError",
              value: "Cannot read properties of undefined (reading 'price')",
              stacktrace: {
                frames: [
                  { filename: "src/routes/cart.js", function: "handleCart", lineno: 7, context_line: "  const total = computeTotal(cart.items);" },
                  { filename: "src/cart/total.js", function: "computeTotal", lineno: 8, context_line: "    return sum + item.product.price * item.quantity;" },
                ],
              },
            },
          ],
        },
      },
      triggered_rule: "Cart errors",
    },
    actor: { type: "application", id: "sentry", name: "Sentry" },
  });
  return post(`${target.url}/webhooks/sentry`, body, {
    "content-type": "application/json",
    "sentry-hook-resource": "event_alert",
    "sentry-hook-timestamp": String(Math.floor(Date.now() / 1000)),
    "request-id": randomUUID(),
    "sentry-hook-signature": hmacHex(target.secrets.sentry, body),
  });
}

/** A GitHub `issue_comment` / `created` on a pull request, by a user (default: the repo's maintainer). */
/** `commentId`: the same comment again (a redelivery under a fresh X-GitHub-Delivery); default a new one. */
export async function sendGitHubComment(target: WebhookTarget, options: { prNumber: number; body: string; login?: string; repo?: string; commentId?: number }): Promise<WebhookResponse> {
  const repo = options.repo ?? demoNames.repo;
  const login = options.login ?? demoNames.maintainer;
  const body = JSON.stringify({
    action: "created",
    issue: { number: options.prNumber, title: "fixline", pull_request: { url: `https://api.github.com/repos/${repo}/pulls/${options.prNumber}` } },
    comment: { id: options.commentId ?? Math.floor(Math.random() * 1e9), body: options.body, user: { login, type: "User" }, created_at: new Date().toISOString() },
    repository: { full_name: repo },
    sender: { login, type: "User" },
  });
  return post(`${target.url}/webhooks/github`, body, {
    "content-type": "application/json",
    "x-github-event": "issue_comment",
    "x-github-delivery": randomUUID(),
    "x-hub-signature-256": `sha256=${hmacHex(target.secrets.github, body)}`,
  });
}

function slackHeaders(secret: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": timestamp, "x-slack-signature": `v0=${hmacHex(secret, `v0:${timestamp}:`, body)}` };
}

/** The `/agent <text>` slash command, from a Slack user in the demo channel. */
export async function sendSlackCommand(target: WebhookTarget, options: { text: string; responseUrl: string; userId?: string; userName?: string }): Promise<WebhookResponse> {
  const body = new URLSearchParams({
    token: "legacy-verification-token-unused",
    team_id: "T0FIXLINE",
    team_domain: "acme",
    channel_id: demoNames.slackChannel,
    channel_name: "bugs",
    user_id: options.userId ?? demoNames.slackMaintainer,
    user_name: options.userName ?? demoNames.maintainer,
    command: "/agent",
    text: options.text,
    api_app_id: "A0FIXLINE",
    response_url: options.responseUrl,
    trigger_id: `${Date.now()}.${randomUUID()}`,
  }).toString();
  return post(`${target.url}/webhooks/slack/commands`, body, slackHeaders(target.secrets.slack, body));
}

/** A click on the plan message's Approve (or Reject) button. */
export async function sendSlackButton(
  target: WebhookTarget,
  /** `planSha`: the plan the message showed (the real buttons carry it; see slackButtonValue). */
  options: { taskId: string; planSha?: string | undefined; action: "approve" | "reject"; responseUrl: string; userId?: string },
): Promise<WebhookResponse> {
  const payload = {
    type: "block_actions",
    trigger_id: `${Date.now()}.${randomUUID()}`,
    user: { id: options.userId ?? demoNames.slackMaintainer, username: demoNames.maintainer, name: demoNames.maintainer },
    api_app_id: "A0FIXLINE",
    team: { id: "T0FIXLINE", domain: "acme" },
    channel: { id: demoNames.slackChannel, name: "bugs" },
    response_url: options.responseUrl,
    actions: [{ action_id: slackActionIds[options.action], block_id: "fixline_plan", type: "button", value: slackButtonValue(options.taskId, options.planSha), action_ts: String(Date.now() / 1000) }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return post(`${target.url}/webhooks/slack/interactions`, body, slackHeaders(target.secrets.slack, body));
}

/** A Jira `jira:issue_created` for an issue carrying the trigger label. */
export async function sendJiraIssueCreated(target: WebhookTarget, options: { key: string; summary: string; description: string; labels?: string[]; jiraUrl: string }): Promise<WebhookResponse> {
  const body = JSON.stringify({
    timestamp: Date.now(),
    webhookEvent: "jira:issue_created",
    issue_event_type_name: "issue_created",
    user: { accountId: "5b10a2844c20165700ede21g", displayName: "Mia Krystof" },
    issue: {
      id: "10042",
      self: `${options.jiraUrl}/rest/api/3/issue/10042`,
      key: options.key,
      fields: {
        issuetype: { name: "Bug" },
        project: { key: options.key.split("-")[0], name: "Shop" },
        summary: options.summary,
        description: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: options.description }] }] },
        labels: options.labels ?? [demoNames.triggerLabel],
        reporter: { displayName: "Mia Krystof" },
      },
    },
  });
  return post(`${target.url}/webhooks/jira`, body, {
    "content-type": "application/json",
    "x-atlassian-webhook-identifier": randomUUID(),
    "x-hub-signature": `sha256=${hmacHex(target.secrets.jira, body)}`,
  });
}
