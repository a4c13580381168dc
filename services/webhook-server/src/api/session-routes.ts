import type { FastifyReply } from "fastify";
import { z } from "zod";
import { apiError, operatorSignInSchema, sessionBody } from "@fixline/core";
import { createSession, revokeSession } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { cookieHeader, newSecret, sessionCookieName, signCookieValue } from "../auth/session-cookie";
import { checkCredential, recordGuess, tokensMatch, type CredentialDeps } from "./api-auth";
import type { TokenGuessGuard } from "./token-guess-guard";
import { sendApiError } from "./api-errors";
import type { ZodApi } from "./openapi-document";

export interface SessionIssuer {
  /** Creates a server-side session and sets its signed cookie on the reply. */
  start(reply: FastifyReply, session: { kind: "github"; login: string; githubId: number } | { kind: "operator" }): Promise<void>;
}

/**
 * Sessions are rows in Postgres (revocable, expiring) named by a random secret; the browser holds that
 * secret in a signed, HttpOnly, SameSite=Lax cookie. Lax (not Strict) so the redirect back from GitHub's
 * sign-in page carries it; state-changing routes are POSTs, which Lax does not send cross-site.
 */
export function createSessionIssuer(deps: AppDeps, sessionKey: string): SessionIssuer {
  const secure = deps.config.publicUrl.startsWith("https:");
  return {
    async start(reply, session) {
      const secret = newSecret();
      const ttl = deps.config.identity.sessionTtlSeconds;
      await createSession(deps.db, {
        secret,
        kind: session.kind,
        login: session.kind === "github" ? session.login : null,
        githubId: session.kind === "github" ? session.githubId : null,
        expiresAt: new Date(Date.now() + ttl * 1000),
      });
      reply.header("set-cookie", cookieHeader(sessionCookieName, signCookieValue(sessionKey, secret), { secure, maxAgeSeconds: ttl, sameSite: "Lax" }));
    },
  };
}

/**
 * POST /api/session: the operator signs the dashboard in with FIXLINE_API_TOKEN (an operator session: it
 * can cancel and retry, never speaks as a GitHub login). DELETE /api/session revokes the session
 * server-side. GitHub users sign in at /auth/github instead.
 */
export async function sessionRoutes(app: ZodApi, deps: AppDeps, guard: TokenGuessGuard, issuer: SessionIssuer, credentials: CredentialDeps): Promise<void> {
  const secure = deps.config.publicUrl.startsWith("https:");

  const signIn = {
    summary: "Operator dashboard sign-in with FIXLINE_API_TOKEN: a revocable server-side session in a signed HttpOnly SameSite=Lax cookie (GitHub users sign in at /auth/github)",
    security: [],
    body: sessionBody,
    response: {
      200: operatorSignInSchema.describe("Signed in as operator"),
      400: apiError("Missing or unknown field"),
      401: apiError("Wrong token"),
      429: apiError("Too many wrong credentials from this address"),
      503: apiError("FIXLINE_API_TOKEN is not set"),
    },
  };
  app.post("/api/session", { schema: signIn }, async (request, reply) => {
    const { apiToken } = deps.config;
    if (!apiToken) return sendApiError(reply, 503, "UNAUTHORIZED", "Operator sign-in is disabled until FIXLINE_API_TOKEN is set on the server; GitHub users sign in with GitHub.");
    if (!tokensMatch(request.body.token, apiToken)) return recordGuess(guard, request, reply, "That is not the server's FIXLINE_API_TOKEN.");
    await issuer.start(reply, { kind: "operator" });
    request.log.info("operator dashboard sign-in");
    return { login: null, kind: "operator" as const };
  });

  app.delete("/api/session", { schema: { summary: "Sign out: revokes the session server-side", security: [], response: { 204: z.null().describe("Signed out") } } }, async (request, reply) => {
    const check = await checkCredential(request, credentials);
    if (check.presented && check.credential?.sessionId) await revokeSession(deps.db, check.credential.sessionId);
    reply.header("set-cookie", cookieHeader(sessionCookieName, "", { secure, maxAgeSeconds: 0, sameSite: "Lax" }));
    return reply.code(204).send(null);
  });
}
