import { describe, expect, it } from "vitest";
import { loadConfig, secretVariables } from "../config/load-config";
import { configuredSecrets, redactorFor, secretValues } from "./configured-secrets";

describe("configuredSecrets / redactorFor", () => {
  const files: Record<string, string> = { "/run/secrets/slack": "xoxb-from-a-file-000000000\n" };
  const config = loadConfig(
    {
      DATABASE_URL: "postgres://fixline:db-pass-1234567@db:5432/fixline",
      REDIS_URL: "redis://:redis-pass-7654321@redis:6379",
      GITHUB_TOKEN: "plain-github-token-value",
      SLACK_BOT_TOKEN_FILE: "/run/secrets/slack",
      GITHUB_WEBHOOK_SECRET: "rotation-old-1234,rotation-new-5678",
      FIXLINE_API_TOKEN: "api-token-abcdefgh",
      ANTHROPIC_API_KEY: "anthropic-key-value-1",
      JIRA_BASE_URL: "https://jira.example",
      JIRA_EMAIL: "bot@example.com",
      JIRA_API_TOKEN: "jira-token-value-1",
      FIXLINE_CONFIG: "hooks:\n  - name: audit\n    url: http://127.0.0.1:9/h\n    events: [post_execution]\n    secret: hook-own-secret-1\n",
    },
    { readFile: (path) => files[path] ?? "" },
  );

  it("lists every secret variable, each rotation value, file-read values, URL passwords and the hooks' secrets", () => {
    const secrets = configuredSecrets(config);
    for (const expected of [
      "postgres://fixline:db-pass-1234567@db:5432/fixline",
      "db-pass-1234567",
      "redis-pass-7654321",
      "plain-github-token-value",
      "xoxb-from-a-file-000000000",
      "rotation-old-1234",
      "rotation-new-5678",
      "api-token-abcdefgh",
      "anthropic-key-value-1",
      "jira-token-value-1",
      "bot@example.com:jira-token-value-1",
      "hook-own-secret-1",
    ]) {
      expect(secrets).toContain(expected);
    }
  });

  it("builds one redactor per configuration that removes them all", () => {
    expect(redactorFor(config)).toBe(redactorFor(config));
    const text = "db-pass-1234567 rotation-new-5678 " + Buffer.from("bot@example.com:jira-token-value-1").toString("base64");
    expect(redactorFor(config).redact(text)).toBe("[redacted] [redacted] [redacted]");
  });
  it("redacts the Redis Sentinel password and the master's password when Sentinel is configured", () => {
    const sentinel = loadConfig({ REDIS_URL: "rediss://fixline:master-pass-24680@unused:6379", REDIS_SENTINELS: "s1:26379", REDIS_SENTINEL_NAME: "m", REDIS_SENTINEL_PASSWORD: "sentinel-pass-13579" });
    const out = redactorFor(sentinel).redact("AUTH sentinel-pass-13579 then AUTH fixline master-pass-24680");
    expect(out).not.toContain("sentinel-pass-13579");
    expect(out).not.toContain("master-pass-24680");
  });
});

describe("configuredSecrets covers every secret variable", () => {
  const unique = (name: string) => `${name.toLowerCase().replace(/_/g, "-")}-value-0123456789abcdef0123456789`;
  // What each variable accepts: the connection strings carry the value as their password.
  const valueOf = (name: string) => {
    if (name === "DATABASE_URL") return `postgres://fixline:${unique(name)}@db:5432/fixline`;
    if (name === "REDIS_URL") return `redis://:${unique(name)}@redis:6379`;
    return unique(name);
  };

  it("holds the value of each name in secretVariables, so a new one cannot be forgotten", () => {
    const env: Record<string, string> = { GITHUB_APP_ID: "12", GITHUB_OAUTH_CLIENT_ID: "Iv1.x" };
    for (const name of secretVariables) env[name] = valueOf(name);
    const config = loadConfig(env);
    const whole = secretValues(config);
    const secrets = configuredSecrets(config);
    expect(secretVariables.filter((name) => !whole.includes(valueOf(name)))).toEqual([]);
    expect(secretVariables.filter((name) => !secrets.includes(unique(name)))).toEqual([]);
    expect(secretVariables.length).toBeGreaterThan(15);
  });
});
