import { rm, writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execa } from "execa";
import type { Workspaces } from "@fixline/git";

/**
 * Local-only git questions @fixline/git does not answer. No remote is contacted, so no credentials; hooks
 * are off because the agent can edit the repository's config.
 */
export async function isAncestor(worktree: string, ancestor: string, options: { pathEnv: string; descendant?: string }): Promise<boolean> {
  const result = await execa("git", ["-c", "core.hooksPath=/dev/null", "merge-base", "--is-ancestor", ancestor, options.descendant ?? "HEAD"], {
    cwd: worktree,
    reject: false,
    env: { PATH: options.pathEnv, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    extendEnv: false,
  });
  return result.exitCode === 0;
}

/** Puts files back as they were at `ref` (deleting those that did not exist there). */
export async function restoreFiles(workspaces: Workspaces, worktree: string, ref: string, files: readonly string[]): Promise<void> {
  for (const file of files) {
    const content = await workspaces.fileAtRef(worktree, ref, file);
    const path = join(worktree, file);
    if (content === null) await rm(path, { force: true });
    else {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
  }
}
