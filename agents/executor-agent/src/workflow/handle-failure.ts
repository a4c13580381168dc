import type { FixlineError } from "@fixline/core";
import { isFixlineError } from "@fixline/core";
import { outcomeRepoLabel, transition, updateTaskFields } from "@fixline/db";
import type { Workspace } from "@fixline/git";
import { metrics } from "@fixline/observability";
import type { FailedDetails } from "@fixline/queue";
import { agentChangedFiles } from "../environment/setup-leftovers";
import type { ExecutionEvidence } from "../evidence/build-evidence";
import { saveExecutionState, type ExecutorDeps, type ExecutionState } from "./execution-context";
import { pushBranch, pushWipRef } from "./outbound";
import type { TaskRecord } from "@fixline/db";

export interface FailureContext {
  deps: ExecutorDeps;
  task: TaskRecord;
  workspace: Workspace | undefined;
  /** Dry run: nothing is pushed; the pushes a real run would make are only recorded. */
  dryRun: boolean;
  state: ExecutionState;
  jobId: string;
  logger: ExecutorDeps["logger"];
  /** Evidence gathered so far (red proven, usage), shown with the reason. */
  evidence: () => Promise<ExecutionEvidence | undefined>;
}

/**
 * Keeps the work without putting anything unverified on the pull request's branch (issue 15, property 5):
 * the agent's uncommitted changes become a `wip:` commit that only refs/fixline/<task>/wip points to (the
 * branch goes back to its proven commit, the files stay in the worktree), and the branch itself is pushed
 * only when its head is the proven red commit (a red push that failed). Returns the wip ref, if any.
 */
export async function keepUnverifiedWork(context: FailureContext, error: FixlineError): Promise<string | undefined> {
  const { deps, workspace, logger, state, task } = context;
  if (!workspace) return undefined;
  try {
    const head = await deps.workspaces.headSha(workspace.path);
    // The agent's work only: what setup wrote (a generated lockfile) is not part of the change.
    const changes = await agentChangedFiles(deps.workspaces, workspace.path, "HEAD", state.setupLeftovers);
    let wipRef: string | undefined;
    if (changes.length > 0) {
      const wip = await deps.workspaces.commitAll(workspace.path, `wip: checkpoint (${error.code})`, { paths: changes });
      if (wip) {
        await deps.workspaces.resetBranchKeepingTree(workspace.path, workspace.branch, head);
        await saveExecutionState(deps.db, task.id, state, { wipCommit: wip });
        // SCOPE_VIOLATION with scopePolicy block exists to stop the push; the work stays local for a retry.
        if (error.code !== "SCOPE_VIOLATION") wipRef = await pushWipRef(context, wip);
      }
    }
    if (state.redCommit && head === state.redCommit && state.lastProvenPhase === "red") await pushBranch(context);
    return wipRef;
  } catch (pushError) {
    logger.warn({ err: pushError }, "could not keep the work on the remote; it stays in the workspace");
    return undefined;
  }
}

/** What the notify worker needs to say it all in one message per channel. */
function failedDetails(context: FailureContext, error: FixlineError, wipRef: string | undefined, evidence: ExecutionEvidence | undefined): FailedDetails {
  const { state, workspace, task } = context;
  const output = typeof error.details?.output === "string" && error.details.output.trim() !== "" ? error.details.output.slice(-6000) : undefined;
  const branch = workspace?.branch ?? task.branch ?? undefined;
  return {
    code: error.code,
    message: error.message.slice(0, 2000),
    lastProvenPhase: state.lastProvenPhase ?? null,
    ...(branch ? { branch } : {}),
    ...(wipRef ? { wipRef, ...(state.wipCommit ? { wipCommit: state.wipCommit } : {}) } : {}),
    ...(output ? { output } : {}),
    ...(evidence?.red ? { redProof: { command: evidence.red.command, failingTests: evidence.red.failingTests } } : {}),
    ...(state.agentFindings?.length ? { findings: state.agentFindings } : {}),
  };
}

/**
 * The end of a failed execution: the work kept off the PR branch, the evidence on the task, the task moved
 * to failed with one notify job. The notify worker alone tells people (PR comment, Slack, Jira), so a failure
 * is said once per channel (issue 15, property 6).
 */
export async function failExecution(context: FailureContext, error: FixlineError): Promise<void> {
  const { deps, task, state, logger } = context;
  metrics.errors.inc({ type: error.code });
  const wipRef = await keepUnverifiedWork(context, error);
  const evidence = await context.evidence().catch(() => undefined);
  if (evidence) await updateTaskFields(deps.db, task.id, { evidence });
  try {
    const failed = await transition(deps.db, {
      taskId: task.id,
      expected: "executing",
      event: { type: "fail", code: error.code, message: error.message },
      actor: { via: "system", login: "executor" },
      data: { jobId: context.jobId, lastProvenPhase: state.lastProvenPhase ?? null },
      jobs: [{ queue: "notify", data: { taskId: task.id, event: "failed", details: failedDetails(context, error, wipRef, evidence) } }],
    });
    metrics.tasksCompleted.inc({ status: "failed" });
    metrics.executionsFinished.inc({ repository: outcomeRepoLabel(task.repo, Object.keys(deps.config.file.repos)), status: "failed" });
    metrics.taskDuration.observe({ status: "failed" }, (Date.now() - failed.createdAt.getTime()) / 1000);
  } catch (transitionError) {
    // Cancelled meanwhile (STALE_STATE): the cancellation stands.
    if (!isFixlineError(transitionError, "STALE_STATE")) throw transitionError;
    logger.info({ code: error.code }, "task left executing before the failure was recorded; leaving it as it is");
  }
  logger.warn({ code: error.code, err: error.message, wipRef }, "execution failed");
}
