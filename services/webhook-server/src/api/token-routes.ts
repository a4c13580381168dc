import { randomBytes } from "node:crypto";
import { z } from "zod";
import { apiError, apiTokenIdParams, apiTokenListSchema, createApiTokenBody, createdApiTokenSchema, type ApiTokenJson } from "@fixline/core";
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenRecord } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { personalTokenPrefix } from "./api-auth";
import { sendApiError } from "./api-errors";
import type { ZodApi } from "./openapi-document";

function tokenJson(token: ApiTokenRecord): ApiTokenJson {
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
export async function tokenRoutes(app: ZodApi, deps: AppDeps): Promise<void> {
  const tags = ["tokens"];
  const create = {
    summary: "Create a personal API token (from a GitHub sign-in session only); the token is in this response and nowhere else",
    tags,
    body: createApiTokenBody,
    response: { 201: createdApiTokenSchema.describe("Created"), 400: apiError("Missing or unknown field"), 403: apiError("Not a GitHub sign-in session") },
  };
  app.post("/api/tokens", { schema: create }, async (request, reply) => {
    const credential = request.fixlineCredential;
    if (credential?.kind !== "user" || !credential.sessionId) {
      return sendApiError(reply, 403, "FORBIDDEN", "Personal API tokens are created from a GitHub sign-in session (the dashboard's Tokens page), not with a token.");
    }
    const secret = `${personalTokenPrefix}${randomBytes(32).toString("base64url")}`;
    const token = await createApiToken(deps.db, { secret, login: credential.login, githubId: credential.githubId, name: request.body.name });
    request.log.info({ login: credential.login, tokenId: token.id }, "personal API token created");
    return reply.code(201).send({ token: secret, ...tokenJson(token) });
  });

  const list = { summary: "Your personal API tokens (never their secrets), with last-used times", tags, response: { 200: apiTokenListSchema.describe("Your tokens, revoked ones included"), 403: apiError("Not a GitHub user") } };
  app.get("/api/tokens", { schema: list }, async (request, reply) => {
    const credential = request.fixlineCredential;
    if (credential?.kind !== "user") return sendApiError(reply, 403, "FORBIDDEN", "Personal API tokens belong to GitHub users; the operator token has none.");
    return { tokens: (await listApiTokens(deps.db, credential.login)).map(tokenJson) };
  });

  const revoke = { summary: "Revoke one of your tokens", tags, params: apiTokenIdParams, response: { 204: z.null().describe("Revoked"), 403: apiError("Not a GitHub user"), 404: apiError("No live token of yours") } };
  app.delete("/api/tokens/:id", { schema: revoke }, async (request, reply) => {
    const credential = request.fixlineCredential;
    if (credential?.kind !== "user") return sendApiError(reply, 403, "FORBIDDEN", "Personal API tokens belong to GitHub users; the operator token has none.");
    if (!/^[0-9a-f-]{36}$/i.test(request.params.id) || !(await revokeApiToken(deps.db, credential.login, request.params.id))) {
      return sendApiError(reply, 404, "NOT_FOUND", `No live token ${request.params.id} of yours.`);
    }
    request.log.info({ login: credential.login, tokenId: request.params.id }, "personal API token revoked");
    return reply.code(204).send(null);
  });
}
