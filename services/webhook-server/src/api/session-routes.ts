import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app-deps";
import { loginCookie, refuseIfGuessing, tokenCookie, tokensMatch } from "./api-auth";
import type { TokenGuessGuard } from "./token-guess-guard";
import { describeZodError, sendApiError } from "./api-errors";
import { sessionBody } from "./api-schemas";

const sessionMaxAgeSeconds = 30 * 24 * 3600;

/**
 * POST /api/session turns the API token into an HttpOnly, SameSite=Strict cookie, because a browser's
 * EventSource cannot send an Authorization header. SameSite=Strict keeps other sites from riding it.
 */
export async function sessionRoutes(app: FastifyInstance, deps: AppDeps, guard: TokenGuessGuard): Promise<void> {
  const secure = deps.config.publicUrl.startsWith("https:") ? "; Secure" : "";
  const cookie = (name: string, value: string, maxAge: number) =>
    `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;

  app.post("/api/session", async (request, reply) => {
    const { apiToken } = deps.config;
    if (!apiToken) return sendApiError(reply, 503, "UNAUTHORIZED", "The dashboard is disabled until FIXLINE_API_TOKEN is set on the server; set it and restart.");
    if (await refuseIfGuessing(guard, request, reply)) return reply;
    const parsed = sessionBody.safeParse(request.body ?? {});
    if (!parsed.success) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", describeZodError(parsed.error));
    if (!tokensMatch(parsed.data.token, apiToken)) {
      guard.recordFailure(request.ip);
      request.log.warn({ ip: request.ip }, "dashboard sign-in with a wrong token");
      return sendApiError(reply, 401, "UNAUTHORIZED", "That is not the server's FIXLINE_API_TOKEN.");
    }
    reply.header("set-cookie", [cookie(tokenCookie, parsed.data.token, sessionMaxAgeSeconds), cookie(loginCookie, parsed.data.login, sessionMaxAgeSeconds)]);
    request.log.info({ login: parsed.data.login }, "dashboard sign-in");
    return { login: parsed.data.login };
  });

  app.delete("/api/session", async (_request, reply) => {
    reply.header("set-cookie", [cookie(tokenCookie, "", 0), cookie(loginCookie, "", 0)]);
    return reply.code(204).send();
  });
}
