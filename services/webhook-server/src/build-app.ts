import Fastify, { type FastifyInstance } from "fastify";
import { createIngestBatcher, createOutboxSender } from "@fixline/db";
import { poolOf, redactorFor } from "@fixline/core";
import apiRoutes from "./api/api-routes";
import type { AppDeps } from "./app-deps";
import { healthRoutes } from "./health-routes";
import { installErrorHandlers } from "./http/error-handler";
import { installResponseRedaction } from "./http/redact-responses";
import { webhookRoutes } from "./webhook-routes";

/** Slow or stalled clients are cut off so they cannot hold connections (no request may stall the server). */
const requestTimeoutMs = 30_000;

/**
 * The HTTP app: webhooks, health and metrics, plus the REST API and dashboard plugin (src/api). Built
 * from injected dependencies; `startWebhookServer` wires the real ones.
 */
export async function buildApp(given: AppDeps): Promise<FastifyInstance> {
  const { config } = given;
  // The jobs of each ingest commit are enqueued from here at once (enqueue after commit); the outbox relay
  // sends only what a crash or a Redis outage left.
  const ingest =
    given.ingest ??
    createIngestBatcher(given.db, {
      maxPending: config.ingestMaxPending,
      logger: given.logger,
      sender: createOutboxSender({ db: given.db, queues: given.queues, logger: given.logger, poolOf: (repo) => poolOf(config, repo) }),
    });
  const deps: AppDeps = { ...given, ingest };
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: config.webhookBodyLimitBytes,
    requestTimeout: requestTimeoutMs,
    // X-Forwarded-For is honoured only from the configured proxies (TRUSTED_PROXY), for the Jira allowlist.
    trustProxy: config.jira.trustedProxies.length > 0 ? config.jira.trustedProxies : false,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  installResponseRedaction(app, redactorFor(config));
  installErrorHandlers(app);
  // Deliveries already accepted are written before the database connections close.
  app.addHook("onClose", async () => ingest.close());
  await app.register(healthRoutes, { deps });
  await app.register(webhookRoutes, { deps });
  await app.register(apiRoutes, { deps });
  return app;
}
