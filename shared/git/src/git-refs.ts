import type { GitRunner } from "./git-runner";

/** The commit a ref points to, or undefined when it does not exist. */
export async function resolveCommit(git: GitRunner, cwd: string, ref: string): Promise<string | undefined> {
  const result = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd, okExitCodes: [1, 128] });
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function isAncestor(git: GitRunner, cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await git(["merge-base", "--is-ancestor", ancestor, descendant], { cwd, okExitCodes: [1] });
  return result.exitCode === 0;
}
