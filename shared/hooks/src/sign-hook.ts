import { createHmac, timingSafeEqual } from "node:crypto";

export const hookSignatureHeader = "X-Fixline-Signature-256";
export const hookDeliveryHeader = "X-Fixline-Delivery";
export const hookEventHeader = "X-Fixline-Event";

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the same scheme as GitHub's X-Hub-Signature-256. */
export function signHookBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** What a receiver does: recompute over the raw body and compare in constant time. */
export function verifyHookSignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signHookBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
