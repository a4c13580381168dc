/**
 * Permission modes a worker may use. bypassPermissions is left out on purpose: workers run as root, and the
 * CLI refuses bypass mode for root (see fixtures/claude/README.md); acceptEdits with an allow-list instead.
 */
export const claudePermissionModes = ["acceptEdits", "plan", "dontAsk", "auto", "manual"] as const;
export type ClaudePermissionMode = (typeof claudePermissionModes)[number];

export interface ClaudeArgsOptions {
  mcpConfigPath?: string;
  allowedTools?: readonly string[];
  permissionMode?: ClaudePermissionMode;
  maxTurns?: number;
  maxBudgetUsd?: number;
  model?: string;
  resumeSessionId?: string;
  /** Fixline's own settings file (`--settings`). */
  settingsPath?: string;
  /**
   * `--setting-sources`: which settings files the CLI reads besides --settings. Never user or local. "project" only
   * when the sandbox shows Fixline's own `.claude/` at the worktree's (skills load from the project source).
   */
  settingSources?: ReadonlyArray<"project">;
  /**
   * `--restricted` with exactly these built-in tools (`--tools`): file tools confined to the working directory,
   * settings/git/tool-config writes refused. For planning, which only reads and writes PLAN.md.
   */
  restrictedTools?: readonly string[];
}

/**
 * The argv for a headless run. The prompt is never here: it goes on stdin, because the variadic flags
 * (--allowedTools, --mcp-config) swallow a trailing prompt, and argv is visible to every user in `ps`.
 * Variadic flags come last, each closed by the next flag.
 */
export function buildClaudeArgs(options: ClaudeArgsOptions): string[] {
  const args = ["-p", "--output-format", "stream-json", "--verbose"];
  const permissionMode = options.permissionMode ?? "acceptEdits";
  if (!(claudePermissionModes as readonly string[]).includes(permissionMode)) {
    throw new Error(`permission mode ${permissionMode} is not allowed for workers (allowed: ${claudePermissionModes.join(", ")})`);
  }
  args.push("--permission-mode", permissionMode);
  if (options.maxTurns !== undefined) {
    if (!Number.isInteger(options.maxTurns) || options.maxTurns < 1) throw new Error(`maxTurns must be a positive integer, got ${options.maxTurns}`);
    args.push("--max-turns", String(options.maxTurns));
  }
  if (options.maxBudgetUsd !== undefined) {
    if (!(options.maxBudgetUsd > 0)) throw new Error(`maxBudgetUsd must be positive, got ${options.maxBudgetUsd}`);
    // Four decimals keep float noise (0.30000000000000004) out of the argv.
    args.push("--max-budget-usd", String(Math.max(0.0001, Number(options.maxBudgetUsd.toFixed(4)))));
  }
  if (options.model) args.push("--model", options.model);
  if (options.resumeSessionId) args.push("--resume", options.resumeSessionId);
  if (options.settingSources) args.push(`--setting-sources=${options.settingSources.join(",")}`);
  if (options.settingsPath) args.push("--settings", options.settingsPath);
  if (options.restrictedTools) args.push("--restricted", "--tools", options.restrictedTools.join(","));
  if (options.mcpConfigPath) args.push("--mcp-config", options.mcpConfigPath, "--strict-mcp-config");
  const tools = (options.allowedTools ?? []).filter((tool) => tool.trim() !== "");
  if (tools.length > 0) args.push("--allowedTools", ...tools);
  return args;
}
