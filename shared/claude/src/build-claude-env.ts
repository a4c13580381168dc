import type { Config } from "@fixline/core";

export interface ClaudeEnvInput {
  /** config.inheritedEnv: the worker's PATH, HOME, locale, TZ and TMPDIR. */
  inheritedEnv: Config["inheritedEnv"];
  /** config.networkEnv: the proxy and CA variables that are set. */
  networkEnv: Readonly<Record<string, string>>;
  /** config.claude.authEnv: the Claude auth variables that are set. */
  authEnv: Readonly<Record<string, string>>;
  /** Anything else a run needs to give the CLI (kept small; never Fixline's own secrets). */
  extra?: Readonly<Record<string, string>>;
}

/**
 * The child's whole environment (spawned with extendEnv: false). The agent runs arbitrary shell commands,
 * so it must never see the git push token, the Slack token or the database URL: we list what it gets
 * instead of removing what it must not get. MCP servers receive their credentials through the generated
 * MCP config, not through this environment.
 */
export function buildClaudeEnv(input: ClaudeEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.inheritedEnv)) if (value) env[name] = value;
  env.PATH ??= "/usr/local/bin:/usr/bin:/bin";
  // The CLI talks to the Anthropic API: behind a proxy it needs the proxy and CA settings.
  Object.assign(env, input.networkEnv);
  // A headless worker must not update itself mid-run or phone home for non-essential features.
  env.DISABLE_AUTOUPDATER = "1";
  env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = "1";
  Object.assign(env, input.extra ?? {}, input.authEnv);
  return env;
}
