import type { RefSnapshot } from "@fixline/git";

export interface AgentGitChanges {
  /** HEAD is no longer Fixline's last commit on the task branch (a commit, amend, reset, rebase or checkout). */
  headMoved: boolean;
  /** Branches and tags the run created, or moved, other than the task branch: to be deleted or put back. */
  createdRefs: string[];
  movedRefs: Array<{ ref: string; from: string }>;
  /** One line per finding, for the log, the evidence and the failure message. */
  findings: string[];
}

/**
 * What an agent run did to git, from snapshots taken before and after it. Only Fixline commits (issue 15):
 * the task branch must still be at `expectedHead` with HEAD on it, and no branch or tag may appear or move.
 * Other tasks share the mirror, so their own `fixline/` branches may appear or move meanwhile: those are
 * theirs, not findings.
 */
export function agentGitChanges(before: RefSnapshot, after: RefSnapshot, branch: string, expectedHead: string): AgentGitChanges {
  const findings: string[] = [];
  const branchRef = `refs/heads/${branch}`;
  const headMoved = after.headBranch !== branch || after.head !== expectedHead || after.refs[branchRef] !== expectedHead;
  if (after.headBranch !== branch) findings.push(`HEAD was moved off ${branch} (${after.headBranch ? `to ${after.headBranch}` : "detached"})`);
  if (after.refs[branchRef] !== expectedHead) findings.push(`${branch} was moved from ${expectedHead.slice(0, 12)} to ${after.refs[branchRef]?.slice(0, 12) ?? "nothing"} (a commit, amend, reset or rebase by the agent)`);
  else if (after.head !== expectedHead) findings.push(`HEAD is at ${after.head.slice(0, 12)}, not ${expectedHead.slice(0, 12)}`);
  const isOtherTask = (ref: string) => ref.startsWith("refs/heads/fixline/") && ref !== branchRef;
  const createdRefs: string[] = [];
  const movedRefs: Array<{ ref: string; from: string }> = [];
  for (const [ref, sha] of Object.entries(after.refs)) {
    if (ref === branchRef || isOtherTask(ref)) continue;
    const was = before.refs[ref];
    if (was === undefined) {
      createdRefs.push(ref);
      findings.push(`the agent created ${ref}`);
    } else if (was !== sha) {
      movedRefs.push({ ref, from: was });
      findings.push(`the agent moved ${ref}`);
    }
  }
  return { headMoved, createdRefs, movedRefs, findings };
}
