import { FixlineError } from "@fixline/core";
import { integrationError } from "../errors/integration-error";

/** Slack platform errors that mean "Slack is having a bad moment", worth retrying later. */
const transientPlatformErrors = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited", "team_added_to_org"]);

interface SlackLikeError {
  code?: string;
  message?: string;
  data?: { error?: string };
  statusCode?: number;
  retryAfter?: number;
}

/** Maps @slack/web-api's coded errors (and response_url failures) to Fixline's integration errors. */
export function slackError(operation: string, error: unknown): FixlineError {
  if (error instanceof FixlineError) return error;
  const e = (error ?? {}) as SlackLikeError;
  switch (e.code) {
    case "slack_webapi_platform_error": {
      const slackCode = e.data?.error ?? "unknown_error";
      const details = { service: "Slack", operation, slackError: slackCode };
      if (transientPlatformErrors.has(slackCode)) {
        return new FixlineError("INTEGRATION_FAILED", `Slack ${operation} failed: ${slackCode}`, { cause: error, details, retryable: true });
      }
      return new FixlineError("INTEGRATION_REJECTED", `Slack ${operation} was rejected: ${slackCode}`, { cause: error, details });
    }
    case "slack_webapi_rate_limited_error":
      return integrationError({ service: "Slack", operation, status: 429, reason: "rate limited", ...(e.retryAfter === undefined ? {} : { retryAfterSeconds: e.retryAfter }), cause: error });
    case "slack_webapi_http_error":
      return integrationError({ service: "Slack", operation, ...(e.statusCode === undefined ? {} : { status: e.statusCode }), ...(e.message ? { reason: e.message } : {}), cause: error });
    default:
      return integrationError({ service: "Slack", operation, ...(e.message ? { reason: e.message } : {}), cause: error });
  }
}
