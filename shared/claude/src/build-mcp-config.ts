import { mcpVariablePattern } from "@fixline/core";

/** The file `--mcp-config` reads (the CLI's schema; see fixtures/claude/README.md). */
export interface McpConfig {
  mcpServers: Record<string, McpServerConfig>;
}

export type McpServerConfig =
  | { type?: "stdio"; command: string; args?: string[]; env?: Record<string, string> }
  | { type: "http" | "sse"; url: string; headers?: Record<string, string> };

export interface BuiltMcpConfig {
  config: McpConfig;
  /** Servers kept, in template order. */
  kept: string[];
  /** Servers left out, with the variables that were missing (or refused) for each. */
  dropped: Array<{ name: string; missing: string[] }>;
}

export interface BuildMcpConfigOptions {
  /** Only these servers are offered (the phase's choice); undefined = every configured one. */
  only?: readonly string[];
  /**
   * Variables never substituted, even when set: the git push token, Slack token and database URL must not
   * reach the agent through an MCP config either. A server that needs one is dropped.
   */
  forbidden?: readonly string[];
}

/** Fixline's own secrets; an MCP server that wants one should get a narrower credential of its own. */
export const forbiddenMcpVariables = [
  "GITHUB_TOKEN",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_WEBHOOK_SECRET",
  "SLACK_BOT_TOKEN",
  "SLACK_SIGNING_SECRET",
  "DATABASE_URL",
  "REDIS_URL",
  "FIXLINE_API_TOKEN",
  "FIXLINE_HOOK_SECRET",
  "JIRA_WEBHOOK_SECRET",
  "SENTRY_CLIENT_SECRET",
] as const;


function substitute(value: unknown, lookup: (name: string, fallback: string | undefined) => string | undefined, missing: Set<string>): unknown {
  if (typeof value === "string") {
    return value.replace(mcpVariablePattern, (_match, name: string, fallback: string | undefined) => {
      const resolved = lookup(name, fallback);
      if (resolved === undefined) {
        missing.add(name);
        return "";
      }
      return resolved;
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, lookup, missing));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, lookup, missing)]));
  }
  return value;
}

/**
 * Builds this run's MCP config from the template (infrastructure/docker/mcp.json) with ${VAR} substitution.
 * A server whose variables are not all set is dropped rather than started half-configured: the agent is
 * better off without the Jira tools than with ones that fail every call.
 */
export function buildMcpConfig(template: unknown, env: Readonly<Record<string, string | undefined>>, options: BuildMcpConfigOptions = {}): BuiltMcpConfig {
  const servers = (template as { mcpServers?: unknown } | null)?.mcpServers;
  if (servers !== undefined && (typeof servers !== "object" || servers === null || Array.isArray(servers))) {
    throw new Error("the MCP config template must be {\"mcpServers\": {<name>: {...}}}");
  }
  const forbidden = new Set(options.forbidden ?? forbiddenMcpVariables);
  const lookup = (name: string, fallback: string | undefined) => {
    if (forbidden.has(name)) return undefined;
    const value = env[name];
    return value !== undefined && value !== "" ? value : fallback;
  };
  const result: BuiltMcpConfig = { config: { mcpServers: {} }, kept: [], dropped: [] };
  for (const [name, server] of Object.entries((servers ?? {}) as Record<string, unknown>)) {
    if (options.only && !options.only.includes(name)) continue;
    const missing = new Set<string>();
    const resolved = substitute(server, lookup, missing);
    if (missing.size > 0) {
      result.dropped.push({ name, missing: [...missing] });
      continue;
    }
    result.config.mcpServers[name] = resolved as McpServerConfig;
    result.kept.push(name);
  }
  return result;
}
