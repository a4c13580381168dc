import { createServer, type Server } from "node:http";
import type { Logger } from "@fixline/core";
import { pingDb, type FixlineDb } from "@fixline/db";
import { registry } from "@fixline/observability";
import { pingRedis, updateQueueLengthMetric, type JobQueues } from "@fixline/queue";
import type { RedisClient } from "@fixline/queue";
import { metricsAuthorized } from "@fixline/webhook-server";

/**
 * Worker-only roles have no web app, yet Kubernetes probes and Prometheus need them: /health (the
 * process is up), /ready (Postgres and Redis answer) and /metrics on METRICS_PORT.
 */
export async function startWorkerHttpServer(options: {
  port: number;
  host: string;
  db: FixlineDb;
  redis: RedisClient;
  queues: JobQueues;
  logger: Logger;
  /** METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken?: string | undefined;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") return send(405, JSON.stringify({ code: "NOT_FOUND", message: "only GET" }));
    if (path === "/health") return send(200, JSON.stringify({ status: "ok" }));
    if (path === "/ready") {
      void Promise.all([pingDb(options.db), pingRedis(options.redis).then(() => true, () => false)]).then(([db, redis]) =>
        send(db && redis ? 200 : 503, JSON.stringify({ status: db && redis ? "ready" : "unavailable", postgres: db ? "ok" : "down", redis: redis ? "ok" : "down" })),
      );
      return;
    }
    if (path === "/metrics") {
      if (!metricsAuthorized(req.headers.authorization, options.metricsToken)) return send(401, JSON.stringify({ code: "UNAUTHORIZED", message: "Send Authorization: Bearer <METRICS_TOKEN>." }));
      void updateQueueLengthMetric(options.queues)
        .catch(() => {})
        .then(() => registry.metrics())
        .then((text) => send(200, text, registry.contentType), (error: unknown) => send(500, String(error), "text/plain"));
      return;
    }
    send(404, JSON.stringify({ code: "NOT_FOUND", message: `no route ${path}; try /health, /ready or /metrics` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  options.logger.info({ port }, "worker health and metrics listening");
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
