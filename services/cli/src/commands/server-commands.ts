import { homedir } from "node:os";
import { Option, type Command } from "commander";
import type { Config } from "@fixline/core";
import { roles, type Role } from "../runtime/roles";

// What each command needs is imported when it runs, not at start: `fixline --help` must not load Postgres,
// BullMQ, octokit and Fastify (issue 19: the CLI should start in a blink).

/** Loads config or exits non-zero before opening any port, listing every problem. */
async function configOrExit(): Promise<Config> {
  const { isFixlineError, loadConfig } = await import("@fixline/core");
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (isFixlineError(error, "CONFIG_INVALID")) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** A taken port ends `start` with one coded line and its fix, not a stack (issue 17). */
async function exitIfPortInUse(error: unknown): Promise<never> {
  const [{ isFixlineError }, { portInUse }] = await Promise.all([import("@fixline/core"), import("../runtime/port-in-use")]);
  const mapped = portInUse(error);
  if (!isFixlineError(mapped, "PORT_IN_USE")) throw error;
  process.stderr.write(`${mapped.code}: ${mapped.message}\n${mapped.hint}\n`);
  process.exit(1);
}

/** Commands that run Fixline itself: start, migrate, config check, doctor. */
export function registerServerCommands(program: Command): void {
  program
    .command("start")
    .description("run migrations, the outbox relay and the chosen roles (all of them in one process by default)")
    .addOption(new Option("--role <role>", "which role this process runs").choices([...roles]).default("all"))
    .addOption(new Option("--pool <pool...>", "the pool(s) whose planning and execution jobs this process takes (repos.<repo>.pool); default: `default` for --role executor, every configured pool for planner and all"))
    .action(async (options: { role: Role; pool?: string[] }) => {
      const [{ ensureApiToken }, { dotEnvPath }] = await Promise.all([import("../runtime/ensure-api-token"), import("../runtime/dot-env-path")]);
      // A dashboard a newcomer can open at once (issue 17); before loadConfig, which must see the token.
      const generated = options.role === "all" || options.role === "webhook" ? ensureApiToken(dotEnvPath, process.env) : undefined;
      const config = await configOrExit();
      const [{ redactorFor, poolName }, { createTerminalLogger }, { onShutdownSignal }, { startFixline }, { startBanner }] = await Promise.all([import("@fixline/core"), import("../runtime/terminal-logger"), import("@fixline/queue"), import("../runtime/start-fixline"), import("../runtime/start-banner")]);
      for (const pool of options.pool ?? []) {
        if (!poolName.safeParse(pool).success) {
          process.stderr.write(`--pool ${JSON.stringify(pool)}: a pool is lower-case letters, digits and dashes (at most 30), as in repos.<repo>.pool\n`);
          process.exit(2);
        }
      }
      const logger = await createTerminalLogger({ level: config.logLevel, name: "fixline", isTTY: process.stdout.isTTY === true, redactor: redactorFor(config) });
      const running = await startFixline({ config, logger, role: options.role, ...(options.pool ? { pools: options.pool } : {}), pathEnv: config.inheritedEnv.PATH ?? "/usr/bin:/bin", homeDir: config.inheritedEnv.HOME ?? homedir() }).catch(exitIfPortInUse);
      if (config.sandbox.mode === "off") {
        process.stderr.write("\n\u001b[31;1mFIXLINE_SANDBOX=off: the agent and every repository command run UNSANDBOXED, with this worker's secrets and files in reach.\u001b[0m\n");
      }
      process.stderr.write(startBanner(options.role, running, generated));
      onShutdownSignal(() => running.stop(), logger);
    });

  program
    .command("migrate")
    .description("apply database migrations (safe to run again)")
    .action(async () => {
      const config = await configOrExit();
      const { createDb, migrateToLatest } = await import("@fixline/db");
      const db = await createDb({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
      try {
        const applied = await migrateToLatest(db);
        process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "database is up to date\n");
      } finally {
        await db.destroy();
      }
    });

  program
    .command("config")
    .description("configuration commands")
    .command("check")
    .description("validate the environment and FIXLINE_CONFIG; lists every problem with its fix")
    .action(async () => {
      const config = await configOrExit();
      const { setupProblems } = await import("../runtime/setup-problems");
      const problems = setupProblems(config);
      const repos = Object.keys(config.file.repos);
      process.stdout.write(
        [
          "configuration is valid (every variable parses)",
          `  database: ${config.databaseUrl ? "Postgres (DATABASE_URL)" : `embedded PGlite at ${config.pgliteDir}`}`,
          `  redis: ${config.redisUrl.replace(/\/\/[^@]*@/, "//***@")}${config.redisUrl.startsWith("rediss://") ? " (TLS)" : ""}${config.redis.sentinels.length ? ` — master "${config.redis.sentinelName}" via Sentinel ${config.redis.sentinels.map((s) => `${s.host}:${s.port}`).join(",")} (the URL's host is not used)` : ""}`,
          `  github: ${config.github.token ? "token" : config.github.appId ? "GitHub App" : "not configured"}; webhook secrets: ${config.github.webhookSecrets.length}`,
          `  slack: ${config.slack.botToken ? "bot token" : "not configured"}; jira: ${config.jira.baseUrl ?? "not configured"}; sentry secrets: ${config.sentry.clientSecrets.length}`,
          `  repos configured: ${repos.length ? repos.join(", ") : "none"}; trigger label: ${config.file.defaults.triggerLabel}`,
          `  dry run: ${config.dryRun ? "on" : "off"}`,
          ...problems.map((p) => `${p.severity === "broken" ? "✗ cannot work:" : "• note:"} ${p.text}`),
          "",
        ].join("\n"),
      );
      const broken = problems.filter((p) => p.severity === "broken").length;
      if (broken > 0) {
        process.stdout.write(`${broken} setup problem(s) above: each names a flow that cannot work as configured.\n`);
        process.exitCode = 78; // EX_CONFIG, as for an invalid variable
      }
    });

  program
    .command("doctor")
    .description("check the CLI, credentials, Postgres, Redis and the workspace; prints the fix for each problem")
    .action(async () => {
      const config = await configOrExit();
      const [{ createLogger }, { formatDoctor, runDoctor }] = await Promise.all([import("@fixline/core"), import("../runtime/run-doctor")]);
      const checks = await runDoctor(config, createLogger({ level: "silent" }));
      process.stdout.write(`${formatDoctor(checks)}\n`);
      const failed = checks.filter((c) => c.required && c.status === "fail");
      process.stdout.write(failed.length ? `\n${failed.length} required check(s) failed.\n` : "\nAll required checks passed.\n");
      process.exitCode = failed.length ? 1 : 0;
    });
}
