import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../app-deps";
import { dashboardRoutes } from "../dashboard/dashboard-routes";
import { requireApiToken } from "./api-auth";
import { openApiDocument } from "./openapi-document";
import { queueBoard } from "./queue-board";
import { sessionRoutes } from "./session-routes";
import { taskActionRoutes } from "./task-action-routes";
import { taskOutputStreamRoute, type OutputStreamOptions } from "./task-output-stream";
import { taskRoutes } from "./task-routes";
import { createTokenGuessGuard } from "./token-guess-guard";
import { workspaceRoutes } from "./workspace-routes";

export interface ApiRoutesOptions {
  deps: AppDeps;
  /** Poll intervals of the live output stream (tests shorten them). */
  stream?: OutputStreamOptions;
}

/**
 * The REST API (/api/*), the dashboard (/) and the queue view (/queues). Everything that shows or changes
 * tasks needs the API token, as a bearer header or the dashboard's session cookie; the dashboard's own
 * files, sign-in and the OpenAPI document do not.
 */
export default async function apiRoutes(app: FastifyInstance, opts: ApiRoutesOptions): Promise<void> {
  const { deps } = opts;
  await dashboardRoutes(app, { sandboxOff: deps.config.sandbox.mode === "off" });
  app.get("/api/openapi.json", async () => openApiDocument);
  // One guard for sign-in, the API and the queue view: a guess counts wherever it is made.
  const guard = createTokenGuessGuard();
  await sessionRoutes(app, deps, guard);

  await app.register(async (api) => {
    api.addHook("onRequest", requireApiToken(deps.config.apiToken, guard));
    api.get("/api/session", async (request) => {
      const credential = request.fixlineCredential;
      return { login: credential?.kind === "session" ? (credential.login ?? null) : null, via: credential?.kind === "session" ? "dashboard" : "api" };
    });
    await taskRoutes(api, deps);
    await taskActionRoutes(api, deps);
    await taskOutputStreamRoute(api, deps, opts.stream);
    await workspaceRoutes(api, deps);
  });

  await queueBoard(app, deps, guard);
}
