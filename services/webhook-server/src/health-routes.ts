import type { FastifyInstance } from "fastify";
import { pingDb } from "@fixline/db";
import { registry } from "@fixline/observability";
import { pingRedis, updateQueueLengthMetric } from "@fixline/queue";
import type { AppDeps } from "./app-deps";
import { metricsAuthorized } from "./http/metrics-authorized";

/** GET /health (process up), /ready (Postgres and Redis reachable), /metrics (Prometheus text). */
export async function healthRoutes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const { db, redis, queues, logger } = opts.deps;

  app.get("/health", async () => ({ status: "ok" }));

  app.get("/ready", async (_request, reply) => {
    const [postgres, redisOk] = await Promise.all([
      pingDb(db),
      pingRedis(redis).then(
        () => true,
        () => false,
      ),
    ]);
    const checks = { postgres: postgres ? "ok" : "unreachable", redis: redisOk ? "ok" : "unreachable" };
    if (postgres && redisOk) return { status: "ready", checks };
    const code = postgres ? "REDIS_UNAVAILABLE" : "DB_UNAVAILABLE";
    const down = [postgres ? undefined : "Postgres", redisOk ? undefined : "Redis"].filter(Boolean).join(" and ");
    return reply.code(503).send({ code, message: `${down} unreachable`, checks });
  });

  app.get("/metrics", async (request, reply) => {
    if (!metricsAuthorized(request.headers.authorization, opts.deps.config.metricsToken)) {
      return reply.code(401).header("www-authenticate", 'Bearer realm="metrics"').send({ code: "UNAUTHORIZED", message: "Send Authorization: Bearer <METRICS_TOKEN>." });
    }
    // Queue lengths are read at scrape time; while Redis is down the last values stay and the scrape still works.
    await Promise.race([updateQueueLengthMetric(queues), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]).catch((error: unknown) =>
      logger.debug({ err: (error as Error).message }, "queue lengths unavailable for this scrape"),
    );
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
