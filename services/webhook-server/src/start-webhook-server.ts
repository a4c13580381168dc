import type { FastifyInstance } from "fastify";
import type { RedisClient } from "@fixline/queue";
import { poolOf, type Config, type Logger } from "@fixline/core";
import { createDb, startOutboxRelay, type FixlineDb, type OutboxRelay } from "@fixline/db";
import { createGitHub, createSlack } from "@fixline/integrations";
import { initializeRepositoryLabelSets, metrics } from "@fixline/observability";
import { createJobQueues, createRedis, type JobQueues } from "@fixline/queue";
import type { Workspaces } from "@fixline/git";
import type { AppDeps } from "./app-deps";
import { buildApp } from "./build-app";
import type { PermissionChecker } from "@fixline/tasks";
import { startOutcomeReconcile } from "./outcomes/reconcile-outcomes";
import { permissionCheckTimeoutMs } from "./sources/run-task-command";

export interface StartWebhookServerOptions {
  config: Config;
  logger: Logger;
  /** Given by the caller (e.g. `fixline start` sharing one pool across roles); otherwise created and closed here. */
  db?: FixlineDb;
  redis?: RedisClient;
  queues?: JobQueues;
  checkPermission?: PermissionChecker;
  /** The workers' workspaces (same WORKSPACE_DIR), for GET/DELETE /api/workspaces. */
  workspaces?: Workspaces;
  /**
   * Run an outbox relay in this process (default true). Several relays are safe (rows are claimed with
   * SKIP LOCKED, job ids are derived from rows); pass false when another role in the process runs one.
   */
  startRelay?: boolean;
  /** Override config.port (0 = any free port, for tests). */
  port?: number;
}

export interface WebhookServer {
  app: FastifyInstance;
  /** The listening URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Stops accepting, finishes in-flight requests, then closes what this server created. */
  close(): Promise<void>;
}

/** What `fixline start --role webhook` runs: the app on config.host:config.port with graceful close. */
export async function startWebhookServer(options: StartWebhookServerOptions): Promise<WebhookServer> {
  const { config, logger } = options;
  const owned: Array<() => Promise<unknown>> = [];
  const db = options.db ?? (await createDb({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir }));
  if (!options.db) owned.push(() => db.destroy());
  const redis = options.redis ?? createRedis(config.redis, "producer");
  if (!options.redis) owned.push(async () => redis.disconnect());
  const queues = options.queues ?? createJobQueues({ connection: redis, prefix: config.queuePrefix });
  if (!options.queues) owned.unshift(() => queues.close());

  const github = createGitHub(config, logger, { timeoutMs: permissionCheckTimeoutMs });
  let checkPermission = options.checkPermission;
  if (!checkPermission) {
    if (github) checkPermission = (repo, login) => github.getPermission(repo, login);
    else {
      logger.warn("GitHub is not configured (GITHUB_TOKEN or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY): every @agent command and Slack button will be refused");
      checkPermission = async () => "none";
    }
  }

  const slack = createSlack(config, logger);
  const deps: AppDeps = { config, db, redis, queues, logger, checkPermission, ...(github ? { github } : {}), ...(slack ? { slack } : {}), ...(options.workspaces ? { workspaces: options.workspaces } : {}) };
  const app = await buildApp(deps);
  let relay: OutboxRelay | undefined;
  // With the repositories' pools, as `fixline start` runs it: without them a webhook-only process sent every
  // planning job to the default pool.
  if (options.startRelay ?? true) relay = startOutboxRelay({ db, queues, logger: logger.child({ component: "outbox-relay" }), databaseUrl: config.databaseUrl, poolOf: (repo) => poolOf(config, repo) });

  initializeRepositoryLabelSets(metrics, Object.keys(config.file.repos));
  // Issue 21: PR outcomes missed by webhooks are asked for periodically (needs the GitHub client).
  const reconcile = github ? startOutcomeReconcile({ db, github, config, logger: logger.child({ component: "outcome-reconcile" }) }) : undefined;

  const address = await app.listen({ host: config.host, port: options.port ?? config.port });
  logger.info({ address }, "webhook server listening");
  const url = address.replace("0.0.0.0", "127.0.0.1").replace("[::]", "[::1]");
  return {
    app,
    url,
    async close() {
      reconcile?.stop();
      await app.close();
      await relay?.stop();
      for (const close of owned) await close().catch((error: unknown) => logger.warn({ err: (error as Error).message }, "error while closing"));
    },
  };
}
