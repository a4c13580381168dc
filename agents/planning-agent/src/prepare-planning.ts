import { FixlineError, redactorFor, taskBranchName, type EffectiveRepoSettings, type Logger } from "@fixline/core";
import { repoSpentTodayUsd, taskSpentUsd, transition, updateTaskFields, type TaskRecord } from "@fixline/db";
import type { Workspace } from "@fixline/git";
import type { GitHubClient } from "@fixline/integrations";
import type { PlanningDeps } from "./planning-deps";

/** received -> planning, or planning again for a task whose earlier worker stopped. */
export async function startPlanning(deps: PlanningDeps, task: TaskRecord & { state: "received" | "planning" }, log: Logger): Promise<TaskRecord> {
  if (task.state === "planning") log.info("task was already planning (an earlier worker stopped); resuming");
  return transition(deps.db, { taskId: task.id, expected: task.state, event: { type: "plan_started" }, actor: { via: "system" } });
}

/** The repository's daily budget and the task's own, checked before any agent money is spent. */
export async function checkBudgets(deps: PlanningDeps, task: TaskRecord, settings: EffectiveRepoSettings): Promise<void> {
  const spentToday = await repoSpentTodayUsd(deps.db, task.repo);
  if (spentToday >= settings.budgets.perRepoPerDayUsd) {
    throw new FixlineError("BUDGET_EXHAUSTED", `${task.repo} has spent $${spentToday.toFixed(2)} today, its daily budget is $${settings.budgets.perRepoPerDayUsd.toFixed(2)}`);
  }
  const spentTask = await taskSpentUsd(deps.db, task.id);
  if (spentTask >= settings.budgets.perTaskUsd) {
    throw new FixlineError("BUDGET_EXHAUSTED", `the task has spent $${spentTask.toFixed(2)} of its $${settings.budgets.perTaskUsd.toFixed(2)} budget`);
  }
}

/**
 * The GitHub side: credentials that can push, and the base branch. A dry run reads (the repository, the issue)
 * but writes nothing outside this machine, so it needs neither GitHub credentials nor push access: that is how
 * a repository is tried out first.
 */
export async function checkRemote(deps: PlanningDeps, task: TaskRecord, settings: EffectiveRepoSettings, log: Logger): Promise<{ baseBranch: string | undefined }> {
  const { dryRun } = settings;
  const github: GitHubClient | undefined = deps.github;
  if (!github && !dryRun) throw new FixlineError("CONFIG_INVALID", "GitHub is not configured (GITHUB_TOKEN or GITHUB_APP_ID), so no pull request can be opened");
  const remote = github ? await github.getRepo(task.repo) : undefined;
  if (remote && !remote.permissions.push) {
    if (!dryRun) throw new FixlineError("REPO_NOT_FOUND", `the GitHub credentials can read ${task.repo} but not push to it`);
    log.warn("dry run: the GitHub credentials cannot push to this repository; a real run would fail with REPO_NOT_FOUND");
  }
  return { baseBranch: settings.defaultBranch ?? remote?.defaultBranch };
}

/** The task's worktree on its branch, cleared of what a run that died mid-way left: leftovers are not part of any plan. */
export async function prepareWorkspace(deps: PlanningDeps, task: TaskRecord, baseBranch: string | undefined): Promise<{ workspace: Workspace; branch: string }> {
  const { db, config, workspaces } = deps;
  // The branch name is published and slugged from a title a stranger wrote: from the redacted title (issue 14).
  const branch = task.branch ?? taskBranchName(task.id, redactorFor(config).redact(task.title));
  let workspace: Workspace;
  try {
    workspace = await workspaces.prepare({ taskId: task.id, repo: task.repo, branch, ...(baseBranch ? { baseBranch } : {}) });
  } catch (error) {
    if (error instanceof FixlineError && (error.code === "CLONE_FAILED" || error.code === "REPO_NOT_FOUND")) throw error;
    throw new FixlineError("CLONE_FAILED", `could not prepare the workspace for ${task.repo}: ${(error as Error).message}`, { cause: error });
  }
  if (task.branch !== branch) await updateTaskFields(db, task.id, { branch });
  await workspaces.discardChangesExcept(workspace.path, []);
  return { workspace, branch };
}
