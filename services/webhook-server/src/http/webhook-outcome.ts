import type { ErrorCode } from "@fixline/core";

/** A Slack message body (ephemeral or in-channel) sent as the HTTP answer to a slash command. */
export interface SlackReply {
  response_type: "ephemeral" | "in_channel";
  text: string;
}

/**
 * What handling one delivery came to. Handlers return these; `sendOutcome` is the one place that turns
 * them into HTTP statuses and metrics, so every delivery is answered and counted the same way.
 */
export type WebhookOutcome =
  | { outcome: "created"; taskId: string; reply?: SlackReply }
  | { outcome: "updated"; taskId: string; occurrences: number; reply?: SlackReply }
  | { outcome: "duplicate"; taskId: string | null; reply?: SlackReply }
  | { outcome: "ignored"; reason: string; reply?: SlackReply }
  /** A valid signal with no repository configured: 200 so the sender does not retry forever. */
  | { outcome: "unroutable"; reason: string; reply?: SlackReply }
  | { outcome: "closed"; taskId: string }
  | { outcome: "command_applied"; taskId: string; command: string; reply?: SlackReply }
  | { outcome: "command_refused"; taskId: string; command: string; message: string; reply?: SlackReply }
  | { outcome: "command_conflict"; taskId: string; command: string; message: string; reply?: SlackReply }
  /** A Slack command that only answers (help, status). */
  | { outcome: "replied"; reply: SlackReply }
  | { outcome: "url_verification"; challenge: string }
  | { outcome: "rejected"; status: 400 | 401 | 403 | 404 | 413 | 415; code: ErrorCode; message: string }
  /** Something we depend on is down: 503 + Retry-After, so senders that retry do. */
  | { outcome: "unavailable"; code: ErrorCode; message: string; retryAfterSeconds: number }
  | { outcome: "error"; code: ErrorCode; message: string };

/** The label values of ai_agent_webhook_deliveries_total{outcome}; alert rules match `error|unavailable`. */
export type DeliveryMetricOutcome = "accepted" | "duplicate" | "ignored" | "rejected" | "unavailable" | "error";
