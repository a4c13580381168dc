import { join } from "node:path";
import type { Config } from "@fixline/core";

/**
 * Where setup keeps download caches and saved node_modules: next to the workspaces (WORKSPACE_DIR/../cache),
 * so it lives on the same volume as the worktrees it is restored into and survives workspace sweeps.
 * Core has no setting for it yet; one directory per host is what the environments package expects.
 */
export function dependencyCacheDir(config: Config): string {
  return join(config.workspaceDir, "..", "cache");
}
