/**
 * Pure decisions for issue 21's revert detection: which commits a push's messages revert, and which
 * Fixline PR a revert PR names. Effects (the guarded UPDATEs) live in record-outcome.ts.
 */

/** `git revert` writes "This reverts commit <sha>." into the message; a squash of reverts may carry several. */
export function revertedShas(message: string): string[] {
  return [...message.matchAll(/This reverts commit ([0-9a-f]{7,40})\b/g)].map((m) => m[1]!);
}

/** A commit reverts a task's fix when it names the merge commit (or, for a rebase/merge, the green commit). */
export function revertsFix(sha: string, fix: { mergeCommitSha: string | null; greenCommit?: string | undefined }): boolean {
  return [fix.mergeCommitSha, fix.greenCommit].some((candidate) => typeof candidate === "string" && candidate.length === 40 && candidate.startsWith(sha));
}

/**
 * GitHub's "Revert" button opens `Revert "<title>"` with the body `Reverts owner/repo#<n>`. Only that
 * form counts: the title alone could name any PR with the same title, so the number must be in the body.
 */
export function revertedPullNumber(repo: string, pull: { title?: string | null | undefined; body?: string | null | undefined }): number | undefined {
  if (!pull.title?.startsWith('Revert "')) return undefined;
  const escaped = repo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`^Reverts (?:${escaped})?#(\\d+)\\b`, "m").exec(pull.body ?? "");
  return match ? Number(match[1]) : undefined;
}
