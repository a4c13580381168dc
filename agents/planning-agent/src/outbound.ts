import { dryRunPrNumber, planFile, type Logger } from "@fixline/core";
import type { TaskRecord } from "@fixline/db";
import type { GitHubClient } from "@fixline/integrations";
import type { PlanningDeps } from "./planning-deps";
import { recordDryRun } from "./record-dry-run";

/**
 * Everything the planner sends off the machine: the branch push, the draft PR (open or edit) and its label.
 * In a dry run (repoSettings(...).dryRun) each is recorded on the task's data.wouldHaveSent and logged instead,
 * and the task goes on exactly as after a real run (the same ending, record-plan-ready.ts).
 */
export interface PlanningOutbound {
  deps: PlanningDeps;
  task: TaskRecord;
  /** Undefined in a dry run: nothing may leave. Set otherwise (a real run without GitHub fails before). */
  github: GitHubClient | undefined;
  branch: string;
  baseBranch: string;
  logger: Logger;
}


const pullRequestLabel = "fixline";

/** The draft PR the plan is on; a dry run has none (number 0, no URL). */
export interface PlanPullRequest {
  number: number;
  url: string | null;
  created: boolean;
  dryRun: boolean;
}

/** Pushes the branch at the plan commit. */
export async function pushPlan(out: PlanningOutbound, worktree: string, planSha: string): Promise<void> {
  const { deps, task, branch } = out;
  if (out.github) {
    await deps.workspaces.push(worktree, branch);
    return;
  }
  await recordDryRun(deps.db, task.id, { channel: "git", action: "push", target: `${task.repo}:${branch}`, summary: `push ${branch} at ${planSha.slice(0, 7)} (adds ${planFile})` }, out.logger);
}

/** Opens the draft PR (or edits the one an earlier attempt opened) and labels it. */
export async function publishDraftPullRequest(out: PlanningOutbound, pr: { title: string; body: string; planSha: string }): Promise<PlanPullRequest> {
  const { deps, task, branch, baseBranch, github } = out;
  if (!github) {
    const short = pr.planSha.slice(0, 7);
    await recordDryRun(deps.db, task.id, { channel: "github", action: "open_draft_pr", target: `${task.repo}:${branch} -> ${baseBranch}`, summary: `open a draft PR "${pr.title}" for ${short}` }, out.logger);
    await recordDryRun(deps.db, task.id, { channel: "github", action: "add_labels", target: `${task.repo}:${branch}`, summary: `label the draft PR "${pullRequestLabel}"` }, out.logger);
    return { number: dryRunPrNumber, url: null, created: false, dryRun: true };
  }
  const { pullRequest, created } = await github.ensureDraftPullRequest({ repo: task.repo, head: branch, base: baseBranch, title: pr.title, body: pr.body });
  if (!created) await github.updatePullRequest({ repo: task.repo, number: pullRequest.number, title: pr.title, body: pr.body });
  await github.addLabels(task.repo, pullRequest.number, [pullRequestLabel]);
  return { number: pullRequest.number, url: pullRequest.url, created, dryRun: false };
}
