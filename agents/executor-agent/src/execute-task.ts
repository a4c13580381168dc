import { FixlineError, hasPullRequest, repoSettings, type EffectiveRepoSettings, type Logger } from "@fixline/core";
import { getApproval, getTask, transition, type ApprovalRecord, type TaskRecord } from "@fixline/db";
import { canCommand } from "@fixline/integrations";
import { runAgentJob } from "@fixline/queue";
import { loadExecutionState, type ExecutorDeps } from "./workflow/execution-context";
import { failExecution } from "./workflow/handle-failure";
import { pauseForBudget } from "./workflow/pause-for-budget";
import { prLockKey, taskLockKey } from "./workflow/pr-lock";
import { failureContextOf, finishExecution, runExecution, type ExecutionJob } from "./workflow/run-execution";

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

/** The states an execution job acts in: written once, for the entry check and the skeleton's after-error check. */
const executionStates = ["approved", "executing"] as const;

function isExecutionState(state: string): state is (typeof executionStates)[number] {
  return (executionStates as readonly string[]).includes(state);
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

/** An approval that does not authorise the run fails the task before any lock or work. */
async function refuseApproval(deps: ExecutorDeps, input: ExecuteTaskInput, task: TaskRecord, dryRun: boolean, problem: string | undefined): Promise<ExecutionOutcome> {
  const error = new FixlineError("APPROVAL_INVALID", problem ?? "no approval");
  const moved = task.state === "approved" ? await transition(deps.db, { taskId: task.id, expected: "approved", event: { type: "execution_started" } }) : task;
  await failExecution({ deps, task: moved, workspace: undefined, dryRun, state: {}, jobId: input.jobId, logger: input.logger, evidence: async () => undefined }, error);
  return { outcome: "failed", code: error.code };
}

/** The execution job inside the shared agent-job skeleton: the per-PR lock, retry or fail, the failure kept and reported. */
function runExecutionJob(job: ExecutionJob, input: ExecuteTaskInput): Promise<ExecutionOutcome> {
  const { deps, task } = job;
  const prefix = deps.prefix ?? "fixline";
  return runAgentJob<ExecutionOutcome>({
    name: "execution",
    signal: input.signal,
    finalAttempt: input.finalAttempt,
    logger: input.logger,
    lock: { redis: deps.redis, key: hasPullRequest(task) ? prLockKey(prefix, task.repo, task.prNumber) : taskLockKey(prefix, task.id), owner: `job:${input.jobId}`, ...(deps.lockTtlMs !== undefined ? { ttlMs: deps.lockTtlMs } : {}) },
    // Someone else runs this PR right now (a redelivered copy of this job): let BullMQ try again later.
    busy: () => Promise.reject(new FixlineError("INTERNAL", `another executor is working on ${task.repo}#${task.prNumber ?? task.id}`, { retryable: true })),
    states: executionStates,
    readState: async () => (await getTask(deps.db, task.id))?.state,
    run: async () => ({ outcome: "completed", resumedFrom: await runExecution(job) }),
    stepAside: ({ state }) => ({ outcome: "skipped", reason: `task is ${state ?? "gone"}` }),
    fail: async (error) => {
      // Not a failure: the budget ran low. The work is checkpointed the same way and the task asks for more.
      if (error.code === "BUDGET_WAITING") {
        await pauseForBudget(failureContextOf(job), error);
        return { outcome: "paused", reason: "budget" };
      }
      await failExecution(failureContextOf(job), error);
      return { outcome: "failed", code: error.code };
    },
    cleanup: () => finishExecution(job),
  });
}

/**
 * One execution job, end to end: approval check, the per-PR lock, approved -> executing, then red, green and
 * publish (each skipped when a previous attempt proved it), or a recorded failure with a pushed checkpoint.
 */
export async function executeTask(deps: ExecutorDeps, input: ExecuteTaskInput): Promise<ExecutionOutcome> {
  const task = await getTask(deps.db, input.taskId);
  if (!task) throw new FixlineError("TASK_NOT_FOUND", `no task ${input.taskId}`);
  if (task.state === "completed") return { outcome: "skipped", reason: "already completed" };
  if (!isExecutionState(task.state)) return { outcome: "skipped", reason: `task is ${task.state}` };
  const settings: EffectiveRepoSettings = repoSettings(deps.config, task.repo);
  const dryRun = settings.dryRun;
  // A dry-run plan has no pull request (placeholder number 0): a dry run executes on the local branch alone.
  if (!task.branch || (!hasPullRequest(task) && !dryRun)) throw new FixlineError("APPROVAL_INVALID", `task ${task.id} has no pull request or branch to execute on`);

  const approval = await getApproval(deps.db, input.approvalId);
  const problem = await approvalProblem(deps, task, approval, dryRun);
  if (problem || !approval) return refuseApproval(deps, input, task, dryRun, problem);

  const job: ExecutionJob = { deps, jobId: input.jobId, task, approval, settings, dryRun, signal: input.signal, logger: input.logger, state: loadExecutionState(task), executing: task, hooksStarted: false };
  return runExecutionJob(job, input);
}
