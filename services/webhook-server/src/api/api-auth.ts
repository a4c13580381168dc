import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { findLiveSession, useApiToken, type FixlineDb } from "@fixline/db";
import { sessionCookieName, verifyCookieValue } from "../auth/session-cookie";
import type { TokenGuessGuard } from "./token-guess-guard";
import { sendApiError } from "./api-errors";

/** Personal API tokens start with this, so a leaked one is recognisable (and secret scanners can match it). */
export const personalTokenPrefix = "fxl_";

export type CredentialVia = "api" | "cli" | "dashboard";

/**
 * How a request proved who it is (issue 16). `operator` is the shared FIXLINE_API_TOKEN: it never speaks
 * as a GitHub login. `user` is a verified GitHub identity: a "Sign in with GitHub" session or a personal
 * API token its owner created while signed in. Nothing the client merely asserts (a header, a body field,
 * an unsigned cookie) names anyone.
 */
export type ApiCredential =
  | { kind: "operator"; via: CredentialVia; sessionId?: string }
  | { kind: "user"; login: string; githubId: number | null; via: CredentialVia; sessionId?: string; tokenId?: string };

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

export interface CredentialDeps {
  db: FixlineDb;
  apiToken: string | undefined;
  /** The HMAC key of session cookies. */
  sessionKey: string;
}

/** What the request presented: nothing, or something that is either right or a guess. */
export type CredentialCheck = { presented: false } | { presented: true; credential: ApiCredential | undefined };

/** Checks the bearer header (operator token or personal token), then the signed session cookie (EventSource cannot set headers). */
export async function checkCredential(request: FastifyRequest, deps: CredentialDeps): Promise<CredentialCheck> {
  const client: CredentialVia = request.headers["x-fixline-client"] === "cli" ? "cli" : "api";
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) return { presented: true, credential: undefined };
    const given = match[1]!;
    if (given.startsWith(personalTokenPrefix)) {
      const token = await useApiToken(deps.db, given);
      return { presented: true, credential: token ? { kind: "user", login: token.login, githubId: token.githubId, via: client, tokenId: token.id } : undefined };
    }
    return { presented: true, credential: deps.apiToken && tokensMatch(given, deps.apiToken) ? { kind: "operator", via: client } : undefined };
  }
  const cookie = parseCookies(request.headers.cookie)[sessionCookieName];
  if (!cookie) return { presented: false };
  const secret = verifyCookieValue(deps.sessionKey, cookie);
  // A forged or edited cookie is a guess; one we signed whose session ended is only "signed out".
  if (!secret) return { presented: true, credential: undefined };
  const session = await findLiveSession(deps.db, secret);
  if (!session) return { presented: false };
  if (session.kind === "operator") return { presented: true, credential: { kind: "operator", via: "dashboard", sessionId: session.id } };
  if (!session.login) return { presented: true, credential: undefined };
  return { presented: true, credential: { kind: "user", login: session.login, githubId: session.githubId, via: "dashboard", sessionId: session.id } };
}

declare module "fastify" {
  interface FastifyRequest {
    fixlineCredential?: ApiCredential;
  }
}

/** Answers 429 with Retry-After while the caller's address is blocked; true when it did. */
export async function refuseIfGuessing(guard: TokenGuessGuard, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const seconds = await guard.blockedFor(request.ip);
  if (seconds === 0) return false;
  reply.header("retry-after", String(seconds));
  await sendApiError(reply, 429, "UNAUTHORIZED", `Too many wrong credentials from this address; try again in ${seconds} s.`);
  return true;
}

/** A wrong credential: a guess, counted for the address (from the trusted proxy's X-Forwarded-For when configured). */
export async function recordGuess(guard: TokenGuessGuard, request: FastifyRequest, reply: FastifyReply, message: string): Promise<FastifyReply> {
  if (await refuseIfGuessing(guard, request, reply)) return reply;
  await guard.recordFailure(request.ip);
  request.log.warn({ ip: request.ip }, "wrong credential presented");
  return sendApiError(reply, 401, "UNAUTHORIZED", message);
}

/**
 * An onRequest hook for every protected route. Never open by default: without FIXLINE_API_TOKEN and
 * without GitHub sign-in the API answers 503 and says what to set. A valid credential always passes,
 * whatever the address's failure count (the guard slows guessing, it never locks out the owner).
 */
export function requireCredential(deps: CredentialDeps & { signInConfigured: boolean }, guard: TokenGuessGuard) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!deps.apiToken && !deps.signInConfigured) {
      await sendApiError(reply, 503, "UNAUTHORIZED", "The REST API and dashboard are disabled until FIXLINE_API_TOKEN (operator) or GITHUB_OAUTH_CLIENT_ID/SECRET (Sign in with GitHub) is set on the server; set it and restart.");
      return;
    }
    const check = await checkCredential(request, deps);
    if (check.presented && check.credential) {
      request.fixlineCredential = check.credential;
      return;
    }
    const message = "Sign in with GitHub on the dashboard, or send Authorization: Bearer <personal API token> (fixline login), or the operator's FIXLINE_API_TOKEN.";
    if (check.presented) {
      await recordGuess(guard, request, reply, message);
      return;
    }
    await sendApiError(reply, 401, "UNAUTHORIZED", message);
  };
}
