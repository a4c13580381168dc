import type { TokenGuessGuard } from "./token-guess-guard";
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { sendApiError } from "./api-errors";

export const tokenCookie = "fixline_token";
export const loginCookie = "fixline_login";

/** How a request proved it holds the API token. A cookie session is the dashboard; it carries the sign-in login. */
export type ApiCredential = { kind: "bearer" } | { kind: "session"; login: string | undefined };

/** Hashing first makes both sides the same length, so the comparison is constant time whatever was sent. */
export function tokensMatch(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}

/** Checks the bearer header, then the session cookie (EventSource cannot set headers). */
export function credentialOf(request: FastifyRequest, apiToken: string): ApiCredential | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    return match && tokensMatch(match[1]!, apiToken) ? { kind: "bearer" } : undefined;
  }
  const cookies = parseCookies(request.headers.cookie);
  const token = cookies[tokenCookie];
  if (token && tokensMatch(token, apiToken)) return { kind: "session", login: cookies[loginCookie] || undefined };
  return undefined;
}

declare module "fastify" {
  interface FastifyRequest {
    fixlineCredential?: ApiCredential;
  }
}

/** Answers 429 with Retry-After while the caller's address is blocked; true when it did. */
export async function refuseIfGuessing(guard: TokenGuessGuard, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const seconds = guard.blockedFor(request.ip);
  if (seconds === 0) return false;
  reply.header("retry-after", String(seconds));
  await sendApiError(reply, 429, "UNAUTHORIZED", `Too many wrong API tokens from this address; try again in ${seconds} s.`);
  return true;
}

/**
 * An onRequest hook for every protected route. Never open by default: without FIXLINE_API_TOKEN the API
 * answers 503 and says what to set.
 */
export function requireApiToken(apiToken: string | undefined, guard?: TokenGuessGuard) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!apiToken) {
      await sendApiError(reply, 503, "UNAUTHORIZED", "The REST API and dashboard are disabled until FIXLINE_API_TOKEN is set on the server; set it and restart.");
      return;
    }
    if (guard && (await refuseIfGuessing(guard, request, reply))) return;
    const credential = credentialOf(request, apiToken);
    if (!credential) {
      // A token was presented and it was wrong: that is a guess. (No token at all is just not signed in.)
      if (guard && (request.headers.authorization || parseCookies(request.headers.cookie)[tokenCookie])) {
        guard.recordFailure(request.ip);
        request.log.warn({ ip: request.ip }, "wrong API token presented");
      }
      await sendApiError(reply, 401, "UNAUTHORIZED", "Send Authorization: Bearer <FIXLINE_API_TOKEN> (or sign in to the dashboard).");
      return;
    }
    request.fixlineCredential = credential;
  };
}
