import { createHmac, randomBytes } from "node:crypto";
import { constantTimeEqual } from "../verify/constant-time-equal";

export const sessionCookieName = "fixline_session";
export const oauthStateCookieName = "fixline_oauth_state";

/** A new high-entropy secret (256 bits), URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

function mac(key: string, value: string): string {
  return createHmac("sha256", key).update(value).digest("base64url");
}

/** `<value>.<HMAC-SHA256(key, value)>`: an edited cookie fails here, before any database lookup. */
export function signCookieValue(key: string, value: string): string {
  return `${value}.${mac(key, value)}`;
}

/** The value when the signature is right, else undefined. */
export function verifyCookieValue(key: string, signed: string | undefined): string | undefined {
  if (!signed) return undefined;
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const value = signed.slice(0, dot);
  return constantTimeEqual(signed.slice(dot + 1), mac(key, value)) ? value : undefined;
}

export interface CookieOptions {
  secure: boolean;
  maxAgeSeconds: number;
  /** Lax lets the GitHub redirect back carry the cookie; Strict would drop it on that top-level hop. */
  sameSite: "Lax" | "Strict";
  path?: string;
}

export function cookieHeader(name: string, value: string, options: CookieOptions): string {
  return `${name}=${encodeURIComponent(value)}; Path=${options.path ?? "/"}; HttpOnly; SameSite=${options.sameSite}; Max-Age=${options.maxAgeSeconds}${options.secure ? "; Secure" : ""}`;
}
