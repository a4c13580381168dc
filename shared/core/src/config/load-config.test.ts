import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isFixlineError } from "../errors/fixline-error";
import { loadConfig } from "./load-config";

function configError(env: Record<string, string>, readFile?: (p: string) => string): string {
  try {
    loadConfig(env, readFile ? { readFile } : {});
  } catch (error) {
    if (isFixlineError(error, "CONFIG_INVALID")) return error.message;
    throw error;
  }
  throw new Error("expected CONFIG_INVALID");
}

describe("loadConfig", () => {
  it("boots with nothing set, using documented defaults", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.redisUrl).toBe("redis://127.0.0.1:6379");
    expect(config.databaseUrl).toBeUndefined();
    expect(config.github.apiUrl).toBe("https://api.github.com");
    expect(config.claude.bin).toBe("claude");
    expect(config.file.defaults.triggerLabel).toBe("fixline");
    // Loopback unless HOST says otherwise: a laptop's `make start` is not on the network (issue 16).
    expect(config.host).toBe("127.0.0.1");
    expect(config.file.operator.mayApprove).toBe(false);
    expect(config.file.defaults).toMatchObject({
      budgets: { perTaskUsd: 5, perRepoPerDayUsd: 50 },
      timeouts: { planningSeconds: 900, executionSeconds: 1800, idleSeconds: 300, testSeconds: 600 },
      maxTurns: { planning: 40, execution: 80 },
      scopePolicy: "warn",
      flakeReruns: 3,
      revertWindowDays: 14,
    });
    expect(config.file.routing).toEqual({ sentry: {}, jira: {} });
    expect(config.file.slack).toEqual({ repos: [], channels: {} });
    expect(config.file.approvers).toEqual({ slack: {} });
    expect(config.identity).toEqual({ sessionSecret: undefined, sessionTtlSeconds: 12 * 3600, oauthClientId: undefined, oauthClientSecret: undefined });
  });

  it("wants the OAuth App's id and secret together, and a session secret long enough to sign with", () => {
    expect(() => loadConfig({ GITHUB_OAUTH_CLIENT_ID: "Iv1.x" })).toThrow(/GITHUB_OAUTH_CLIENT_SECRET/);
    expect(() => loadConfig({ FIXLINE_SESSION_SECRET: "short" })).toThrow(/FIXLINE_SESSION_SECRET/);
    expect(loadConfig({ GITHUB_OAUTH_CLIENT_ID: "Iv1.x", GITHUB_OAUTH_CLIENT_SECRET: "s" }).identity.oauthClientId).toBe("Iv1.x");
  });

  it("reads Redis Sentinel from REDIS_SENTINELS and REDIS_SENTINEL_NAME, Sentinel's port when one is left out", () => {
    const config = loadConfig({ REDIS_URL: "rediss://fixline:p%40ss@unused:6379/2", REDIS_SENTINELS: "10.0.0.1:26380, sentinel-b", REDIS_SENTINEL_NAME: "fixline-master" });
    expect(config.redis).toEqual({
      url: "rediss://fixline:p%40ss@unused:6379/2",
      sentinels: [
        { host: "10.0.0.1", port: 26380 },
        { host: "sentinel-b", port: 26379 },
      ],
      sentinelName: "fixline-master",
      sentinelPassword: undefined,
      clusterNodes: [],
    });
    expect(loadConfig({}).redis).toEqual({ url: "redis://127.0.0.1:6379", sentinels: [], sentinelName: undefined, sentinelPassword: undefined, clusterNodes: [] });
  });

  it("reads Redis Cluster nodes from REDIS_CLUSTER_NODES (port 6379 when left out) and refuses them without a hash-tagged prefix or beside Sentinel", () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b", FIXLINE_QUEUE_PREFIX: "{fixline}" }).redis.clusterNodes).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-b", port: 6379 },
    ]);
    expect(configError({ REDIS_CLUSTER_NODES: "10.0.0.1:7000" })).toContain("FIXLINE_QUEUE_PREFIX: must be a hash tag such as {fixline} when REDIS_CLUSTER_NODES is set (got the default, fixline)");
    expect(configError({ REDIS_CLUSTER_NODES: "10.0.0.1:7000", FIXLINE_QUEUE_PREFIX: "fix" })).toContain("(got fix)");
    expect(configError({ REDIS_CLUSTER_NODES: "n1", FIXLINE_QUEUE_PREFIX: "{fixline}", REDIS_SENTINELS: "s1", REDIS_SENTINEL_NAME: "m" })).toContain("REDIS_CLUSTER_NODES: set REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both");
    expect(configError({ REDIS_CLUSTER_NODES: "redis://n1:7000", FIXLINE_QUEUE_PREFIX: "{fixline}" })).toContain("REDIS_CLUSTER_NODES: must be host:port pairs");
  });

  it("refuses half a Sentinel configuration and malformed sentinel lists, naming the variable", () => {
    expect(configError({ REDIS_SENTINELS: "s1:26379" })).toContain("REDIS_SENTINEL_NAME: is required");
    expect(configError({ REDIS_SENTINEL_NAME: "mymaster" })).toContain("REDIS_SENTINELS: is required");
    for (const bad of ["s1:port", "s1:26379;s2:26379", "s1:26379,,s2", "redis://s1:26379"]) expect(configError({ REDIS_SENTINELS: bad, REDIS_SENTINEL_NAME: "m" })).toContain("REDIS_SENTINELS: must be host:port pairs");
  });

  it("takes the sentinels' password from REDIS_SENTINEL_PASSWORD_FILE like the other secrets", () => {
    const config = loadConfig({ REDIS_SENTINELS: "s1", REDIS_SENTINEL_NAME: "m", REDIS_SENTINEL_PASSWORD_FILE: "/run/secrets/sentinel" }, { readFile: (path) => (path === "/run/secrets/sentinel" ? "sentinel-secret\n" : "") });
    expect(config.redis.sentinelPassword).toBe("sentinel-secret");
  });

  it("names every bad variable in one message", () => {
    const message = configError({ PORT: "eighty", REDIS_URL: "http://x", DATABASE_URL: "mysql://x", GITHUB_APP_ID: "12", EXECUTOR_CONCURRENCY: "0" });
    for (const name of ["PORT", "REDIS_URL", "DATABASE_URL", "GITHUB_APP_PRIVATE_KEY", "EXECUTOR_CONCURRENCY"]) expect(message).toContain(name);
    expect(message).toContain(".env.example");
  });

  it("reads secrets from <NAME>_FILE and refuses both forms at once", () => {
    const files: Record<string, string> = { "/run/secrets/gh": "ghp_secret\n" };
    const config = loadConfig({ GITHUB_TOKEN_FILE: "/run/secrets/gh" }, { readFile: (p) => files[p] ?? (() => { throw new Error("ENOENT"); })() });
    expect(config.github.token).toBe("ghp_secret");
    expect(configError({ GITHUB_TOKEN: "a", GITHUB_TOKEN_FILE: "/run/secrets/gh" }, (p) => files[p]!)).toContain("GITHUB_TOKEN");
    expect(configError({ SLACK_BOT_TOKEN_FILE: "/missing" }, () => { throw new Error("ENOENT"); })).toContain("SLACK_BOT_TOKEN_FILE");
  });

  it("accepts several webhook secrets for rotation", () => {
    expect(loadConfig({ GITHUB_WEBHOOK_SECRET: "old, new" }).github.webhookSecrets).toEqual(["old", "new"]);
  });

  it("validates the FIXLINE_CONFIG file and names the bad keys", () => {
    const yaml = ["routing:", "  sentry:", "    front-end: not-a-repo", "repos:", "  acme/shop:", "    scopePolicy: maybe", ""].join("\n");
    const message = configError({ FIXLINE_CONFIG: yaml });
    expect(message).toContain("FIXLINE_CONFIG: routing.sentry.front-end");
    expect(message).toContain("FIXLINE_CONFIG: repos.acme/shop.scopePolicy");
  });

  it("parses routing, approvers and budgets from the file", () => {
    const yaml = [
      "defaults:",
      "  triggerLabel: claude",
      "routing:",
      "  sentry: { front-end: acme/web }",
      "  jira: { ED: acme/web }",
      "  slackDefaultRepo: acme/web",
      "approvers:",
      "  slack: { U123: octocat }",
      "repos:",
      "  acme/web: { test: npm test, budgets: { perTaskUsd: 2 } }",
      "",
    ].join("\n");
    const config = loadConfig({ FIXLINE_CONFIG: yaml });
    expect(config.file.defaults.triggerLabel).toBe("claude");
    expect(config.file.routing.sentry["front-end"]).toBe("acme/web");
    expect(config.file.approvers.slack.U123).toBe("octocat");
    expect(config.file.repos["acme/web"]?.budgets?.perTaskUsd).toBe(2);
  });

  it("gives the agent only Claude's own auth variables", () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: "sk-ant", GITHUB_TOKEN: "ghp", SLACK_BOT_TOKEN: "xoxb" });
    expect(config.claude.authEnv).toEqual({ ANTHROPIC_API_KEY: "sk-ant" });
  });

  it("the CLI's FIXLINE_URL follows PORT unless set (a PORT in .env moves the server and the CLI together)", () => {
    expect(loadConfig({}).fixlineUrl).toBe("http://127.0.0.1:3000");
    expect(loadConfig({ PORT: "3100" }).fixlineUrl).toBe("http://127.0.0.1:3100");
    expect(loadConfig({ PORT: "3100", FIXLINE_URL: "https://fixline.example.com" }).fixlineUrl).toBe("https://fixline.example.com");
  });

  it("keeps of the worker's environment only what children inherit, never the whole of it", () => {
    const env = { PATH: "/usr/bin", HOME: "/home/w", LANG: "C.UTF-8", HTTPS_PROXY: "http://proxy:3128", GITHUB_TOKEN: "ghp_x", SOME_OTHER_SECRET: "s3cret" };
    const config = loadConfig(env);
    expect(config.inheritedEnv).toEqual({ PATH: "/usr/bin", HOME: "/home/w", LANG: "C.UTF-8", LC_ALL: undefined, TZ: undefined, TMPDIR: undefined });
    expect(config.networkEnv).toEqual({ HTTPS_PROXY: "http://proxy:3128" });
    // A variable Fixline does not read is nowhere in the configuration.
    expect(JSON.stringify(config)).not.toContain("s3cret");
    expect(config).not.toHaveProperty("env");
  });

  it("reads the MCP template once, with only the variables it names", () => {
    const dir = mkdtempSync(join(tmpdir(), "fixline-mcp-template-"));
    const path = join(dir, "mcp.json");
    writeFileSync(path, JSON.stringify({ mcpServers: { sentry: { type: "http", url: "https://mcp.sentry.dev/mcp", headers: { Authorization: "Bearer ${SENTRY_AUTH_TOKEN}" } } } }));
    const config = loadConfig({ MCP_CONFIG_TEMPLATE: path, SENTRY_AUTH_TOKEN: "sntrys_x", SLACK_BOT_TOKEN: "xoxb" });
    expect(config.mcp.env).toEqual({ SENTRY_AUTH_TOKEN: "sntrys_x" });
    expect(Object.keys(config.mcp.template.mcpServers)).toEqual(["sentry"]);
    expect(loadConfig({ MCP_CONFIG_TEMPLATE: join(dir, "missing.json") }).mcp).toEqual({ template: { mcpServers: {} }, env: {} });
    writeFileSync(path, "{ not json");
    expect(configError({ MCP_CONFIG_TEMPLATE: path })).toContain("MCP_CONFIG_TEMPLATE");
    writeFileSync(path, JSON.stringify({ mcpServers: [] }));
    expect(configError({ MCP_CONFIG_TEMPLATE: path })).toContain("MCP_CONFIG_TEMPLATE: mcpServers");
  });
});
