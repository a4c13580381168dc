import { FixlineError, redactorFor } from "@fixline/core";
import type { TaskRecord } from "@fixline/db";
import { resolveEnvironment } from "@fixline/environments";
import type { Workspace } from "@fixline/git";
import { dependencyCacheDir, dependencyCacheSecret } from "../environment/dependency-cache-dir";
import { readExecutionPlan } from "../plan/read-execution-plan";
import type { ExecutionContext, ExecutorDeps } from "./execution-context";

/** What the job knows before the plan and the environment are read. */
export type ExecutionContextInput = Pick<ExecutionContext, "deps" | "task" | "approval" | "settings" | "dryRun" | "workspace" | "state" | "signal" | "logger">;

/** The approved PLAN.md, read at the approved commit, and proven unchanged on the branch since. */
async function readApprovedPlan(deps: ExecutorDeps, task: TaskRecord, workspace: Workspace): Promise<string> {
  const planSha = task.planSha!;
  if (!(await deps.workspaces.isAncestor(workspace.path, planSha))) throw new FixlineError("APPROVAL_INVALID", `the approved plan commit ${planSha.slice(0, 7)} is not on ${task.branch}`);
  const planMarkdown = await deps.workspaces.fileAtRef(workspace.path, planSha, "PLAN.md");
  const planNow = await deps.workspaces.fileAtRef(workspace.path, "HEAD", "PLAN.md");
  if (planMarkdown === null) throw new FixlineError("APPROVAL_INVALID", `the approved commit ${planSha.slice(0, 7)} has no PLAN.md`);
  if (planNow !== planMarkdown) throw new FixlineError("APPROVAL_INVALID", "PLAN.md changed on the branch after it was approved; approve the current plan again");
  return planMarkdown;
}

/** Everything a phase needs, built once per job from the approved plan and the repository's environment. */
export async function buildExecutionContext(input: ExecutionContextInput): Promise<ExecutionContext> {
  const { deps, task, settings, workspace, logger } = input;
  const planMarkdown = await readApprovedPlan(deps, task, workspace);
  const plan = readExecutionPlan(planMarkdown);
  const environment = await resolveEnvironment({ worktree: workspace.path, repo: task.repo, settings, planTestCommand: plan.testCommand });
  if (!environment.testCommand) throw new FixlineError("TEST_COMMAND_NOT_FOUND", `no test command for ${task.repo}: none configured, none in PLAN.md, none detected`);
  return {
    ...input,
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
      pathEnv: deps.config.inheritedEnv.PATH,
      homeDir: deps.config.inheritedEnv.HOME,
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
  };
}
