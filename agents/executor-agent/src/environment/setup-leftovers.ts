import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Workspaces } from "@fixline/git";

/** Uncommitted files by path: the sha1 of their content, or null when the file is gone. */
export type FileFingerprints = Record<string, string | null>;

async function fingerprint(worktree: string, file: string): Promise<string | null> {
  try {
    return createHash("sha1").update(await readFile(join(worktree, file))).digest("hex");
  } catch {
    return null;
  }
}

/** Every file that differs from HEAD (untracked ones included, ignored ones not), with its fingerprint. */
export async function uncommittedFiles(workspaces: Workspaces, worktree: string): Promise<FileFingerprints> {
  const status = await workspaces.status(worktree);
  const paths = new Set(status.entries.flatMap((entry) => (entry.origPath ? [entry.path, entry.origPath] : [entry.path])));
  const result: FileFingerprints = {};
  for (const path of [...paths].sort()) result[path] = await fingerprint(worktree, path);
  return result;
}

/**
 * What a setup run wrote that nobody else had touched: files clean before it and dirty after it (a
 * package-lock.json that `npm install` generated in a repository without one, a rewritten lockfile), and
 * earlier leftovers it wrote again. Files the agent had already changed stay the agent's even if setup
 * rewrote them too. (`node_modules` and `.venv` never show up here: @fixline/environments excludes them.)
 */
export function setupWrites(before: FileFingerprints, after: FileFingerprints, leftovers: FileFingerprints = {}): FileFingerprints {
  const written: FileFingerprints = {};
  for (const [path, hash] of Object.entries(after)) {
    const untouchedBefore = !(path in before) || (path in leftovers && leftovers[path] === before[path]);
    if (untouchedBefore) written[path] = hash;
  }
  return written;
}

/**
 * The files the agent changed since `fromRef`: changed files minus setup leftovers that are still exactly as
 * setup left them. A leftover the agent edited afterwards counts as the agent's change.
 */
export async function agentChangedFiles(workspaces: Workspaces, worktree: string, fromRef: string, leftovers: FileFingerprints | undefined): Promise<string[]> {
  const changed = await workspaces.changedFiles(worktree, fromRef);
  const result: string[] = [];
  for (const file of changed) {
    if (leftovers && file in leftovers && (await fingerprint(worktree, file)) === leftovers[file]) continue;
    result.push(file);
  }
  return result;
}
