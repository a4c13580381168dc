import type { Redactor } from "@fixline/core";
import type { GitRunner } from "./git-runner";

export interface SecretFinding {
  commit: string;
  file: string;
}

/**
 * The first file, in the commits `tip` would add to the remote, whose content holds a configured secret
 * (issue 14: a commit whose files contain a secret is not pushed). Every commit is read, not only the tip,
 * because a secret added and then deleted still travels in the history. Blobs are read raw
 * (`cat-file blob`), so no filter or textconv the repository configured runs.
 */
export async function findSecretInCommits(git: GitRunner, cwd: string, tip: string, redactor: Redactor, knownRemote: readonly string[] = []): Promise<SecretFinding | undefined> {
  // From what the remote is known to have (recorded by Fixline), else what the remote-tracking refs say.
  const exclude = knownRemote.length > 0 ? knownRemote : ["--remotes=origin"];
  const { stdout: list } = await git(["rev-list", "--reverse", tip, "--not", ...exclude], { cwd });
  const seen = new Set<string>();
  for (const commit of list.split("\n").filter(Boolean)) {
    // The message and author lines travel too (an agent's own commit, or a title that carried a secret).
    const { stdout: header } = await git(["cat-file", "commit", commit], { cwd });
    if (redactor.containsSecret(header)) return { commit, file: "the commit message" };
    const { stdout } = await git(["diff-tree", "-r", "-z", "--root", "--no-renames", "--no-commit-id", "--no-ext-diff", "--no-textconv", "--diff-filter=AMT", commit], { cwd });
    // `:<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0`, repeated.
    const fields = stdout.split("\0");
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const meta = fields[i]!.split(" ");
      const blob = meta[3];
      const file = fields[i + 1]!;
      if (!blob || seen.has(blob) || meta[1] === "160000") continue;
      seen.add(blob);
      const { stdout: content } = await git(["cat-file", "blob", blob], { cwd });
      if (redactor.containsSecret(content) || redactor.containsSecret(file)) return { commit, file };
    }
  }
  return undefined;
}
