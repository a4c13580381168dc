import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenRecord } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { personalTokenPrefix } from "./api-auth";
import { describeZodError, sendApiError } from "./api-errors";
import { createApiTokenBody } from "./api-schemas";

function tokenJson(token: ApiTokenRecord) {
  return {
    id: token.id,
    name: token.name,
    login: token.login,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Personal API tokens for the CLI and scripts: a signed-in GitHub user creates one (shown once, stored as
 * a SHA-256), lists theirs with last-used times, and revokes them. A token acts as its owner's GitHub
 * login, so only a "Sign in with GitHub" session may create one: not the operator, and not another token
 * (a leaked token must not mint successors).
 */
export async function tokenRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post("/api/tokens", async (request, reply) => {
    const credential = request.fixlineCredential;
    if (credential?.kind !== "user" || !credential.sessionId) {
      return sendApiError(reply, 403, "FORBIDDEN", "Personal API tokens are created from a GitHub sign-in session (the dashboard's Tokens page), not with a token.");
    }
    const parsed = createApiTokenBody.safeParse(request.body ?? {});
    if (!parsed.success) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", describeZodError(parsed.error));
    const secret = `${personalTokenPrefix}${randomBytes(32).toString("base64url")}`;
    const token = await createApiToken(deps.db, { secret, login: credential.login, githubId: credential.githubId, name: parsed.data.name });
    request.log.info({ login: credential.login, tokenId: token.id }, "personal API token created");
    return reply.code(201).send({ token: secret, ...tokenJson(token) });
  });

  app.get("/api/tokens", async (request, reply) => {
    const credential = request.fixlineCredential;
    if (credential?.kind !== "user") return sendApiError(reply, 403, "FORBIDDEN", "Personal API tokens belong to GitHub users; the operator token has none.");
    return { tokens: (await listApiTokens(deps.db, credential.login)).map(tokenJson) };
  });

  app.delete<{ Params: { id: string } }>("/api/tokens/:id", async (request, reply) => {
    const credential = request.fixlineCredential;
    if (credential?.kind !== "user") return sendApiError(reply, 403, "FORBIDDEN", "Personal API tokens belong to GitHub users; the operator token has none.");
    if (!/^[0-9a-f-]{36}$/i.test(request.params.id) || !(await revokeApiToken(deps.db, credential.login, request.params.id))) {
      return sendApiError(reply, 404, "NOT_FOUND", `No live token ${request.params.id} of yours.`);
    }
    request.log.info({ login: credential.login, tokenId: request.params.id }, "personal API token revoked");
    return reply.code(204).send();
  });
}
