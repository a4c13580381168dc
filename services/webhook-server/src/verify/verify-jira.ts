import { headerValue } from "./header-value";
import { hmacSha256Hex } from "./hmac-sha256-hex";
import { matchAnySecret } from "./match-any-secret";
import { notConfigured } from "./not-configured";
import type { Verifier } from "./verifier";

/** Jira admin webhooks registered with a secret: X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>. */
export const verifyJira: Verifier = ({ rawBody, headers, secrets }) => {
  if (secrets.length === 0) return notConfigured("Jira", "JIRA_WEBHOOK_SECRET");
  const signature = headerValue(headers, "x-hub-signature");
  if (!signature) return { ok: false, code: "SIGNATURE_MISSING", message: "X-Hub-Signature header is missing (register the Jira webhook with a secret)" };
  const ok = matchAnySecret(signature, secrets, (secret) => `sha256=${hmacSha256Hex(secret, rawBody)}`);
  return ok ? { ok: true } : { ok: false, code: "SIGNATURE_INVALID", message: "X-Hub-Signature does not match; check JIRA_WEBHOOK_SECRET" };
};
