import { execa } from "execa";
import { FixlineError, type Config } from "@fixline/core";
import { buildClaudeEnv } from "./build-claude-env";

export interface ClaudeAuthStatus {
  /** The CLI ran and says it is logged in. */
  ok: boolean;
  loggedIn: boolean;
  authMethod: string | undefined;
  /** The CLI's JSON as printed (no secrets: it names methods, not keys). */
  raw: Record<string, unknown> | undefined;
  error: FixlineError | undefined;
}

/**
 * `claude auth status` with the same minimal environment the workers give the CLI, for `fixline doctor`:
 * it proves both that CLAUDE_BIN runs and that the auth variable we pass is one the CLI accepts.
 */
export async function claudeAuthStatus(config: Config, options: { timeoutMs?: number } = {}): Promise<ClaudeAuthStatus> {
  const result = await execa(config.claude.bin, ["auth", "status"], {
    env: buildClaudeEnv({ inheritedEnv: config.inheritedEnv, networkEnv: config.networkEnv, authEnv: config.claude.authEnv }),
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? 20_000,
    stdin: "ignore",
  });
  const spawnCode = (result as { code?: string }).code;
  if (spawnCode === "ENOENT" || spawnCode === "EACCES") {
    const error = new FixlineError("CLAUDE_NOT_FOUND", `cannot run the Claude CLI at "${config.claude.bin}" (${spawnCode})`);
    return { ok: false, loggedIn: false, authMethod: undefined, raw: undefined, error };
  }
  let raw: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(String(result.stdout));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    raw = undefined;
  }
  if (!raw) {
    const detail = `${String(result.stderr)}${String(result.stdout)}`.trim().slice(0, 500);
    const error = new FixlineError("CLAUDE_CRASHED", `\`${config.claude.bin} auth status\` did not print JSON (exit ${result.exitCode ?? "none"}): ${detail}`);
    return { ok: false, loggedIn: false, authMethod: undefined, raw: undefined, error };
  }
  const loggedIn = raw.loggedIn === true;
  const authMethod = typeof raw.authMethod === "string" ? raw.authMethod : undefined;
  const error = loggedIn ? undefined : new FixlineError("CLAUDE_NOT_AUTHENTICATED", `the Claude CLI is not logged in (auth method: ${authMethod ?? "unknown"})`);
  return { ok: loggedIn, loggedIn, authMethod, raw, error };
}
