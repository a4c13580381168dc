import { constantTimeEqual } from "./constant-time-equal";

/**
 * True when `received` equals the signature computed with any of the secrets. Every secret is tried
 * (no early exit), so timing does not reveal which one matched during a rotation.
 */
export function matchAnySecret(received: string, secrets: readonly string[], sign: (secret: string) => string): boolean {
  let matched = false;
  for (const secret of secrets) if (constantTimeEqual(received, sign(secret))) matched = true;
  return matched;
}
