import type { FixlineError } from "@fixline/core";
import { isFixlineError } from "@fixline/core";
import { transition, updateTaskFields } from "@fixline/db";
import type { Workspace } from "@fixline/git";
import { metrics } from "@fixline/observability";
import { agentChangedFiles } from "../environment/setup-leftovers";
import type { ExecutionEvidence } from "../evidence/build-evidence";
import type { ExecutorDeps, ExecutionState } from "./execution-context";
import { commentOnPullRequest, pushBranch } from "./outbound";
import type { TaskRecord } from "@fixline/db";

export interface FailureContext {
  deps: ExecutorDeps;
  task: TaskRecord;
  workspace: Workspace | undefined;
  /** Dry run: the checkpoint stays local and the PR comment is only recorded. */
  dryRun: boolean;
  state: ExecutionState;
  jobId: string;
  logger: ExecutorDeps["logger"];
  /** Evidence gathered so far (red proven, usage), shown on the PR next to the reason. */
  evidence: () => Promise<ExecutionEvidence | undefined>;
}

/** Keeps the work: commits whatever is in the worktree as a checkpoint and pushes it (never for a blocked scope). */
export async function pushCheckpoint(context: FailureContext, error: FixlineError): Promise<string | undefined> {
  const { deps, workspace, logger } = context;
  if (!workspace) return undefined;
  try {
    // The agent's work only: what setup wrote (a generated lockfile) is not part of the change.
    const changes = await agentChangedFiles(deps.workspaces, workspace.path, "HEAD", context.state.setupLeftovers);
    const commit = changes.length > 0 ? await deps.workspaces.commitAll(workspace.path, `wip: checkpoint (${error.code})`, { paths: changes }) : null;
    // SCOPE_VIOLATION with scopePolicy block exists to stop the push; the checkpoint stays local for a retry.
    if (error.code === "SCOPE_VIOLATION") return commit ?? undefined;
    await pushBranch(context);
    return commit ?? undefined;
  } catch (pushError) {
    logger.warn({ err: pushError }, "could not push the checkpoint; the work stays in the workspace");
    return undefined;
  }
}

function failureComment(task: TaskRecord, error: FixlineError, state: ExecutionState, workspace: Workspace | undefined, evidence: ExecutionEvidence | undefined): string {
  const proven = state.lastProvenPhase === "red" ? "red (the failing test is committed)" : state.lastProvenPhase === "green" ? "green" : "none yet";
  const details = typeof error.details?.output === "string" && error.details.output.trim() !== "" ? ["", "<details><summary>Test output (excerpt)</summary>", "", "```text", error.details.output.replace(/```/g, "``\u200b`"), "```", "", "</details>"] : [];
  return [
    `❌ **Fixline could not finish this fix: \`${error.code}\`**`,
    "",
    error.message.replace(/\r/g, ""),
    "",
    `_${error.hint}_`,
    ...details,
    "",
    `Work so far is pushed to \`${workspace?.branch ?? task.branch ?? "the branch"}\`. Last proven phase: ${proven}.`,
    ...(evidence?.red ? ["", `Red proof: \`${evidence.red.command}\` failed with ${evidence.red.failingTests.map((t) => `\`${t}\``).join(", ")}.`] : []),
    "",
    "Comment `@agent retry` to resume from the last proven phase, or `@agent reject <feedback>` to re-plan.",
  ].join("\n");
}

function markerPart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, "-");
}

/**
 * The end of a failed execution: checkpoint pushed, a PR comment with the reason and how to retry (one per
 * job and code, so a redelivered job updates it), the task moved to failed with a notify job.
 */
export async function failExecution(context: FailureContext, error: FixlineError): Promise<void> {
  const { deps, task, state, logger } = context;
  metrics.errors.inc({ type: error.code });
  await pushCheckpoint(context, error);
  const evidence = await context.evidence().catch(() => undefined);
  if (evidence) await updateTaskFields(deps.db, task.id, { evidence: evidence as unknown as Record<string, unknown> });
  try {
    const body = failureComment(task, error, state, context.workspace, evidence);
    await commentOnPullRequest(context, `execution-failed/${markerPart(context.jobId)}/${error.code}`, body, `the failure (${error.code}) and how to retry`);
  } catch (commentError) {
    logger.warn({ err: commentError }, "could not comment the failure on the PR");
  }
  try {
    const failed = await transition(deps.db, {
      taskId: task.id,
      expected: "executing",
      event: { type: "fail", code: error.code, message: error.message },
      actor: { via: "system", login: "executor" },
      data: { jobId: context.jobId, lastProvenPhase: state.lastProvenPhase ?? null },
      jobs: [{ queue: "notify", data: { taskId: task.id, event: "failed", details: { code: error.code, message: error.message.slice(0, 2000), lastProvenPhase: state.lastProvenPhase ?? null } } }],
    });
    metrics.tasksCompleted.inc({ status: "failed" });
    metrics.taskDuration.observe({ status: "failed" }, (Date.now() - failed.createdAt.getTime()) / 1000);
  } catch (transitionError) {
    // Cancelled meanwhile (STALE_STATE): the cancellation stands.
    if (!isFixlineError(transitionError, "STALE_STATE")) throw transitionError;
    logger.info({ code: error.code }, "task left executing before the failure was recorded; leaving it as it is");
  }
  logger.warn({ code: error.code, err: error.message }, "execution failed");
}
