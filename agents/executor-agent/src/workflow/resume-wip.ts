import { agentChangedFiles } from "../environment/setup-leftovers";
import { saveExecutionState, type ExecutionContext } from "./execution-context";
import { wipRefOf } from "./outbound";

/**
 * `@agent retry` after a failure: the unverified work kept in refs/fixline/<task>/wip goes back into the
 * worktree as uncommitted changes on top of the proven branch, so the agent continues from it and the harness
 * verifies it like any other change. Only when the worktree has no changes of its own (a reused workspace
 * still holds them) and the wip commit sits on the current head.
 */
export async function resumeWip(context: ExecutionContext): Promise<boolean> {
  const { deps, workspace, state } = context;
  const wip = state.wipCommit;
  if (!wip) return false;
  if ((await agentChangedFiles(deps.workspaces, workspace.path, "HEAD", state.setupLeftovers)).length > 0) return false;
  let onHead = await deps.workspaces.isAncestor(workspace.path, "HEAD", wip);
  if (!onHead && !context.dryRun) {
    // Another machine's workspace: the commit is only on the remote.
    const fetched = await deps.workspaces.fetchRef(workspace.path, wipRefOf(context.task.id));
    onHead = fetched === wip && (await deps.workspaces.isAncestor(workspace.path, "HEAD", wip));
  }
  if (!onHead) {
    context.logger.warn({ wip }, "the kept work is not on top of the branch any more; starting from the branch");
    return false;
  }
  await deps.workspaces.checkoutTreeAsChanges(workspace.path, wip);
  // Taken: from here the worktree holds it (a redelivered job reuses the workspace, a failure keeps a new wip).
  await saveExecutionState(deps.db, context.task.id, state, { wipCommit: undefined });
  context.logger.info({ wip }, "resumed the kept work as uncommitted changes");
  return true;
}
