import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { defaultProtectedPaths, FixlineError } from "@fixline/core";
import { agentChangedFiles } from "../environment/setup-leftovers";
import { globToRegExp, jsonValueAt, protectedChanges, splitProtectedEntry } from "../verify/protected-changes";
import type { ExecutionContext } from "./execution-context";

/**
 * Fails the task with PROTECTED_PATH_CHANGED when the work since the base commit touched a protected path
 * (FIXLINE_CONFIG protectedPaths) that the approved plan's Affected files does not list. Runs after each
 * agent run, before any test run that would trust the changed configuration.
 */
export async function assertProtectedPathsUnchanged(context: ExecutionContext): Promise<void> {
  const { deps, workspace, state } = context;
  const baseCommit = state.baseCommit!;
  const changed = await agentChangedFiles(deps.workspaces, workspace.path, baseCommit, state.setupLeftovers);
  const protectedPaths = context.settings.protectedPaths ?? defaultProtectedPaths;
  const keyValues: Record<string, { before: string | null; now: string | null }> = {};
  for (const entry of protectedPaths) {
    const { glob, key } = splitProtectedEntry(entry);
    if (!key) continue;
    const pattern = globToRegExp(glob);
    for (const file of changed.filter((f) => pattern.test(f))) {
      const before = await deps.workspaces.fileAtRef(workspace.path, baseCommit, file);
      const now = await readFile(join(workspace.path, file), "utf8").catch(() => null);
      keyValues[`${file}#${key.join(".")}`] = { before: jsonValueAt(before, key), now: jsonValueAt(now, key) };
    }
  }
  const hits = protectedChanges({ changed, protectedPaths, affected: context.plan.affectedFiles, keyValues });
  if (hits.length === 0) return;
  context.logger.warn({ paths: hits }, "the change touches protected paths the approved plan does not list");
  throw new FixlineError("PROTECTED_PATH_CHANGED", `the change touches protected paths the approved plan's Affected files does not list: ${hits.join(", ")}`, { details: { paths: hits } });
}
