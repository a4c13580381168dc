import type { Redis } from "ioredis";
import type { Logger, SandboxConfig } from "@fixline/core";

/** What every command run needs from its caller; PATH and HOME come from the entry point, never process.env. */
export interface CommandRunContext {
  worktree: string;
  taskId: string;
  /** Where live output goes (task:<id>:output); undefined = no live log (benchmarks, tools). */
  redis: Redis | undefined;
  logger: Logger;
  signal?: AbortSignal | undefined;
  pathEnv?: string | undefined;
  homeDir?: string | undefined;
  /** Proxy and CA variables (config.networkEnv), so installs can reach their registries. */
  networkEnv?: Record<string, string> | undefined;
  /** Shared download caches and saved dependency trees; undefined = no caching. */
  cacheDir?: string | undefined;
  /** Between SIGTERM and SIGKILL when a command is stopped. */
  killGraceMs?: number | undefined;
  /** config.sandbox; undefined = sandboxed with the defaults (never unsandboxed by omission). */
  sandbox?: SandboxConfig | undefined;
  /** Test runs and hooks share the host network (FIXLINE_CONFIG repos.<repo>.network); default: none. */
  network?: boolean | undefined;
  /** Paths the sandbox must keep invisible besides the worker's HOME (data directory, workspaces root). */
  hiddenPaths?: readonly string[] | undefined;
}
