import { headerValue } from "./header-value";
import { hmacSha256Hex } from "./hmac-sha256-hex";
import { matchAnySecret } from "./match-any-secret";
import { notConfigured } from "./not-configured";
import type { Verifier } from "./verifier";

/** X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>. */
export const verifyGitHub: Verifier = ({ rawBody, headers, secrets }) => {
  if (secrets.length === 0) return notConfigured("GitHub", "GITHUB_WEBHOOK_SECRET");
  const signature = headerValue(headers, "x-hub-signature-256");
  if (!signature) return { ok: false, code: "SIGNATURE_MISSING", message: "X-Hub-Signature-256 header is missing" };
  const ok = matchAnySecret(signature, secrets, (secret) => `sha256=${hmacSha256Hex(secret, rawBody)}`);
  return ok ? { ok: true } : { ok: false, code: "SIGNATURE_INVALID", message: "X-Hub-Signature-256 does not match; check GITHUB_WEBHOOK_SECRET" };
};
