import { createPublicKey, verify } from "node:crypto";

/**
 * Checks a GitHub App JWT the way GitHub does: RS256 over `header.payload`, issued by the App id, not
 * expired. Returns the App id it was issued for, or undefined when it does not verify.
 */
export function verifyAppJwt(jwt: string, publicKeyPem: string, appId: string, nowSeconds: number): string | undefined {
  const parts = jwt.split(".");
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const valid = verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPublicKey(publicKeyPem), Buffer.from(signature, "base64url"));
  if (!valid) return undefined;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: string | number; exp?: number };
  if (String(claims.iss) !== appId) return undefined;
  if (typeof claims.exp !== "number" || claims.exp < nowSeconds) return undefined;
  return appId;
}
