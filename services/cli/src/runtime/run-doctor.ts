import { mkdirSync, statfsSync, accessSync, constants } from "node:fs";
import { execa } from "execa";
import type { Config, Logger } from "@fixline/core";
import { claudeAuthStatus } from "@fixline/claude";
import { createDb, pingDb } from "@fixline/db";
import { createGitHub, createJira, createSentry, createSlack } from "@fixline/integrations";
import { createCircuitBreakers, createJobQueues, createRedis, dataNodes, noWorkerMessage, pingRedis, pooledQueues } from "@fixline/queue";
import { configuredPools } from "@fixline/core";
import { checkSandboxIsolation } from "@fixline/sandbox";
import { secretValues } from "@fixline/core";

export interface DoctorCheck {
  name: string;
  status: "ok" | "warn" | "fail" | "skip";
  detail: string;
  /** What to do about it, when it is not ok. */
  fix?: string;
  required: boolean;
}

/** Runs one check; a thrown error is a failure, shown with the check's usual fix. */
async function check(name: string, required: boolean, run: () => Promise<Omit<DoctorCheck, "name" | "required">>, fixOnError?: string): Promise<DoctorCheck> {
  try {
    return { name, required, ...(await run()) };
  } catch (error) {
    return { name, required, status: "fail", detail: (error as Error).message.split("\n")[0] ?? "failed", ...(fixOnError ? { fix: fixOnError } : {}) };
  }
}

/**
 * `fixline doctor`: each check says what it found and, when something is wrong, the fix. Required
 * checks failing make the exit code non-zero; optional integrations that are not configured are skipped.
 */
export async function runDoctor(config: Config, logger: Logger): Promise<DoctorCheck[]> {
  const checks: Array<Promise<DoctorCheck>> = [];
  checks.push(
    check("claude CLI", true, async () => {
      const result = await execa(config.claude.bin, ["--version"], { reject: false, timeout: 20_000, stdin: "ignore" });
      if ((result as { code?: string }).code === "ENOENT") return { status: "fail", detail: `"${config.claude.bin}" not found`, fix: "npm i -g @anthropic-ai/claude-code, or set CLAUDE_BIN to its path" };
      return result.exitCode === 0 ? { status: "ok", detail: String(result.stdout).trim() } : { status: "fail", detail: `exit ${result.exitCode}: ${String(result.stderr).trim().slice(0, 200)}` };
    }),
  );
  checks.push(
    check("claude auth", true, async () => {
      const status = await claudeAuthStatus(config);
      if (status.ok) return { status: "ok", detail: `logged in (${status.authMethod ?? "unknown method"})` };
      return { status: "fail", detail: status.error?.message ?? "not logged in", fix: status.error?.hint ?? "set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN" };
    }),
  );
  checks.push(
    // Issue 14: a real sandbox is started and searched from inside for the worker's /proc, environment and HOME.
    check("sandbox", config.sandbox.mode === "on", async () => {
      const report = await checkSandboxIsolation(config.sandbox, secretValues(config), config.inheritedEnv.HOME);
      if (report.mechanism === "off") return { status: "fail", detail: `\u001b[31m${report.detail}\u001b[0m`, fix: "unset FIXLINE_SANDBOX (or set it to on) and install bubblewrap" };
      if (!report.ok) return { status: "fail", detail: report.detail, fix: "install bubblewrap (apt-get install bubblewrap) and allow user namespaces; see README \"Sandbox\"" };
      return report.mechanism === "rlimit"
        ? { status: "warn", detail: `${report.detail} (no writable cgroup: limits are per-user rlimits and breaches cannot be named)`, fix: "give the worker a delegated cgroup (pids, memory) for exact limits" }
        : { status: "ok", detail: report.detail };
    }),
  );
  checks.push(
    check("postgres", true, async () => {
      if (!config.databaseUrl) return { status: "ok", detail: `embedded PGlite at ${config.pgliteDir} (single-process use; set DATABASE_URL for more)` };
      const db = await createDb({ databaseUrl: config.databaseUrl, maxConnections: 1 });
      try {
        return (await pingDb(db, 3_000))
          ? { status: "ok", detail: "reachable" }
          : { status: "fail", detail: "not reachable", fix: "start Postgres or fix DATABASE_URL" };
      } finally {
        await db.destroy();
      }
    }),
  );
  checks.push(
    check("redis", true, async () => {
      const redis = createRedis(config.redis, "worker", { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        await pingRedis(redis, 3_000);
        // INFO, not CONFIG GET: managed Redis (ElastiCache, Memorystore, Upstash) often disables CONFIG.
        // On Cluster every master is asked: one evicting shard loses the jobs or locks it holds.
        const nodes = dataNodes(redis);
        const policies = await Promise.all(
          nodes.map(async (node) => ({ node: `${node.options.host}:${node.options.port}`, policy: /^maxmemory_policy:(\S+)/m.exec(String(await node.info("memory")))?.[1] ?? "unknown" })),
        );
        const evicting = policies.filter(({ policy }) => policy !== "noeviction");
        const where = nodes.length > 1 ? ` on ${nodes.length} cluster masters` : "";
        // BullMQ loses jobs (and Fixline's locks and cancel flags) if Redis evicts keys under memory pressure.
        return evicting.length === 0
          ? { status: "ok", detail: `reachable, maxmemory-policy noeviction${where}` }
          : {
              status: "fail",
              detail: `reachable, but maxmemory-policy is ${nodes.length > 1 ? evicting.map(({ node, policy }) => `${policy} on ${node}`).join(", ") : (evicting[0]?.policy ?? "unknown")}: under memory pressure Redis would evict queued jobs and locks`,
              fix: "set maxmemory-policy noeviction (redis-cli CONFIG SET maxmemory-policy noeviction, or the parameter group / instance setting of a managed Redis)",
            };
      } catch (error) {
        return { status: "fail", detail: (error as Error).message, fix: "start Redis or fix REDIS_URL (REDIS_SENTINELS and REDIS_SENTINEL_NAME with Sentinel, REDIS_CLUSTER_NODES with Cluster)" };
      } finally {
        redis.disconnect();
      }
    }),
  );
  checks.push(
    // Issue 20: a repository in a pool nobody serves waits forever; say which pool needs which worker.
    check("pools", false, async () => {
      const redis = createRedis(config.redis, "producer", { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
      const pools = configuredPools(config);
      let queues: ReturnType<typeof createJobQueues> | undefined;
      try {
        await redis.connect();
        await pingRedis(redis, 3_000);
        // Opened only on a live connection: BullMQ reports a dead one as an unhandled 'error' event.
        queues = createJobQueues({ connection: redis, prefix: config.queuePrefix, pools });
        const served: string[] = [];
        const stranded: string[] = [];
        for (const pool of pools) {
          for (const queue of pooledQueues) {
            const [workers, counts] = await Promise.all([queues.workerCount(queue, pool), queues.queue(queue, pool).getJobCounts("waiting", "prioritized", "delayed")]);
            const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0);
            if (workers > 0) served.push(`${pool}/${queue}: ${workers} worker(s)`);
            else if (waiting > 0) stranded.push(`${waiting} job(s) ${noWorkerMessage(queue, pool)}`);
          }
        }
        if (stranded.length > 0) return { status: "warn", detail: stranded.join("; "), fix: "start a worker for each pool named above on an image with that pool's toolchain (infrastructure/docker/images)" };
        return { status: "ok", detail: served.length > 0 ? served.join(", ") : `pools ${pools.join(", ")}: no job waits` };
      } finally {
        await queues?.close().catch(() => {});
        redis.disconnect();
      }
    }),
  );
  checks.push(
    // Issue 20: an open circuit breaker pauses planning and execution; say which provider, since when, and why.
    check("outages", false, async () => {
      const redis = createRedis(config.redis, "producer", { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        const open = await createCircuitBreakers(redis, config.queuePrefix).states();
        if (open.length === 0) return { status: "ok", detail: "no circuit breaker open (claude, github)" };
        return {
          status: "warn",
          detail: open.map((b) => `${b.provider} breaker ${b.status} since ${new Date(b.openedAt).toISOString()} after ${b.failures} outage(s) (${b.code}: ${b.message})`).join("; "),
          fix: "nothing to do: jobs wait and resume by themselves when the provider answers again; check the provider's status page",
        };
      } finally {
        redis.disconnect();
      }
    }),
  );
  checks.push(
    check("github", true, async () => {
      const github = createGitHub(config, logger);
      if (!github) return { status: "fail", detail: "no credentials", fix: "set GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY" };
      const auth = await github.checkAuth();
      const scopes = auth.scopes.length ? `; scopes ${auth.scopes.join(", ")}` : "";
      return { status: "ok", detail: `${config.github.apiUrl} as ${auth.login} (${auth.method === "app" ? "GitHub App" : "token"}${scopes})` };
    }, "check GITHUB_TOKEN (or the App's id and key) and GITHUB_API_URL; the token needs repo access"),
  );
  checks.push(
    check("github webhook secret", true, async () =>
      config.github.webhookSecrets.length > 0 ? { status: "ok", detail: `${config.github.webhookSecrets.length} secret(s)` } : { status: "fail", detail: "not set", fix: "set GITHUB_WEBHOOK_SECRET to the secret configured on the GitHub webhook" },
    ),
  );
  checks.push(
    check("slack", false, async () => {
      const slack = createSlack(config, logger);
      if (!slack) return { status: "skip", detail: "SLACK_BOT_TOKEN not set" };
      const me = await slack.authTest();
      return { status: "ok", detail: `team ${me.team} as ${me.user}${config.slack.signingSecrets.length ? "" : " (SLACK_SIGNING_SECRET missing: commands will be refused)"}` };
    }, "check SLACK_BOT_TOKEN (xoxb-…) and SLACK_API_URL; the app needs chat:write"),
  );
  checks.push(
    check("jira", false, async () => {
      const jira = createJira(config, logger);
      if (!jira) return { status: "skip", detail: "JIRA_BASE_URL not set" };
      const me = await jira.myself();
      return { status: "ok", detail: `${config.jira.baseUrl} as ${me.displayName}` };
    }, "check JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN"),
  );
  checks.push(
    check("sentry", false, async () => {
      const sentry = createSentry(config, logger);
      if (!sentry) return { status: config.sentry.clientSecrets.length ? "ok" : "skip", detail: config.sentry.clientSecrets.length ? "webhooks verified; no SENTRY_AUTH_TOKEN, so stack traces come from webhooks only" : "not configured" };
      const auth = await sentry.checkAuth();
      return { status: "ok", detail: `scopes ${auth.scopes.join(", ") || "unknown"}` };
    }, "check SENTRY_AUTH_TOKEN (needs event:read) and SENTRY_API_URL"),
  );
  checks.push(
    check("workspace dir", true, async () => {
      mkdirSync(config.workspaceDir, { recursive: true });
      accessSync(config.workspaceDir, constants.W_OK);
      const fs = statfsSync(config.workspaceDir);
      const freeGiB = (fs.bavail * fs.bsize) / 2 ** 30;
      return freeGiB >= 2
        ? { status: "ok", detail: `${config.workspaceDir} writable, ${freeGiB.toFixed(1)} GiB free` }
        : { status: "warn", detail: `${config.workspaceDir} has only ${freeGiB.toFixed(2)} GiB free`, fix: "free space or point WORKSPACE_DIR at a larger disk" };
    }),
  );
  return Promise.all(checks);
}

export function formatDoctor(checks: DoctorCheck[]): string {
  const icon = { ok: "✔", warn: "!", fail: "✘", skip: "-" } as const;
  return checks
    .map((c) => `${icon[c.status]} ${c.name.padEnd(22)} ${c.detail}${c.fix && c.status !== "ok" ? `\n  ${" ".repeat(22)} fix: ${c.fix}` : ""}`)
    .join("\n");
}
