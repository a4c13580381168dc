import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { apiError, sessionSchema, statusSchema } from "@fixline/core";
import type { AppDeps } from "../app-deps";
import { githubSignInRoutes } from "../auth/github-sign-in-routes";
import { newSecret } from "../auth/session-cookie";
import { dashboardRoutes } from "../dashboard/dashboard-routes";
import { requireCredential, type CredentialDeps } from "./api-auth";
import { describeApi } from "./openapi-document";
import { queueBoard } from "./queue-board";
import { createSessionIssuer, sessionRoutes } from "./session-routes";
import { taskActionRoutes } from "./task-action-routes";
import { taskOutputStreamRoute, type OutputStreamOptions } from "./task-output-stream";
import { taskRoutes } from "./task-routes";
import { createTokenGuessGuard } from "./token-guess-guard";
import { tokenRoutes } from "./token-routes";
import { workspaceRoutes } from "./workspace-routes";

export interface ApiRoutesOptions {
  deps: AppDeps;
  /** Poll intervals of the live output stream (tests shorten them). */
  stream?: OutputStreamOptions;
}

/**
 * The REST API (/api/*), the dashboard (/), sign-in (/auth/github) and the queue view (/queues).
 * Everything that shows or changes tasks needs a credential: a GitHub sign-in session, a personal API
 * token, or the operator's FIXLINE_API_TOKEN. The dashboard's own files, sign-in and the OpenAPI document do not.
 */
export default async function apiRoutes(app: FastifyInstance, opts: ApiRoutesOptions): Promise<void> {
  const { deps } = opts;
  const { identity } = deps.config;
  if (!identity.sessionSecret) deps.logger.warn("FIXLINE_SESSION_SECRET is not set: dashboard sessions use a per-process key and end when this process restarts (set it, the same on every replica)");
  const sessionKey = identity.sessionSecret ?? newSecret();
  const credentials: CredentialDeps & { signInConfigured: boolean } = {
    db: deps.db,
    apiToken: deps.config.apiToken,
    sessionKey,
    signInConfigured: Boolean(identity.oauthClientId && identity.oauthClientSecret),
  };
  await dashboardRoutes(app, { sandboxOff: deps.config.sandbox.mode === "off" });
  // One guard, in Redis, for sign-in, the API and the queue view: a guess counts wherever (and on whichever replica) it is made.
  const guard = createTokenGuessGuard({ redis: deps.redis, prefix: deps.config.queuePrefix });
  const issuer = createSessionIssuer(deps, sessionKey);
  const authenticate = requireCredential(credentials, guard);

  // /api/*: zod schemas from @fixline/core validate each route and generate its OpenAPI entry (issue 18).
  await app.register(async (scope) => {
    await describeApi(scope);
    const api = scope.withTypeProvider<ZodTypeProvider>();
    await sessionRoutes(api, deps, guard, issuer, credentials);
    await api.register(async (signedIn) => {
      signedIn.addHook("onRequest", authenticate);
      signedIn.get("/api/session", { schema: { summary: "Who the current credential acts as", response: { 200: sessionSchema.describe("Who acts"), 401: apiError("Not signed in") } } }, async (request) => {
        const credential = request.fixlineCredential!;
        return credential.kind === "user"
          ? { kind: "github" as const, login: credential.login, via: credential.via }
          : { kind: "operator" as const, login: null, via: credential.via, mayApprove: deps.config.file.operator.mayApprove };
      });
      // Issue 20: an open circuit breaker means work is paused by an outage, not failing; the dashboard shows it.
      signedIn.get(
        "/api/status",
        { schema: { summary: "Outages in progress: the circuit breakers (per provider) that have paused work instead of failing it", response: { 200: statusSchema.describe("The breakers that are open or probing"), 401: apiError("Not signed in") } } },
        async () => ({
          breakers: (await deps.queues.breakers.states()).map((b) => ({ provider: b.provider, status: b.status, since: new Date(b.openedAt).toISOString(), until: new Date(b.until).toISOString(), failures: b.failures, code: b.code, message: b.message })),
        }),
      );
      await taskRoutes(signedIn, deps);
      await taskActionRoutes(signedIn, deps);
      await tokenRoutes(signedIn, deps);
      await taskOutputStreamRoute(signedIn, deps, opts.stream);
      await workspaceRoutes(signedIn, deps);
    });
  });
  await githubSignInRoutes(app, deps, issuer, sessionKey);

  await queueBoard(app, deps, authenticate);
}
