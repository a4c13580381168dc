import type { Cluster, Redis } from "ioredis";
import type { Logger, Redactor, SandboxConfig } from "@fixline/core";

/** What every command run needs from its caller; PATH and HOME come from the entry point, never process.env. */
export interface CommandRunContext {
  worktree: string;
  taskId: string;
  /** Where live output goes (task:<id>:output); undefined = no live log (benchmarks, tools). */
  redis: Redis | Cluster | undefined;
  logger: Logger;
  /** The outbound redactor (redactorFor(config)) for the live log of setup, hooks and tests (issue 14). */
  redactor: Redactor;
  signal?: AbortSignal | undefined;
  pathEnv?: string | undefined;
  homeDir?: string | undefined;
  /** Proxy and CA variables (config.networkEnv), so installs can reach their registries. */
  networkEnv?: Record<string, string> | undefined;
  /** Shared download caches and saved dependency trees; undefined = no caching. */
  cacheDir?: string | undefined;
  /** Keys the saved trees' manifests (HMAC), so a process without it (a task's setup or tests) cannot forge an entry. */
  cacheSecret?: string | undefined;
  /** Between SIGTERM and SIGKILL when a command is stopped. */
  killGraceMs?: number | undefined;
  /** config.sandbox; undefined = sandboxed with the defaults (never unsandboxed by omission). */
  sandbox?: SandboxConfig | undefined;
  /** Test runs and hooks share the host network (FIXLINE_CONFIG repos.<repo>.network); default: none. */
  network?: boolean | undefined;
  /** Paths the sandbox must keep invisible besides the worker's HOME (data directory, workspaces root). */
  hiddenPaths?: readonly string[] | undefined;
}
