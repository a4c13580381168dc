import { rm, writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Workspaces } from "@fixline/git";

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
