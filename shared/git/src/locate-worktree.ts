import { readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export interface WorktreeLocation {
  /** `owner/name` of the repository the worktree belongs to. */
  repo: string;
  mirrorPath: string;
  /** The worktree's private git directory inside the mirror (`<mirror>/worktrees/<id>`). */
  gitDir: string;
}

/**
 * Reads `<worktree>/.git` (`gitdir: <mirror>/worktrees/<id>`) to find which mirror a worktree belongs to,
 * without spawning git. Returns undefined for anything that is not a worktree of a mirror under mirrorsDir,
 * so a rewritten `.git` file cannot point our commands (and credentials) at another repository.
 */
export async function locateWorktree(worktreePath: string, mirrorsDir: string): Promise<WorktreeLocation | undefined> {
  const text = await readFile(join(worktreePath, ".git"), "utf8").catch(() => undefined);
  const match = text ? /^gitdir: (.+)$/m.exec(text) : null;
  if (!match?.[1]) return undefined;
  const gitDir = isAbsolute(match[1]) ? match[1] : resolve(worktreePath, match[1]);
  const mirrorPath = dirname(dirname(gitDir));
  const fromMirrors = relative(mirrorsDir, mirrorPath).split(sep);
  const [owner, nameGit] = fromMirrors;
  if (fromMirrors.length !== 2 || !owner || !nameGit?.endsWith(".git") || owner === "..") return undefined;
  if (!(await stat(gitDir).catch(() => undefined))?.isDirectory()) return undefined;
  return { repo: `${owner}/${nameGit.slice(0, -".git".length)}`, mirrorPath, gitDir };
}
