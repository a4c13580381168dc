import { headerValue } from "./header-value";
import { hmacSha256Hex } from "./hmac-sha256-hex";
import { matchAnySecret } from "./match-any-secret";
import { notConfigured } from "./not-configured";
import type { Verifier } from "./verifier";

/**
 * Sentry does not document a replay window, and it retries on its own schedule, so the window is a
 * sanity check against replays of old captured deliveries, not a tight bound. Deliveries are
 * deduplicated by Request-ID anyway.
 */
export const sentryTimestampWindowSeconds = 15 * 60;

/**
 * Sentry-Hook-Signature: bare hex HMAC-SHA256 of the body as received, keyed with the integration's client
 * secret. Sentry escapes non-ASCII as \uXXXX, so re-serialising the parsed JSON would not reproduce it.
 */
export const verifySentry: Verifier = ({ rawBody, headers, secrets, nowMs }) => {
  if (secrets.length === 0) return notConfigured("Sentry", "SENTRY_CLIENT_SECRET");
  const signature = headerValue(headers, "sentry-hook-signature");
  if (!signature) return { ok: false, code: "SIGNATURE_MISSING", message: "Sentry-Hook-Signature header is missing" };
  const timestamp = headerValue(headers, "sentry-hook-timestamp");
  if (timestamp !== undefined) {
    const seconds = /^\d{1,12}(\.\d+)?$/.test(timestamp) ? Number(timestamp) : Number.NaN;
    if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > sentryTimestampWindowSeconds) {
      return { ok: false, code: "TIMESTAMP_OUT_OF_WINDOW", message: "Sentry-Hook-Timestamp is more than 15 minutes from now; check this machine's clock" };
    }
  }
  const ok = matchAnySecret(signature.toLowerCase(), secrets, (secret) => hmacSha256Hex(secret, rawBody));
  return ok ? { ok: true } : { ok: false, code: "SIGNATURE_INVALID", message: "Sentry-Hook-Signature does not match; check SENTRY_CLIENT_SECRET" };
};
