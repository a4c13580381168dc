import { FixlineError, hasPullRequest, type Logger } from "@fixline/core";
import { appendWouldHaveSent, type TaskRecord, type WouldHaveSent } from "@fixline/db";
import type { Workspace } from "@fixline/git";
import type { ExecutorDeps } from "./execution-context";

/**
 * Everything the executor sends off the machine: git pushes and the pull request (body, ready for review).
 * Messages meant for people (failures, warnings) are the notify worker's alone, so each is said once. In a dry run (repoSettings(...).dryRun) each is recorded on the task's data.wouldHaveSent and
 * logged instead; the local work (setup, agent, verification, commits) still happens.
 */
export interface OutboundContext {
  deps: ExecutorDeps;
  task: TaskRecord;
  workspace: Workspace | undefined;
  dryRun: boolean;
  logger: Logger;
}

function pullRequestTarget(task: TaskRecord): string {
  if (task.prUrl) return task.prUrl;
  // The planning agent's dry run names the would-be PR by its head, the same way.
  return hasPullRequest(task) ? `${task.repo}#${task.prNumber}` : `${task.repo}:${task.branch ?? "(no branch)"}`;
}

/** Records a held-back action (summary in the imperative, as the planning agent writes them) once: a resumed job does not repeat an identical record. */
async function recordDryRun(context: OutboundContext, record: WouldHaveSent): Promise<void> {
  context.logger.info({ dryRun: true, channel: record.channel, action: record.action, target: record.target }, `dry run: would have sent: ${record.summary}`);
  await appendWouldHaveSent(context.deps.db, context.task.id, record, { once: true });
}

/** Pushes the task branch (its current commit). */
export async function pushBranch(context: OutboundContext): Promise<void> {
  const { deps, workspace } = context;
  if (!workspace) return;
  if (!context.dryRun) {
    await deps.workspaces.push(workspace.path, workspace.branch);
    return;
  }
  const head = await deps.workspaces.headSha(workspace.path);
  await recordDryRun(context, { channel: "git", action: "push", target: `${context.task.repo}:${workspace.branch}`, summary: `push ${workspace.branch} at ${head.slice(0, 12)}` });
}

/**
 * Keeps unverified work where the pull request does not show it (issue 15): a force-push of `sha` to
 * refs/fixline/<task>/wip, which `@agent retry` resumes from. Returns the ref.
 */
export async function pushWipRef(context: OutboundContext, sha: string): Promise<string> {
  const { deps, workspace, task } = context;
  const ref = wipRefOf(task.id);
  if (!workspace) return ref;
  if (!context.dryRun) {
    await deps.workspaces.pushRef(workspace.path, sha, ref);
    return ref;
  }
  await recordDryRun(context, { channel: "git", action: "push", target: `${task.repo}:${ref}`, summary: `push the unverified work to ${ref} at ${sha.slice(0, 12)}` });
  return ref;
}

/** Where a task's unverified work is kept on the remote: outside refs/heads, so no pull request shows it. */
export function wipRefOf(taskId: string): string {
  return `refs/fixline/${taskId}/wip`;
}

/**
 * The evidence into the PR body (the planning part kept) and the PR out of draft. Returns the PR's URL (null
 * in a dry run without a pull request).
 */
export async function publishOnPullRequest(context: OutboundContext, withSection: (body: string | null) => string): Promise<string | null> {
  const { deps, task } = context;
  if (context.dryRun) {
    const target = pullRequestTarget(task);
    await recordDryRun(context, { channel: "github", action: "update_pr_body", target, summary: "put the evidence section into the pull request body" });
    await recordDryRun(context, { channel: "github", action: "mark_ready", target, summary: "mark the pull request ready for review" });
    return task.prUrl;
  }
  if (!hasPullRequest(task)) throw new FixlineError("INTERNAL", `task ${task.id} has no pull request to publish the evidence on`);
  const pr = await deps.github.getPullRequest(task.repo, task.prNumber);
  await deps.github.updatePullRequest({ repo: task.repo, number: pr.number, body: withSection(pr.body) });
  if (pr.draft) await deps.github.markReadyForReview(task.repo, pr.number);
  return pr.url;
}
