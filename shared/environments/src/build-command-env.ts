import { dirname, join } from "node:path";
import { claudeAuthVariables, secretVariables } from "@fixline/core";
import { venvDir } from "./detect-environment";

export interface CommandEnvInput {
  worktree: string;
  /** The worker's PATH, passed in by the entry point. Default: the running Node's folder and the system folders. */
  pathEnv?: string | undefined;
  homeDir?: string | undefined;
  /** The repository's non-secret variables (FIXLINE_CONFIG repos.<repo>.env). */
  repoEnv?: Record<string, string> | undefined;
  /** The toolchain, so Python commands find the virtualenv first. */
  toolchain?: string | undefined;
  /** Shared download caches live under it (npm, pnpm, yarn, pip, go, cargo, composer). */
  cacheDir?: string | undefined;
  /** Proxy and CA variables (config.networkEnv): installs reach registries through them. */
  networkEnv?: Record<string, string> | undefined;
}

/** The folder of the Node that runs the worker: setup and tests use the same Node the worker was started with. */
export function defaultPathEnv(): string {
  return [dirname(process.execPath), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":");
}

/** Names a repository's env must not set: the worker's credentials never reach repository code. */
const forbidden = new Set<string>([...secretVariables, ...claudeAuthVariables, "GITHUB_APP_ID", "ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"]);

export function isForbiddenVariable(name: string): boolean {
  return forbidden.has(name) || /(^|_)(TOKEN|SECRET|PASSWORD|PRIVATE_KEY)$/.test(name);
}

/**
 * The whole environment of a setup command, hook or test run: built from nothing, never from the worker's
 * process.env, so repository code (which may be hostile: it came from an issue) cannot read the push token,
 * the database URL or the Claude key. Returns the variables and the repository env names that were refused.
 */
export function buildCommandEnv(input: CommandEnvInput): { env: Record<string, string>; refused: string[] } {
  const refused: string[] = [];
  const repoEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.repoEnv ?? {})) {
    if (isForbiddenVariable(name)) refused.push(name);
    else repoEnv[name] = value;
  }
  const basePath = input.pathEnv ?? defaultPathEnv();
  const env: Record<string, string> = {
    HOME: input.homeDir ?? "/tmp",
    LANG: "C.UTF-8",
    CI: "true",
    // Plain output: the live log and the parsers read text, not terminal escapes.
    TERM: "dumb",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
    // __pycache__ files would otherwise show up as changes the agent might commit.
    PYTHONDONTWRITEBYTECODE: "1",
    ...input.networkEnv,
  };
  if (input.cacheDir) {
    const downloads = join(input.cacheDir, "downloads");
    Object.assign(env, {
      npm_config_cache: join(downloads, "npm"),
      npm_config_store_dir: join(downloads, "pnpm-store"),
      YARN_CACHE_FOLDER: join(downloads, "yarn"),
      PIP_CACHE_DIR: join(downloads, "pip"),
      GOMODCACHE: join(downloads, "go-mod"),
      CARGO_HOME: join(downloads, "cargo"),
      COMPOSER_CACHE_DIR: join(downloads, "composer"),
    });
  }
  let path = basePath;
  if (input.toolchain === "python") {
    const venv = join(input.worktree, venvDir);
    env.VIRTUAL_ENV = venv;
    path = `${join(venv, "bin")}:${basePath}`;
  }
  // The repository's variables win over the defaults above, except PATH, which keeps the venv first.
  Object.assign(env, repoEnv);
  env.PATH = repoEnv.PATH ? `${repoEnv.PATH}:${path}` : path;
  return { env, refused };
}
