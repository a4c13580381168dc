import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { headerValue } from "../verify/header-value";

/**
 * The sender's delivery id, or, if a sender ever omits it, a digest of the signed body: an exact resend
 * is then still recognised as a duplicate.
 */
export function deliveryId(headers: IncomingHttpHeaders, header: string, rawBody: Buffer): string {
  const value = headerValue(headers, header);
  if (value) return value.slice(0, 200);
  return `sha256:${createHash("sha256").update(rawBody).digest("hex")}`;
}
