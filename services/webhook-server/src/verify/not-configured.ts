import type { VerifyResult } from "./verifier";

/** Never accept unsigned deliveries: a missing secret is an operator error, and the message names the fix. */
export function notConfigured(provider: string, variable: string): VerifyResult {
  return {
    ok: false,
    code: "SIGNATURE_INVALID",
    message: `${provider} webhooks are not configured: set ${variable} to the webhook's secret (several may be given, comma-separated, to rotate)`,
  };
}
