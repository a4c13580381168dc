import { isFixlineError } from "@fixline/core";
import { isDbUnavailable } from "@fixline/db";
import { statusForCode } from "./status-for-code";
import type { WebhookOutcome } from "./webhook-outcome";

/** How long senders that honour Retry-After should wait while Postgres (or GitHub) is unreachable. */
export const retryAfterSeconds = 30;
/** Shed load (INGEST_OVERLOADED) clears in moments: a short wait spreads the retries without idling. */
const overloadRetryAfterSeconds = 2;

/** Turns anything a handler threw into an outcome; connection failures become 503 so senders retry. */
export function errorToOutcome(error: unknown): WebhookOutcome {
  if (isFixlineError(error)) {
    const status = statusForCode(error.code);
    if (status === 503) return { outcome: "unavailable", code: error.code, message: error.message, retryAfterSeconds: error.code === "INGEST_OVERLOADED" ? overloadRetryAfterSeconds : retryAfterSeconds };
    if (status === 400 || status === 401 || status === 403 || status === 404 || status === 413 || status === 415) {
      return { outcome: "rejected", status, code: error.code, message: error.message };
    }
    if (isDbUnavailable(error.cause)) return { outcome: "unavailable", code: "DB_UNAVAILABLE", message: "the database is unreachable", retryAfterSeconds };
    return { outcome: "error", code: error.code, message: error.message };
  }
  if (isDbUnavailable(error)) {
    return { outcome: "unavailable", code: "DB_UNAVAILABLE", message: "the database is unreachable; retry later", retryAfterSeconds };
  }
  return { outcome: "error", code: "INTERNAL", message: "internal error; the server log has the details" };
}
