import { FixlineError, outageProvider, redactorFor, repoSettings, toFixlineError, type Logger } from "@fixline/core";
import { getApproval, getTask, transition, type ApprovalRecord, type TaskRecord } from "@fixline/db";
import type { Workspace } from "@fixline/git";
import { canCommand } from "@fixline/integrations";
import { metrics } from "@fixline/observability";
import { resolveEnvironment, runHooks } from "@fixline/environments";
import { runPreExecutionHooks } from "@fixline/hooks";
import { dependencyCacheDir, dependencyCacheSecret } from "./environment/dependency-cache-dir";
import { sharedBaseRun } from "./environment/shared-base-run";
import { readExecutionPlan } from "./plan/read-execution-plan";
import { loadExecutionState, saveExecutionState, type ExecutionContext, type ExecutionState, type ExecutorDeps } from "./workflow/execution-context";
import { setUpEnvironment } from "./workflow/environment-setup";
import { failExecution } from "./workflow/handle-failure";
import { runGreenPhase } from "./workflow/green-phase";
import { hasPullRequest } from "./workflow/outbound";
import { acquirePrLock, prLockKey, taskLockKey } from "./workflow/pr-lock";
import { buildTaskEvidence, publishResult } from "./workflow/publish-result";
import { pauseForBudget } from "./workflow/pause-for-budget";
import { runRedPhase } from "./workflow/red-phase";
import { resumeWip } from "./workflow/resume-wip";


export type ExecutionOutcome =
  | { outcome: "completed"; resumedFrom: "start" | "red" | "green" }
  | { outcome: "failed"; code: string }
  /** Issue 21: 80% of the execution budget spent; the task waits in waiting_budget for a writer to add more. */
  | { outcome: "paused"; reason: "budget" }
  | { outcome: "skipped"; reason: string };

export interface ExecuteTaskInput {
  taskId: string;
  approvalId: string;
  jobId: string;
  /** False while BullMQ has attempts left: a transient error is then retried instead of failing the task. */
  finalAttempt: boolean;
  signal: AbortSignal;
  logger: Logger;
}

/** Why an approval does not authorise this run, or undefined when it does. */
async function approvalProblem(deps: ExecutorDeps, task: TaskRecord, approval: ApprovalRecord | undefined, dryRun: boolean): Promise<string | undefined> {
  if (!approval || approval.taskId !== task.id) return "the approval does not exist for this task";
  if (approval.voidedAt) return "the approval was voided by a newer plan";
  if (!task.planSha || approval.planSha !== task.planSha) return `the approval is for plan ${approval.planSha.slice(0, 7)}, not the current PLAN.md ${task.planSha?.slice(0, 7) ?? "(none)"}`;
  if (approval.via === "github" && !dryRun) {
    // The command path checked this when the comment came in; permissions can be revoked since. A dry run
    // talks to no one (and may run without GitHub credentials), so it relies on that first check.
    const permission = await deps.github.getPermission(task.repo, approval.login);
    if (!canCommand(permission)) return `${approval.login} no longer has write access to ${task.repo}`;
  }
  return undefined;
}

/**
 * One execution job, end to end: approval check, the per-PR lock, approved -> executing, then red, green and
 * publish (each skipped when a previous attempt proved it), or a recorded failure with a pushed checkpoint.
 */
export async function executeTask(deps: ExecutorDeps, input: ExecuteTaskInput): Promise<ExecutionOutcome> {
  const logger = input.logger;
  const task = await getTask(deps.db, input.taskId);
  if (!task) throw new FixlineError("TASK_NOT_FOUND", `no task ${input.taskId}`);
  if (task.state === "completed") return { outcome: "skipped", reason: "already completed" };
  if (task.state !== "approved" && task.state !== "executing") return { outcome: "skipped", reason: `task is ${task.state}` };
  const settings = repoSettings(deps.config, task.repo);
  // A dry-run plan has no pull request (placeholder number 0): a dry run executes on the local branch alone.
  if (!task.branch || (!hasPullRequest(task) && !settings.dryRun)) throw new FixlineError("APPROVAL_INVALID", `task ${task.id} has no pull request or branch to execute on`);
  const dryRun = settings.dryRun;

  const approval = await getApproval(deps.db, input.approvalId);
  const problem = await approvalProblem(deps, task, approval, dryRun);
  if (problem || !approval) {
    const error = new FixlineError("APPROVAL_INVALID", problem ?? "no approval");
    const moved = task.state === "approved" ? await transition(deps.db, { taskId: task.id, expected: "approved", event: { type: "execution_started" } }) : task;
    await failExecution({ deps, task: moved, workspace: undefined, dryRun, state: {}, jobId: input.jobId, logger, evidence: async () => undefined }, error);
    return { outcome: "failed", code: error.code };
  }

  const lockKey = hasPullRequest(task) ? prLockKey(deps.prefix ?? "fixline", task.repo, task.prNumber) : taskLockKey(deps.prefix ?? "fixline", task.id);
  const lock = await acquirePrLock(deps.redis, lockKey, `job:${input.jobId}`, deps.lockTtlMs);
  // Someone else runs this PR right now (a redelivered copy of this job): let BullMQ try again later.
  if (!lock) throw new FixlineError("INTERNAL", `another executor is working on ${task.repo}#${task.prNumber ?? task.id}`, { retryable: true });

  metrics.executorsBusy.inc();
  let workspace: Workspace | undefined;
  const state: ExecutionState = loadExecutionState(task);
  let context: ExecutionContext | undefined;
  let executing: TaskRecord = task;
  let hooksStarted = false;
  try {
    executing = await transition(deps.db, {
      taskId: task.id,
      expected: task.state,
      event: { type: "execution_started" },
      actor: { via: "system", login: "executor" },
      data: { jobId: input.jobId, approvalId: approval.id, resumeFrom: state.lastProvenPhase ?? null },
      jobs: task.state === "approved" ? [{ queue: "notify", data: { taskId: task.id, event: "execution_started" } }] : [],
    });

    // Operator policy gates (change freezes, budgets elsewhere) answer before any agent money is spent.
    const verdict = await runPreExecutionHooks({ config: deps.config, logger }, executing, input.jobId);
    if (!verdict.allowed) {
      throw new FixlineError("HOOK_VETOED", `pre_execution hook ${verdict.hook} vetoed: ${verdict.reason}`, { details: { hook: verdict.hook, reason: verdict.reason } });
    }
    if (dryRun) logger.info({ dryRun: true }, "dry run: the fix runs and is verified locally; nothing is pushed or posted");

    workspace = await deps.workspaces.prepare({ taskId: task.id, repo: task.repo, branch: task.branch, ...(settings.defaultBranch ? { baseBranch: settings.defaultBranch } : {}) });
    const planSha = task.planSha!;
    if (!(await deps.workspaces.isAncestor(workspace.path, planSha))) throw new FixlineError("APPROVAL_INVALID", `the approved plan commit ${planSha.slice(0, 7)} is not on ${task.branch}`);
    const planMarkdown = await deps.workspaces.fileAtRef(workspace.path, planSha, "PLAN.md");
    const planNow = await deps.workspaces.fileAtRef(workspace.path, "HEAD", "PLAN.md");
    if (planMarkdown === null) throw new FixlineError("APPROVAL_INVALID", `the approved commit ${planSha.slice(0, 7)} has no PLAN.md`);
    if (planNow !== planMarkdown) throw new FixlineError("APPROVAL_INVALID", "PLAN.md changed on the branch after it was approved; approve the current plan again");
    const plan = readExecutionPlan(planMarkdown);

    const environment = await resolveEnvironment({ worktree: workspace.path, repo: task.repo, settings, planTestCommand: plan.testCommand });
    if (!environment.testCommand) throw new FixlineError("TEST_COMMAND_NOT_FOUND", `no test command for ${task.repo}: none configured, none in PLAN.md, none detected`);

    context = {
      deps,
      task: executing,
      approval,
      settings,
      dryRun,
      workspace,
      planMarkdown,
      plan,
      environment,
      // Commands in the worktree get the worker's PATH and HOME and the repo's own variables, nothing else.
      commandContext: {
        worktree: workspace.path,
        taskId: task.id,
        redis: deps.redis,
        logger,
        redactor: redactorFor(deps.config),
        signal: input.signal,
        pathEnv: deps.config.env.PATH,
        homeDir: deps.config.env.HOME,
        cacheDir: dependencyCacheDir(deps.config),
        // Issue 14: every command runs sandboxed; tests get no network unless the repository opted in.
        sandbox: deps.config.sandbox,
        network: settings.network === true,
        hiddenPaths: [deps.config.workspaceDir, deps.config.transcriptDir, deps.config.pgliteDir],
        cacheSecret: dependencyCacheSecret(deps.config),
      },
      setup: { durationMs: 0, cacheHit: undefined },
      testCommand: environment.testCommand,
      testTimeoutMs: (settings.timeoutSeconds ?? deps.config.file.defaults.timeouts.testSeconds) * 1000,
      state,
      signal: input.signal,
      logger,
    };
    await setUpEnvironment(context);
    // From here on the post-run hooks clean up, whatever happens; a failing pre-run hook stops the task
    // with ENV_SETUP_FAILED before any agent money is spent.
    hooksStarted = true;
    await runHooks("preRun", environment, context.commandContext);

    if (!state.baseRun || !state.baseCommit) {
      // The suite on the unfixed code: what already fails there is not the agent's doing.
      // Shared by every task on the same base, environment and command (issue 19): a storm runs it once.
      const baseCommit = await deps.workspaces.headSha(workspace.path);
      const base = await sharedBaseRun(context, baseCommit);
      const note = base.cached ? `reused${base.sharedFrom ? ` from task ${base.sharedFrom.slice(0, 8)}` : ""} (same base, environment and command)` : "whole suite";
      await saveExecutionState(deps.db, task.id, state, { executionPlanSha: planSha, baseCommit, baseRun: base.run, testRuns: { ...state.testRuns, base: note } });
      logger.info({ baseCommit, counts: base.run.counts, exitCode: base.run.exitCode, cached: base.cached }, "base run recorded");
    }

    // After the base run (which must see the unfixed code): a retry continues from the work kept at the failure.
    await resumeWip(context);

    const redProven = state.lastProvenPhase !== undefined && state.redCommit !== undefined && (await deps.workspaces.isAncestor(workspace.path, state.redCommit));
    const greenProven = redProven && state.lastProvenPhase === "green" && state.greenCommit !== undefined && (await deps.workspaces.isAncestor(workspace.path, state.greenCommit));
    const resumedFrom = greenProven ? "green" : redProven ? "red" : "start";
    if (resumedFrom !== "start") logger.info({ resumedFrom, redCommit: state.redCommit }, "resuming from the last proven phase");
    if (!redProven) {
      if (state.lastProvenPhase) await saveExecutionState(deps.db, task.id, state, { lastProvenPhase: undefined, redCommit: undefined, greenCommit: undefined });
      await runRedPhase(context);
    }
    if (!greenProven) await runGreenPhase(context);
    await publishResult(context, input.jobId);
    return { outcome: "completed", resumedFrom };
  } catch (caught) {
    const error = toFixlineError(caught);
    if (input.signal.aborted) {
      // Shutdown or cancellation: keep the work, leave the task as it is; a cancelled task is skipped on retry.
      logger.warn({ code: error.code }, "execution interrupted; work kept for the next attempt");
      throw new Error(`execution interrupted: ${error.message}`, { cause: error });
    }
    // An outage (issue 20) is never the task's failure, even on the last attempt: the worker's circuit breaker
    // pauses the queue and the job, which did not use up an attempt, resumes from the last proven phase.
    if ((error.retryable && !input.finalAttempt) || outageProvider(error)) {
      logger.warn({ code: error.code, err: error.message }, "transient failure; the job will be retried and resume from the last proven phase");
      throw error;
    }
    const currentContext = context;
    if (error.code === "BUDGET_WAITING") {
      await pauseForBudget({ deps, task: executing, workspace, dryRun, state, jobId: input.jobId, logger, evidence: async () => undefined }, error);
      return { outcome: "paused", reason: "budget" };
    }
    await failExecution(
      {
        deps,
        task: executing,
        workspace,
        dryRun,
        state,
        jobId: input.jobId,
        logger,
        evidence: async () => (currentContext && state.baseRun ? buildTaskEvidence(currentContext) : undefined),
      },
      error,
    );
    return { outcome: "failed", code: error.code };
  } finally {
    if (hooksStarted && context) await runHooks("postRun", context.environment, { ...context.commandContext, signal: undefined });
    metrics.executorsBusy.dec();
    await lock.release().catch((error: unknown) => logger.warn({ err: error }, "could not release the PR lock; it expires by itself"));
  }
}
