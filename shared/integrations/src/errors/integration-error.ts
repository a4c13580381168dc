import { FixlineError } from "@fixline/core";

export type IntegrationService = "GitHub" | "Slack" | "Jira" | "Sentry";

export interface IntegrationFailure {
  service: IntegrationService;
  /** The API call, e.g. `POST /repos/acme/shop/pulls` or `chat.postMessage`. */
  operation: string;
  /** HTTP status; undefined when no response arrived (DNS, refused, reset, timeout). */
  status?: number;
  /** What the API said, or the network error's message. */
  reason?: string;
  /** The provider's own hint on when to come back (Retry-After), in seconds. */
  retryAfterSeconds?: number;
  /** GitHub answers some rate limits with 403 and x-ratelimit-remaining: 0. */
  rateLimited?: boolean;
  cause?: unknown;
}

/**
 * The one place that decides what an outside API failure means for a task. Outages (no response, 5xx)
 * and rate limits are INTEGRATION_FAILED and retryable: the notify queue retries them with backoff, so the
 * clients themselves never sleep. Every other 4xx is INTEGRATION_REJECTED: retrying cannot help, the
 * credentials, scopes or request must change.
 */
export function integrationError(failure: IntegrationFailure): FixlineError {
  const { service, operation, status, reason } = failure;
  const said = reason ? `: ${reason}` : "";
  const details = { service, operation, status, retryAfterSeconds: failure.retryAfterSeconds };
  if (status === undefined) {
    return new FixlineError("INTEGRATION_FAILED", `${service} ${operation} got no response${said}`, { cause: failure.cause, details, retryable: true });
  }
  if (service === "GitHub" && (status === 429 || failure.rateLimited)) {
    // Still limited after octokit's throttling plugin waited as GitHub asked: an outage of GitHub for us (issue 20),
    // so the worker's github circuit breaker pauses the queue instead of failing the task.
    return new FixlineError("GITHUB_RATE_LIMITED", `${service} ${operation} was rate limited (HTTP ${status})${said}`, { cause: failure.cause, details, retryable: true });
  }
  if (status >= 500 || status === 429 || failure.rateLimited) {
    const what = status === 429 || failure.rateLimited ? "was rate limited" : "failed";
    return new FixlineError("INTEGRATION_FAILED", `${service} ${operation} ${what} (HTTP ${status})${said}`, { cause: failure.cause, details, retryable: true });
  }
  return new FixlineError("INTEGRATION_REJECTED", `${service} ${operation} was rejected (HTTP ${status})${said}`, { cause: failure.cause, details });
}

/** The HTTP status an integration error carries, for callers that treat one status specially (404). */
export function integrationStatus(error: unknown): number | undefined {
  if (!(error instanceof FixlineError)) return undefined;
  const status = error.details?.status;
  return typeof status === "number" ? status : undefined;
}
