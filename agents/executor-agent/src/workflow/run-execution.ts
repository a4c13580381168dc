import { FixlineError, type EffectiveRepoSettings, type Logger } from "@fixline/core";
import { transition, type ApprovalRecord, type TaskRecord } from "@fixline/db";
import { runHooks } from "@fixline/environments";
import type { Workspace } from "@fixline/git";
import { runPreExecutionHooks } from "@fixline/hooks";
import { metrics } from "@fixline/observability";
import { sharedBaseRun } from "../environment/shared-base-run";
import { buildExecutionContext } from "./build-execution-context";
import { saveExecutionState, type ExecutionContext, type ExecutionState, type ExecutorDeps } from "./execution-context";
import { setUpEnvironment } from "./environment-setup";
import { runGreenPhase } from "./green-phase";
import { buildTaskEvidence, publishResult } from "./publish-result";
import type { FailureContext } from "./handle-failure";
import { runRedPhase } from "./red-phase";
import { resumeWip } from "./resume-wip";

/** One execution job's facts and what it has built so far: the failure and the cleanup see what the phases left. */
export interface ExecutionJob {
  deps: ExecutorDeps;
  jobId: string;
  task: TaskRecord;
  approval: ApprovalRecord;
  settings: EffectiveRepoSettings;
  dryRun: boolean;
  signal: AbortSignal;
  logger: Logger;
  state: ExecutionState;
  /** The task once it moved to executing. */
  executing: TaskRecord;
  workspace?: Workspace;
  context?: ExecutionContext;
  /** From here on the post-run hooks clean up, whatever happens. */
  hooksStarted: boolean;
}

export type ResumedFrom = "start" | "red" | "green";

/** approved -> executing (or a resumed executing), then the operator's pre-execution gates. */
async function startExecution(job: ExecutionJob): Promise<void> {
  const { deps, task, approval, state, logger } = job;
  job.executing = await transition(deps.db, {
    taskId: task.id,
    expected: task.state,
    event: { type: "execution_started" },
    actor: { via: "system", login: "executor" },
    data: { jobId: job.jobId, approvalId: approval.id, resumeFrom: state.lastProvenPhase ?? null },
    jobs: task.state === "approved" ? [{ queue: "notify", data: { taskId: task.id, event: "execution_started" } }] : [],
  });
  // Operator policy gates (change freezes, budgets elsewhere) answer before any agent money is spent.
  const verdict = await runPreExecutionHooks({ config: deps.config, logger }, job.executing, job.jobId);
  if (!verdict.allowed) {
    throw new FixlineError("HOOK_VETOED", `pre_execution hook ${verdict.hook} vetoed: ${verdict.reason}`, { details: { hook: verdict.hook, reason: verdict.reason } });
  }
  if (job.dryRun) logger.info({ dryRun: true }, "dry run: the fix runs and is verified locally; nothing is pushed or posted");
}

/** The workspace, the approved plan and the environment, set up; a failing pre-run hook stops with ENV_SETUP_FAILED. */
async function prepareExecution(job: ExecutionJob): Promise<ExecutionContext> {
  const { deps, task, settings } = job;
  job.workspace = await deps.workspaces.prepare({ taskId: task.id, repo: task.repo, branch: task.branch!, ...(settings.defaultBranch ? { baseBranch: settings.defaultBranch } : {}) });
  const context = await buildExecutionContext({ ...job, task: job.executing, workspace: job.workspace });
  job.context = context;
  await setUpEnvironment(context);
  job.hooksStarted = true;
  await runHooks("preRun", context.environment, context.commandContext);
  return context;
}

/**
 * The suite on the unfixed code: what already fails there is not the agent's doing. Shared by every task on
 * the same base, environment and command (issue 19): a storm runs it once.
 */
async function recordBaseRun(context: ExecutionContext): Promise<void> {
  const { deps, task, state, workspace, logger } = context;
  if (state.baseRun && state.baseCommit) return;
  const baseCommit = await deps.workspaces.headSha(workspace.path);
  const base = await sharedBaseRun(context, baseCommit);
  const note = base.cached ? `reused${base.sharedFrom ? ` from task ${base.sharedFrom.slice(0, 8)}` : ""} (same base, environment and command)` : "whole suite";
  await saveExecutionState(deps.db, task.id, state, { executionPlanSha: task.planSha!, baseCommit, baseRun: base.run, testRuns: { ...state.testRuns, base: note } });
  logger.info({ baseCommit, counts: base.run.counts, exitCode: base.run.exitCode, cached: base.cached }, "base run recorded");
}

/** Red then green, each skipped when a previous attempt proved it (its commit still on the branch). */
async function runUnprovenPhases(context: ExecutionContext): Promise<ResumedFrom> {
  const { deps, task, state, workspace, logger } = context;
  const redProven = state.lastProvenPhase !== undefined && state.redCommit !== undefined && (await deps.workspaces.isAncestor(workspace.path, state.redCommit));
  const greenProven = redProven && state.lastProvenPhase === "green" && state.greenCommit !== undefined && (await deps.workspaces.isAncestor(workspace.path, state.greenCommit));
  const resumedFrom = greenProven ? "green" : redProven ? "red" : "start";
  if (resumedFrom !== "start") logger.info({ resumedFrom, redCommit: state.redCommit }, "resuming from the last proven phase");
  if (!redProven) {
    if (state.lastProvenPhase) await saveExecutionState(deps.db, task.id, state, { lastProvenPhase: undefined, redCommit: undefined, greenCommit: undefined });
    await runRedPhase(context);
  }
  if (!greenProven) await runGreenPhase(context);
  return resumedFrom;
}

/** The phases of one execution, in order; each throws a coded error that the agent-job skeleton decides on. */
export async function runExecution(job: ExecutionJob): Promise<ResumedFrom> {
  metrics.executorsBusy.inc();
  await startExecution(job);
  const context = await prepareExecution(job);
  await recordBaseRun(context);
  // After the base run (which must see the unfixed code): a retry continues from the work kept at the failure.
  await resumeWip(context);
  const resumedFrom = await runUnprovenPhases(context);
  await publishResult(context, job.jobId);
  return resumedFrom;
}

/** What the failure keeps and reports: the work so far and, once the base run exists, the evidence. */
export function failureContextOf(job: ExecutionJob): FailureContext {
  const { context, state } = job;
  return {
    deps: job.deps,
    task: job.executing,
    workspace: job.workspace,
    dryRun: job.dryRun,
    state,
    jobId: job.jobId,
    logger: job.logger,
    evidence: async () => (context && state.baseRun ? buildTaskEvidence(context) : undefined),
  };
}

/** After the job, whatever happened (the failure recorded first): the post-run hooks and the busy gauge. */
export async function finishExecution(job: ExecutionJob): Promise<void> {
  if (job.hooksStarted && job.context) await runHooks("postRun", job.context.environment, { ...job.context.commandContext, signal: undefined });
  metrics.executorsBusy.dec();
}
