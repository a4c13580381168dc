import { configuredPools, defaultPool, poolOf, redactorFor, type Config, type Logger } from "@fixline/core";
import { createDb, migrateToLatest, startOutboxRelay, type FixlineDb } from "@fixline/db";
import { createWorkspaces } from "@fixline/git";
import { createGitHub, createJira, createSentry, createSlack } from "@fixline/integrations";
import { createJobQueues, createRedis, pingRedis, setBreakerPolicy, setWorkerDefaults, type FixlineWorker, type JobQueues } from "@fixline/queue";
import { createHooksWorker, startHookDispatcher } from "@fixline/hooks";
import { createNotifyWorker } from "@fixline/notify";
import { initializeRepositoryLabelSets, metrics } from "@fixline/observability";
import { createPlanningWorker } from "@fixline/planning-agent";
import { createExecutionWorker } from "@fixline/executor-agent";
import { startWebhookServer, type WebhookServer } from "@fixline/webhook-server";
import { startWorkerHttpServer } from "./worker-http-server";
import { githubNotConfiguredMessage, refuseWithoutGitHub } from "./refuse-without-github";

import type { Role } from "./roles";

export { roles, type Role } from "./roles";

export interface StartFixlineOptions {
  config: Config;
  logger: Logger;
  role: Role;
  /**
   * The pools whose planning and execution queues this process consumes (issue 20). Default: `default` for an
   * executor (it needs the pool's toolchain); every configured pool for a planner and for `all`, so one machine
   * never strands a task.
   */
  pools?: readonly string[];
  /** PATH and HOME for git and the agent's child processes (only entry points read the environment). */
  pathEnv: string;
  homeDir: string;
  /** BullMQ prefix; tests and the demo use their own. */
  prefix?: string;
  /** Override ports (0 = any free port). */
  port?: number;
  metricsPort?: number;
}

export interface RunningFixline {
  db: FixlineDb;
  queues: JobQueues;
  webhook?: WebhookServer;
  metricsUrl?: string;
  /** The worker queues this process serves, and the agent roles it could not start and why (for the banner). */
  workerQueues: string[];
  notStarted?: { roles: string[]; reason: string };
  /** Drains workers within the grace period, then closes everything. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the roles asked for in this process. `all` runs the webhook server, the planner, an executor,
 * the notify worker and the outbox relay together (single-machine use and the demo); the other roles
 * are for scaling out. Every process runs an outbox relay (safe: rows are claimed with SKIP LOCKED) and
 * a notify worker (messages must never wait on one role being up).
 */
export async function startFixline(options: StartFixlineOptions): Promise<RunningFixline> {
  const { config, logger, role } = options;
  const prefix = options.prefix ?? config.queuePrefix;
  setBreakerPolicy(config.breaker);
  setWorkerDefaults({ lockDuration: config.queue.lockDurationMs, stalledInterval: config.queue.stalledIntervalMs, maxStalledCount: config.queue.maxStalledCount });
  const db = await createDb({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ applied }, "database migrated");

  const producer = createRedis(config.redis, "producer");
  const connection = createRedis(config.redis, "worker");
  await pingRedis(connection, 5_000);
  const queues = createJobQueues({ connection: producer, prefix, pools: configuredPools(config) });
  const relay = startOutboxRelay({ db, queues, logger: logger.child({ component: "outbox-relay" }), databaseUrl: config.databaseUrl, poolOf: (repo) => poolOf(config, repo) });
  // Executors need their pool's toolchain image, so an executor takes the default pool unless told otherwise.
  // Planners only read code, so one planner (and `all`, a single machine) serves every configured pool.
  const pools = options.pools && options.pools.length > 0 ? [...new Set(options.pools)] : role === "executor" ? [defaultPool] : configuredPools(config);
  const unknownPools = pools.filter((pool) => !configuredPools(config).includes(pool));
  if (unknownPools.length > 0) logger.warn({ pools: unknownPools }, "no repository in FIXLINE_CONFIG names these pools (repos.<repo>.pool); their workers will stay idle");

  const github = createGitHub(config, logger);
  const slack = createSlack(config, logger);
  const jira = createJira(config, logger);
  const sentry = createSentry(config, logger);
  const workspaces = createWorkspaces({
    workspaceDir: config.workspaceDir,
    gitBaseUrl: config.github.gitBaseUrl,
    author: { name: config.github.authorName, email: config.github.authorEmail },
    ...(github ? { getToken: (repo: string) => github.getToken(repo) } : {}),
    logger: logger.child({ component: "git" }),
    redactor: redactorFor(config),
    pathEnv: options.pathEnv,
    networkEnv: config.networkEnv,
  });

  const workers: FixlineWorker[] = [];
  const common = { config, db, connection, prefix, redis: producer, workspaces, ...(github ? { github } : {}), ...(slack ? { slack } : {}), ...(jira ? { jira } : {}), ...(sentry ? { sentry } : {}) };
  workers.push(createNotifyWorker({ ...common, logger: logger.child({ role: "notify" }) }));
  workers.push(createHooksWorker({ config, connection, prefix, logger: logger.child({ role: "hooks" }) }));
  const hookDispatcher = startHookDispatcher({ db, config, logger: logger.child({ component: "hook-dispatcher" }) });
  const wantsAgents = role === "all" || role === "planner" || role === "executor";
  let notStarted: RunningFixline["notStarted"];
  if (wantsAgents && !github) {
    // The webhook server and dashboard still come up, so `make start` works before credentials exist; the
    // agent queues are served by stand-ins that fail each task with GITHUB_NOT_CONFIGURED instead (issue 17).
    const agentRoles = role === "all" ? ["planner", "executor"] : [role];
    notStarted = { roles: agentRoles, reason: "GitHub is not configured (set GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY; `fixline setup github` creates an App)" };
    logger.warn({ roles: agentRoles }, `${githubNotConfiguredMessage}; tasks fail with GITHUB_NOT_CONFIGURED until it is. Run \`fixline doctor\`.`);
    const queuesOf = { planner: "planning", executor: "execution" } as const;
    workers.push(...refuseWithoutGitHub({ db, connection, prefix, logger: logger.child({ role: "without-github" }), queues: agentRoles.map((r) => queuesOf[r as keyof typeof queuesOf]) }));
  }
  if (github && (role === "all" || role === "planner")) {
    for (const pool of pools) workers.push(createPlanningWorker({ ...common, github, pool, logger: logger.child({ role: "planner", pool }), concurrency: config.plannerConcurrency }));
  }
  if (github && (role === "all" || role === "executor")) {
    // Slack and Jira messages about the outcome go through the notify worker (one place, each sent once).
    const { slack: _slack, jira: _jira, ...executorDeps } = common;
    for (const pool of pools) workers.push(createExecutionWorker({ ...executorDeps, github, pool, logger: logger.child({ role: "executor", pool }), concurrency: config.executorConcurrency }));
  }

  // A cancellation reaches every process; the agent worker running the task aborts it (and Claude's process
  // group). Each agent worker listens itself (@fixline/queue's createAgentWorker); started means listening.
  await Promise.all(workers.map((worker) => worker.listening));

  let webhook: WebhookServer | undefined;
  let metricsServer: { url: string; close(): Promise<void> } | undefined;
  if (role === "all" || role === "webhook") {
    webhook = await startWebhookServer({ config, logger: logger.child({ role: "webhook" }), db, redis: producer, queues, workspaces, startRelay: false, ...(options.port !== undefined ? { port: options.port } : {}) });
  } else {
    // Issue 21: a worker role's per-repository series (planned, proven, finished...) exist from the first scrape.
    initializeRepositoryLabelSets(metrics, Object.keys(config.file.repos));
    metricsServer = await startWorkerHttpServer({ port: options.metricsPort ?? config.metricsPort, host: config.host, db, redis: producer, queues, logger, metricsToken: config.metricsToken });
  }
  logger.info({ role, pools, workers: workers.map((w) => w.queueName), url: webhook?.url }, "Fixline started");

  return {
    db,
    queues,
    ...(webhook ? { webhook } : {}),
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    workerQueues: workers.map((w) => w.queue),
    ...(notStarted ? { notStarted } : {}),
    async stop(graceMs = config.shutdownGraceMs) {
      // Stop taking new work first, then let running jobs finish (or hand them back after the grace).
      await webhook?.close();
      await Promise.all(workers.map((w) => w.drain(graceMs)));
      await hookDispatcher.stop();
      await relay.stop();
      await metricsServer?.close();
      await queues.close().catch(() => {});
      connection.disconnect();
      producer.disconnect();
      await db.destroy();
      logger.info("Fixline stopped");
    },
  };
}
