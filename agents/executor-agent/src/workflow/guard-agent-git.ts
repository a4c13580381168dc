import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RefSnapshot } from "@fixline/git";
import { agentGitChanges } from "../verify/agent-git-changes";
import { saveExecutionState, type ExecutionContext } from "./execution-context";
import { restoreFiles } from "./restore-files";

/** Before an agent run: where the task branch is (Fixline's last commit) and every branch and tag. */
export async function snapshotBeforeAgent(context: ExecutionContext): Promise<{ snapshot: RefSnapshot; expectedHead: string }> {
  const snapshot = await context.deps.workspaces.refSnapshot(context.workspace.path);
  return { snapshot, expectedHead: snapshot.refs[`refs/heads/${context.workspace.branch}`] ?? snapshot.head };
}

/**
 * After an agent run (issue 15, properties 1 and 2). Only Fixline commits: whatever the agent committed,
 * amended, reset or rebased is taken back as uncommitted work (the branch goes back to Fixline's last commit,
 * the agent's tree stays in the worktree) so the harness verifies it like any other change, and branches and
 * tags it created are deleted. The approved plan is immutable: an edited PLAN.md is put back. Each finding
 * is logged and kept on the task (evidence, failure message); it never fails the task by itself.
 */
export async function takeBackAgentGit(context: ExecutionContext, before: { snapshot: RefSnapshot; expectedHead: string }): Promise<string[]> {
  const { deps, workspace, state, task } = context;
  const after = await deps.workspaces.refSnapshot(workspace.path);
  const changes = agentGitChanges(before.snapshot, after, workspace.branch, before.expectedHead);
  const findings = [...changes.findings];
  if (changes.headMoved) await deps.workspaces.resetBranchKeepingTree(workspace.path, workspace.branch, before.expectedHead);
  for (const ref of changes.createdRefs) await deps.workspaces.deleteRef(workspace.path, ref);
  if (changes.headMoved || changes.createdRefs.length > 0) findings.push(`taken back: the agent's commits are uncommitted work on ${before.expectedHead.slice(0, 12)} again${changes.createdRefs.length ? `; deleted ${changes.createdRefs.join(", ")}` : ""}`);

  const planNow = await readFile(join(workspace.path, "PLAN.md"), "utf8").catch(() => null);
  if (planNow !== context.planMarkdown) {
    await restoreFiles(deps.workspaces, workspace.path, task.planSha!, ["PLAN.md"]);
    findings.push("the agent edited PLAN.md; the approved plan was put back");
  }
  if (findings.length === 0) return findings;
  context.logger.warn({ findings }, "the agent changed git or the approved plan; taken back");
  const all = [...(state.agentFindings ?? [])];
  for (const finding of findings) if (!all.includes(finding)) all.push(finding);
  await saveExecutionState(deps.db, task.id, state, { agentFindings: all });
  return findings;
}
