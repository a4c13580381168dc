import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { FixlineError } from "../errors/fixline-error";
import { fixlineFileSchema } from "./fixline-file-schema";
import { mcpTemplateSchema, readMcpTemplate } from "./mcp-template";
import { networkVariables, pickNetworkEnv } from "./network-env";

/** Secrets may be given as `<NAME>_FILE` (Docker/Kubernetes secrets); the file's content wins over nothing, but both set is an error. */
export const secretVariables = [
  "DATABASE_URL",
  "REDIS_URL",
  "REDIS_SENTINEL_PASSWORD",
  "GITHUB_TOKEN",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_WEBHOOK_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SENTRY_CLIENT_SECRET",
  "SENTRY_AUTH_TOKEN",
  "JIRA_API_TOKEN",
  "JIRA_WEBHOOK_SECRET",
  "FIXLINE_API_TOKEN",
  "FIXLINE_TOKEN",
  "FIXLINE_HOOK_SECRET",
  "FIXLINE_SESSION_SECRET",
  "GITHUB_OAUTH_CLIENT_SECRET",
  "METRICS_TOKEN",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_AUTH_TOKEN",
  "CLAUDE_CODE_OAUTH_TOKEN",
] as const;

/** Claude's own auth variables: passed to the agent's environment, never anything else. */
export const claudeAuthVariables = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"] as const;

/** Where the MCP server template is looked for unless MCP_CONFIG_TEMPLATE names another file. */
const defaultMcpConfigTemplate = "infrastructure/docker/mcp.json";

const optionalString = z.string().trim().min(1).optional();
const optionalUrl = z.url().optional();
const port = z.coerce.number().int().min(0).max(65535);
const commaList = z
  .string()
  .optional()
  .transform((value) => (value ? value.split(",").map((s) => s.trim()).filter(Boolean) : []));
/** Several comma-separated secrets are accepted so a secret can be rotated without downtime. */
const secretList = commaList;
const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** Fixline's own variables, each documented in infrastructure/docker/.env.example (a test holds the two together). */
const settingsSchema = z.object({
  NODE_ENV: z.string().default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  PGLITE_DIR: z.string().default(".data/pglite"),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").default("redis://127.0.0.1:6379"),
  /**
   * Redis Sentinel (managed or self-hosted high availability): the sentinels to ask for the master named
   * REDIS_SENTINEL_NAME. REDIS_URL then gives only the master's username, password, database and TLS
   * (`rediss://`); its host is not used.
   */
  REDIS_SENTINELS: z
    .string()
    .regex(/^\s*[^\s,:]+(:\d{1,5})?\s*(,\s*[^\s,:]+(:\d{1,5})?\s*)*$/, "must be host:port pairs separated by commas (port 26379 when left out)")
    .optional(),
  REDIS_SENTINEL_NAME: optionalString,
  /** The sentinels' own password (requirepass on the sentinels), when they have one; the master's is in REDIS_URL. */
  REDIS_SENTINEL_PASSWORD: optionalString,
  /**
   * Redis Cluster: some of the cluster's nodes (host:port, 6379 when left out). The client learns the rest and
   * follows MOVED/ASK redirections; REDIS_URL then gives only the username, password and TLS (`rediss://`).
   * Needs a hash-tagged FIXLINE_QUEUE_PREFIX such as {fixline}.
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^\s*[^\s,:]+(:\d{1,5})?\s*(,\s*[^\s,:]+(:\d{1,5})?\s*)*$/, "must be host:port pairs separated by commas (port 6379 when left out)")
    .optional(),
  PORT: port.default(3000),
  /** Loopback unless set: a laptop's `make start` is not on the network; compose and Kubernetes set 0.0.0.0 (issue 16). */
  HOST: z.string().default("127.0.0.1"),
  METRICS_PORT: port.default(9464),
  FIXLINE_PUBLIC_URL: optionalUrl,
  /** Where the CLI finds the server; unset = this machine on PORT, so a PORT in .env moves both (issue 17). */
  FIXLINE_URL: z.url().optional(),
  FIXLINE_API_TOKEN: optionalString,
  /** The CLI's personal API token (fixline login); acts as its owner's GitHub login. */
  FIXLINE_TOKEN: optionalString,
  /** Path of the YAML file, or inline YAML; loadConfig reads and parses it into `file`. */
  FIXLINE_CONFIG: optionalString,
  FIXLINE_DRY_RUN: bool,
  FIXLINE_HOOK_SECRET: optionalString,
  /** Signs dashboard session cookies (HMAC-SHA256); unset = a random key per process (sessions end on restart). */
  FIXLINE_SESSION_SECRET: z.string().trim().min(32, "must be at least 32 characters (openssl rand -hex 32)").optional(),
  FIXLINE_SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 90).default(12),
  /** The OAuth App behind "Sign in with GitHub" (callback URL: <FIXLINE_PUBLIC_URL>/auth/github/callback). */
  GITHUB_OAUTH_CLIENT_ID: optionalString,
  GITHUB_OAUTH_CLIENT_SECRET: optionalString,
  /** When set, GET /metrics needs Authorization: Bearer <METRICS_TOKEN>. */
  METRICS_TOKEN: optionalString,
  GITHUB_TOKEN: optionalString,
  GITHUB_APP_ID: optionalString,
  GITHUB_APP_PRIVATE_KEY: optionalString,
  GITHUB_APP_INSTALLATION_ID: optionalString,
  GITHUB_WEBHOOK_SECRET: secretList,
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  GIT_BASE_URL: z.string().default("https://github.com"),
  GIT_AUTHOR_NAME: z.string().default("Fixline"),
  GIT_AUTHOR_EMAIL: z.string().default("fixline@users.noreply.github.com"),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: secretList,
  SLACK_API_URL: z.url().default("https://slack.com/api/"),
  SLACK_CHANNEL: optionalString,
  SENTRY_CLIENT_SECRET: secretList,
  SENTRY_AUTH_TOKEN: optionalString,
  SENTRY_API_URL: z.url().default("https://sentry.io/api/0/"),
  SENTRY_ORG: optionalString,
  JIRA_BASE_URL: optionalUrl,
  JIRA_EMAIL: optionalString,
  JIRA_API_TOKEN: optionalString,
  JIRA_WEBHOOK_SECRET: secretList,
  JIRA_ALLOWED_IPS: commaList,
  TRUSTED_PROXY: commaList,
  CLAUDE_BIN: z.string().default("claude"),
  CLAUDE_MODEL: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_AUTH_TOKEN: optionalString,
  CLAUDE_CODE_OAUTH_TOKEN: optionalString,
  WORKSPACE_DIR: z.string().default(".data/workspaces"),
  TRANSCRIPT_DIR: z.string().default(".data/transcripts"),
  MCP_CONFIG_TEMPLATE: z.string().default(defaultMcpConfigTemplate),
  SKILLS_DIR: z.string().default("skills"),
  EXECUTOR_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  PLANNER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** Deliveries waiting for a database transaction beyond which new ones get 503 + Retry-After (load shedding). */
  INGEST_MAX_PENDING: z.coerce.number().int().positive().default(5_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(30_000),
  /**
   * Key prefix of every Redis key (BullMQ's and Fixline's own): lets several installations (or test runs)
   * share one Redis. On Redis Cluster use a hash tag, `{fixline}`: BullMQ's scripts touch several keys of a
   * queue at once, and Cluster refuses (CROSSSLOT) unless they hash to one slot.
   */
  FIXLINE_QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_.-]+\}|[A-Za-z0-9_.-]+)$/, "letters, digits, _ . - only, optionally as one Redis Cluster hash tag such as {fixline}")
    .default("fixline"),
  QUEUE_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Circuit breaker (issue 20): the first pause after a Claude/GitHub outage, doubling per repeat up to BREAKER_MAX_MS. */
  BREAKER_BASE_MS: z.coerce.number().int().min(100).default(10_000),
  BREAKER_MAX_MS: z.coerce.number().int().min(100).default(120_000),
  QUEUE_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  QUEUE_MAX_STALLED_COUNT: z.coerce.number().int().min(0).max(100).default(2),
  /** The agent and every repository command run in a bubblewrap sandbox; only an explicit "off" runs them unsandboxed. */
  FIXLINE_SANDBOX: z.enum(["on", "off"]).default("on"),
  SANDBOX_MEMORY_MB: z.coerce.number().int().min(64).default(4096),
  SANDBOX_MAX_PROCESSES: z.coerce.number().int().min(16).default(1024),
  /** Extra absolute paths every Claude sandbox may write (test doubles that keep state); never needed in production. */
  SANDBOX_EXTRA_WRITABLE: commaList,
});

/** The variables Fixline reads as its own settings (what .env.example documents). */
export const settingVariables = Object.keys(settingsSchema.shape) as Array<keyof typeof settingsSchema.shape>;

/**
 * What the worker's own environment lends to the processes it starts (Claude, git, setup and test commands):
 * the system's PATH, HOME, locale, zone and temp folder. None of it is a secret of ours, and nothing else of
 * the worker's environment is kept, so a child can only ever get what is named here or in `networkEnv`.
 */
const inheritedSchema = z.object({
  PATH: z.string().optional(),
  HOME: z.string().optional(),
  LANG: z.string().optional(),
  LC_ALL: z.string().optional(),
  TZ: z.string().optional(),
  TMPDIR: z.string().optional(),
});

// The proxy and CA variables (see network-env.ts): one optional string each.
const networkSchema = z.object(
  Object.fromEntries(networkVariables.map((name) => [name, z.string().optional()])) as Record<(typeof networkVariables)[number], z.ZodOptional<z.ZodString>>,
);

/** `host:port,host` -> [{ host, port }], 26379 (Sentinel's port) when a port is left out. */
export function parseSentinels(value: string | undefined): Array<{ host: string; port: number }> {
  return parseHostPorts(value, 26379);
}

/** `host:port,host` -> [{ host, port }], `defaultPort` when a port is left out. */
function parseHostPorts(value: string | undefined, defaultPort: number): Array<{ host: string; port: number }> {
  if (!value) return [];
  return value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [host = "", port] = part.split(":");
      return { host, port: port ? Number(port) : defaultPort };
    });
}

/**
 * The whole configuration as one schema: the environment (after `<NAME>_FILE` secrets are read), the parsed
 * FIXLINE_CONFIG file and the MCP template, transformed into the shape the code uses. Its output type is
 * `Config`; nothing is written a second time as an interface.
 */
export const configSchema = z
  .object({
    env: z.object({ ...settingsSchema.shape, ...inheritedSchema.shape, ...networkSchema.shape }),
    /** The FIXLINE_CONFIG file, parsed (defaults when unset). */
    file: fixlineFileSchema.prefault({}),
    mcp: mcpTemplateSchema,
  })
  .transform(({ env: e, file, mcp }) => {
    const authEnv: Record<string, string> = {};
    for (const name of claudeAuthVariables) {
      const value = e[name];
      if (value) authEnv[name] = value;
    }
    const networkEnv = pickNetworkEnv(e);
    return {
      nodeEnv: e.NODE_ENV,
      logLevel: e.LOG_LEVEL,
      databaseUrl: e.DATABASE_URL,
      pgliteDir: e.PGLITE_DIR,
      redisUrl: e.REDIS_URL,
      /**
       * How to reach Redis: REDIS_URL, or Sentinel (REDIS_SENTINELS) or Cluster (REDIS_CLUSTER_NODES) with
       * REDIS_URL's credentials. `rediss://` turns TLS on (certificates checked against Node's CAs plus
       * NODE_EXTRA_CA_CERTS).
       */
      redis: {
        url: e.REDIS_URL,
        sentinels: parseSentinels(e.REDIS_SENTINELS),
        sentinelName: e.REDIS_SENTINEL_NAME,
        sentinelPassword: e.REDIS_SENTINEL_PASSWORD,
        clusterNodes: parseHostPorts(e.REDIS_CLUSTER_NODES, 6379),
      },
      port: e.PORT,
      host: e.HOST,
      metricsPort: e.METRICS_PORT,
      publicUrl: e.FIXLINE_PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`,
      fixlineUrl: e.FIXLINE_URL ?? `http://127.0.0.1:${e.PORT}`,
      apiToken: e.FIXLINE_API_TOKEN,
      /** The CLI's personal API token (FIXLINE_TOKEN), when given. */
      userToken: e.FIXLINE_TOKEN,
      dryRun: e.FIXLINE_DRY_RUN,
      hookSecret: e.FIXLINE_HOOK_SECRET,
      /** Dashboard sessions and "Sign in with GitHub" (issue 16). */
      identity: {
        sessionSecret: e.FIXLINE_SESSION_SECRET,
        sessionTtlSeconds: Math.round(e.FIXLINE_SESSION_TTL_HOURS * 3600),
        oauthClientId: e.GITHUB_OAUTH_CLIENT_ID,
        oauthClientSecret: e.GITHUB_OAUTH_CLIENT_SECRET,
      },
      /** Bearer token GET /metrics requires, when set. */
      metricsToken: e.METRICS_TOKEN,
      github: {
        token: e.GITHUB_TOKEN,
        appId: e.GITHUB_APP_ID,
        appPrivateKey: e.GITHUB_APP_PRIVATE_KEY,
        appInstallationId: e.GITHUB_APP_INSTALLATION_ID,
        webhookSecrets: e.GITHUB_WEBHOOK_SECRET,
        apiUrl: e.GITHUB_API_URL,
        gitBaseUrl: e.GIT_BASE_URL,
        authorName: e.GIT_AUTHOR_NAME,
        authorEmail: e.GIT_AUTHOR_EMAIL,
      },
      slack: { botToken: e.SLACK_BOT_TOKEN, signingSecrets: e.SLACK_SIGNING_SECRET, apiUrl: e.SLACK_API_URL, channel: e.SLACK_CHANNEL },
      sentry: { clientSecrets: e.SENTRY_CLIENT_SECRET, authToken: e.SENTRY_AUTH_TOKEN, apiUrl: e.SENTRY_API_URL, org: e.SENTRY_ORG },
      jira: {
        baseUrl: e.JIRA_BASE_URL,
        email: e.JIRA_EMAIL,
        apiToken: e.JIRA_API_TOKEN,
        webhookSecrets: e.JIRA_WEBHOOK_SECRET,
        allowedIps: e.JIRA_ALLOWED_IPS,
        trustedProxies: e.TRUSTED_PROXY,
      },
      claude: {
        bin: e.CLAUDE_BIN,
        model: e.CLAUDE_MODEL ?? file.defaults.model,
        /** Only the Claude auth variables that are set; this is all of our secrets the agent ever sees. */
        authEnv,
      },
      workspaceDir: e.WORKSPACE_DIR,
      transcriptDir: e.TRANSCRIPT_DIR,
      /** Where the MCP template was read from (MCP_CONFIG_TEMPLATE); its content is `mcp`. */
      mcpConfigTemplate: e.MCP_CONFIG_TEMPLATE,
      /** The MCP server template and the values of the ${VAR}s it names, read once at load (see mcp-template.ts). */
      mcp,
      skillsDir: e.SKILLS_DIR,
      executorConcurrency: e.EXECUTOR_CONCURRENCY,
      plannerConcurrency: e.PLANNER_CONCURRENCY,
      webhookBodyLimitBytes: e.WEBHOOK_BODY_LIMIT_BYTES,
      /** INGEST_MAX_PENDING. */
      ingestMaxPending: e.INGEST_MAX_PENDING,
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      /**
       * BullMQ job lock and stalled-job check. A worker that dies (kill -9) holds its job until the lock
       * lapses and the next stalled check hands it to another worker: these bound that recovery time.
       */
      queue: { lockDurationMs: e.QUEUE_LOCK_DURATION_MS, stalledIntervalMs: e.QUEUE_STALLED_INTERVAL_MS, maxStalledCount: e.QUEUE_MAX_STALLED_COUNT },
      /** How long an outage pauses the queues (BREAKER_BASE_MS doubling up to BREAKER_MAX_MS, with jitter). */
      breaker: { baseMs: e.BREAKER_BASE_MS, maxMs: Math.max(e.BREAKER_BASE_MS, e.BREAKER_MAX_MS) },
      /** BullMQ key prefix (FIXLINE_QUEUE_PREFIX). */
      queuePrefix: e.FIXLINE_QUEUE_PREFIX,
      /** PATH, HOME, locale, TZ and TMPDIR as the worker has them: all a child inherits besides `networkEnv`. */
      inheritedEnv: { PATH: e.PATH, HOME: e.HOME, LANG: e.LANG, LC_ALL: e.LC_ALL, TZ: e.TZ, TMPDIR: e.TMPDIR },
      /** Proxy and CA variables every child environment carries (see network-env.ts). */
      networkEnv,
      /** How the agent and repository commands are contained (FIXLINE_SANDBOX, SANDBOX_*; see @fixline/sandbox). */
      sandbox: {
        mode: e.FIXLINE_SANDBOX,
        memoryMb: e.SANDBOX_MEMORY_MB,
        maxProcesses: e.SANDBOX_MAX_PROCESSES,
        extraWritable: e.SANDBOX_EXTRA_WRITABLE,
      },
      /** The parsed FIXLINE_CONFIG file (defaults when unset). */
      file,
    };
  });

export type Config = z.output<typeof configSchema>;
export type SandboxConfig = Config["sandbox"];
export type RedisConnectionConfig = Config["redis"];

/**
 * Rules between variables. Checked on the raw values, separately from the schema, so they are reported
 * even when another variable is also wrong (zod skips refinements once a field fails).
 */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.GITHUB_APP_ID && !env.GITHUB_APP_PRIVATE_KEY) {
    problems.push("  - GITHUB_APP_PRIVATE_KEY: is required when GITHUB_APP_ID is set (the App's PEM key, or GITHUB_APP_PRIVATE_KEY_FILE)");
  }
  if (env.GITHUB_APP_PRIVATE_KEY && !env.GITHUB_APP_ID) problems.push("  - GITHUB_APP_ID: is required when GITHUB_APP_PRIVATE_KEY is set");
  if (Boolean(env.GITHUB_OAUTH_CLIENT_ID) !== Boolean(env.GITHUB_OAUTH_CLIENT_SECRET || env.GITHUB_OAUTH_CLIENT_SECRET_FILE)) {
    problems.push("  - GITHUB_OAUTH_CLIENT_SECRET: GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET are set together (the OAuth App's client id and secret)");
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) problems.push("  - REDIS_SENTINEL_NAME: is required when REDIS_SENTINELS is set (the master's name in `sentinel monitor <name> ...`)");
  if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS) problems.push("  - REDIS_SENTINELS: is required when REDIS_SENTINEL_NAME is set (host:port of each sentinel, comma-separated)");
  if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) problems.push("  - REDIS_CLUSTER_NODES: set REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both (Cluster does its own failover)");
  if (env.REDIS_CLUSTER_NODES && !/^\{[^{}]+\}$/.test(env.FIXLINE_QUEUE_PREFIX ?? "")) {
    problems.push(
      `  - FIXLINE_QUEUE_PREFIX: must be a hash tag such as {fixline} when REDIS_CLUSTER_NODES is set (got ${env.FIXLINE_QUEUE_PREFIX ?? "the default, fixline"}): BullMQ's scripts touch several keys at once, and Cluster refuses them (CROSSSLOT) unless they share one slot`,
    );
  }
  if (env.JIRA_BASE_URL && (!env.JIRA_EMAIL || !env.JIRA_API_TOKEN)) {
    problems.push("  - JIRA_API_TOKEN: JIRA_EMAIL and JIRA_API_TOKEN are required when JIRA_BASE_URL is set");
  }
  return problems;
}

export interface LoadConfigOptions {
  /** Reads files for `<NAME>_FILE` and FIXLINE_CONFIG; injectable for tests. */
  readFile?: (path: string) => string;
}

/** Names the variable an issue is about: `env.PORT` is PORT; `file.…` is inside FIXLINE_CONFIG, `mcp.template.…` inside MCP_CONFIG_TEMPLATE. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const [part, ...rest] = issue.path.map(String);
  if (part === "env") return `  - ${rest.join(".")}: ${issue.message}`;
  const variable = part === "file" ? "FIXLINE_CONFIG" : "MCP_CONFIG_TEMPLATE";
  const key = (part === "mcp" ? rest.slice(1) : rest).join(".");
  return `  - ${variable}: ${key || "(root)"}: ${issue.message}`;
}

/** `<NAME>_FILE` read into `<NAME>`; empty strings made unset (docker-compose passes `FOO=` through as empty). */
function resolveSecretFiles(env: Record<string, string | undefined>, readFile: (path: string) => string, problems: string[]): Record<string, string | undefined> {
  const resolved: Record<string, string | undefined> = { ...env };
  for (const name of secretVariables) {
    const filePath = env[`${name}_FILE`];
    if (!filePath) continue;
    if (env[name]) {
      problems.push(`  - ${name}: set both ${name} and ${name}_FILE; keep one`);
      continue;
    }
    try {
      resolved[name] = readFile(filePath).trim();
    } catch (error) {
      problems.push(`  - ${name}_FILE: cannot read ${filePath} (${(error as Error).message})`);
    }
  }
  for (const [key, value] of Object.entries(resolved)) if (value === "") resolved[key] = undefined;
  return resolved;
}

/** The FIXLINE_CONFIG YAML, parsed but not yet validated; a value with a newline is inline YAML (handy in tests and Kubernetes), otherwise a path. */
function readFixlineFile(value: string | undefined, readFile: (path: string) => string, problems: string[]): unknown {
  if (!value) return undefined;
  try {
    const text = value.includes("\n") ? value : readFile(value);
    return parseYaml(text) ?? {};
  } catch (error) {
    problems.push(`  - FIXLINE_CONFIG: cannot read or parse ${value.includes("\n") ? "the inline YAML" : value} (${(error as Error).message})`);
    return undefined;
  }
}

/**
 * Parses the environment once, at the edge. Every problem is collected, and one CONFIG_INVALID error
 * lists them all, each naming its variable, so the operator fixes everything in one go.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, options: LoadConfigOptions = {}): Config {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const problems: string[] = [];
  const resolved = resolveSecretFiles(env, readFile, problems);
  const fileProblems: string[] = [];
  const input = {
    env: resolved,
    file: readFixlineFile(resolved.FIXLINE_CONFIG, readFile, fileProblems),
    mcp: readMcpTemplate(resolved.MCP_CONFIG_TEMPLATE ?? defaultMcpConfigTemplate, resolved, fileProblems),
  };
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) problems.push(...parsed.error.issues.map(describeIssue));
  problems.push(...crossFieldProblems(resolved), ...fileProblems);

  if (problems.length > 0 || !parsed.success) {
    throw new FixlineError(
      "CONFIG_INVALID",
      `Fixline's configuration is invalid:\n${problems.join("\n")}\nFix these (see infrastructure/docker/.env.example) and start again.`,
      { details: { problems } },
    );
  }
  return parsed.data;
}
