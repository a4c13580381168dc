import type { Config } from "../config/load-config";
import { createRedactor, type Redactor } from "./create-redactor";

/** The password and the whole URL of a connection string (DATABASE_URL, REDIS_URL). */
function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  const out = [url];
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      out.push(parsed.password);
      try {
        out.push(decodeURIComponent(parsed.password));
      } catch {
        // a malformed escape: the raw form is already there
      }
    }
  } catch {
    // not a URL: the value as a whole is still redacted
  }
  return out;
}

/**
 * The value of each secret variable as parsed (values read from `<NAME>_FILE` included), each rotation
 * value on its own. A test sets every name in secretVariables and checks each value is here, so a new
 * secret variable cannot be forgotten. Whole values only: `fixline doctor` looks for these inside a sandbox.
 */
export function secretValues(config: Config): string[] {
  const values: Array<string | undefined> = [config.databaseUrl, config.redisUrl, config.redis.sentinelPassword];
  values.push(config.apiToken, config.userToken, config.hookSecret, config.metricsToken, config.identity.sessionSecret, config.identity.oauthClientSecret);
  values.push(config.github.token, config.github.appPrivateKey, ...config.github.webhookSecrets);
  values.push(config.slack.botToken, ...config.slack.signingSecrets, config.sentry.authToken, ...config.sentry.clientSecrets);
  values.push(config.jira.apiToken, ...config.jira.webhookSecrets, ...Object.values(config.claude.authEnv));
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value.length > 0))];
}

/**
 * Every secret value Fixline was configured with, for redaction: secretValues, the connection strings'
 * passwords, Jira's basic-auth pair and the hooks' own signing secrets.
 */
export function configuredSecrets(config: Config): string[] {
  const values: Array<string | undefined> = [...secretValues(config), ...urlSecrets(config.databaseUrl), ...urlSecrets(config.redisUrl)];
  if (config.jira.email && config.jira.apiToken) values.push(`${config.jira.email}:${config.jira.apiToken}`);
  for (const hook of config.file.hooks) values.push(hook.secret);
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value.length > 0))];
}

const built = new WeakMap<Config, Redactor>();

/** The redactor of one loaded configuration, built on first use and shared by every channel after that. */
export function redactorFor(config: Config): Redactor {
  let redactor = built.get(config);
  if (!redactor) {
    redactor = createRedactor(configuredSecrets(config));
    built.set(config, redactor);
  }
  return redactor;
}
