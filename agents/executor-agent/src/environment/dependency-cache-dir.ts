import { createHash } from "node:crypto";
import { join } from "node:path";
import { configuredSecrets, type Config } from "@fixline/core";

/**
 * Where setup keeps download caches and saved node_modules: next to the workspaces (WORKSPACE_DIR/../cache),
 * so it lives on the same volume as the worktrees it is restored into and survives workspace sweeps.
 * Core has no setting for it yet; one directory per host is what the environments package expects.
 */
export function dependencyCacheDir(config: Config): string {
  return join(config.workspaceDir, "..", "cache");
}

/**
 * The key of the saved trees' manifests: derived from the worker's own secrets, which no task process sees
 * (issue 14), so a task that can write the cache still cannot make an entry the next task accepts. Workers
 * with the same configuration share it, so they share the cache.
 */
export function dependencyCacheSecret(config: Config): string {
  return createHash("sha256").update("fixline dependency cache\0").update(configuredSecrets(config).join("\0")).digest("hex");
}
