import { headerValue } from "./header-value";
import { hmacSha256Hex } from "./hmac-sha256-hex";
import { matchAnySecret } from "./match-any-secret";
import { notConfigured } from "./not-configured";
import type { Verifier } from "./verifier";

/** Slack's replay window: requests more than five minutes from now, either way, are refused. */
export const slackTimestampWindowSeconds = 5 * 60;

/** X-Slack-Signature: v0=<hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<raw body>`>. */
export const verifySlack: Verifier = ({ rawBody, headers, secrets, nowMs }) => {
  if (secrets.length === 0) return notConfigured("Slack", "SLACK_SIGNING_SECRET");
  const signature = headerValue(headers, "x-slack-signature");
  const timestamp = headerValue(headers, "x-slack-request-timestamp");
  if (!signature || !timestamp) return { ok: false, code: "SIGNATURE_MISSING", message: "X-Slack-Signature or X-Slack-Request-Timestamp header is missing" };
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  if (!Number.isFinite(seconds) || Math.abs(nowMs / 1000 - seconds) > slackTimestampWindowSeconds) {
    return { ok: false, code: "TIMESTAMP_OUT_OF_WINDOW", message: "X-Slack-Request-Timestamp is more than 5 minutes from now; check this machine's clock" };
  }
  const ok = matchAnySecret(signature, secrets, (secret) => `v0=${hmacSha256Hex(secret, `v0:${timestamp}:`, rawBody)}`);
  return ok ? { ok: true } : { ok: false, code: "SIGNATURE_INVALID", message: "X-Slack-Signature does not match; check SLACK_SIGNING_SECRET" };
};
