import type { TaskRecord } from "@fixline/db";
import { findTaskByPullRequest, listRevertCandidates, recordClosedUnmerged, recordMerged, recordReverted, type OutcomeOptions } from "@fixline/db";
import type { WebhookOutcome } from "../http/webhook-outcome";
import { recordIgnored } from "../sources/ingest";
import type { WebhookContext } from "../sources/webhook-context";
import { revertedPullNumber, revertedShas, revertsFix } from "./revert-detection";

type Delivery = { source: string; deliveryId: string; event: string };

export function outcomeOptions(ctx: WebhookContext, via: OutcomeOptions["via"]): OutcomeOptions {
  return { knownRepos: Object.keys(ctx.deps.config.file.repos), via };
}

function greenCommitOf(task: TaskRecord): string | undefined {
  const green = task.evidence?.["greenCommit"];
  return typeof green === "string" ? green : undefined;
}

/**
 * A `pull_request.closed` for a completed task's PR (merged or not), or for any merged PR that is the
 * revert of one of ours. The delivery row is written first: a redelivery is a duplicate before it reads
 * anything; the guarded UPDATEs make a second write of the same fact (the reconcile) a no-op too.
 */
export async function recordPullRequestOutcome(
  ctx: WebhookContext,
  delivery: Delivery,
  repo: string,
  task: TaskRecord | undefined,
  pull: { number: number; merged?: boolean | null | undefined; merged_at?: string | null | undefined; merge_commit_sha?: string | null | undefined; title?: string | null | undefined; body?: string | null | undefined },
): Promise<WebhookOutcome> {
  const { db } = ctx.deps;
  const options = outcomeOptions(ctx, "webhook");
  if (task) {
    const outcome = await recordIgnored(ctx, delivery, `outcome of ${repo}#${pull.number} recorded on task ${task.id}`);
    if (outcome.outcome === "duplicate") return outcome;
    const changed =
      pull.merged === true
        ? await recordMerged(db, { taskId: task.id, mergedAt: pull.merged_at ? new Date(pull.merged_at) : new Date(), mergeCommitSha: pull.merge_commit_sha ?? null }, options)
        : await recordClosedUnmerged(db, { taskId: task.id }, options);
    ctx.log.info({ taskId: task.id, merged: pull.merged === true, changed }, "pull request outcome");
    return changed ? outcome : { outcome: "ignored", reason: `task ${task.id} already has this outcome` };
  }
  const revertedNumber = pull.merged === true ? revertedPullNumber(repo, pull) : undefined;
  if (revertedNumber === undefined) return recordIgnored(ctx, delivery, `no open task for ${repo}#${pull.number}`);
  const target = await findTaskByPullRequest(db, repo, revertedNumber);
  if (!target) return recordIgnored(ctx, delivery, `${repo}#${pull.number} reverts #${revertedNumber}, which Fixline did not open`);
  const outcome = await recordIgnored(ctx, delivery, `${repo}#${pull.number} reverts task ${target.id}`);
  if (outcome.outcome === "duplicate") return outcome;
  await recordReverted(db, { taskId: target.id, revertedBy: `#${pull.number}`, windowDays: ctx.deps.config.file.defaults.revertWindowDays }, options);
  return outcome;
}

/** A push to the default branch: each commit whose message reverts a merged fix inside the window marks it reverted. */
export async function recordRevertCommits(ctx: WebhookContext, delivery: Delivery, repo: string, commits: Array<{ id: string; message: string }>): Promise<WebhookOutcome> {
  const reverts = commits.flatMap((commit) => revertedShas(commit.message).map((sha) => ({ by: commit.id, sha })));
  const outcome = await recordIgnored(ctx, delivery, reverts.length ? `push with ${reverts.length} revert(s)` : "push without reverts");
  if (outcome.outcome === "duplicate" || reverts.length === 0) return outcome;
  const windowDays = ctx.deps.config.file.defaults.revertWindowDays;
  const candidates = await listRevertCandidates(ctx.deps.db, repo, windowDays);
  for (const revert of reverts) {
    const task = candidates.find((candidate) => revertsFix(revert.sha, { mergeCommitSha: candidate.mergeCommitSha, greenCommit: greenCommitOf(candidate) }));
    if (!task) continue;
    const changed = await recordReverted(ctx.deps.db, { taskId: task.id, revertedBy: revert.by, windowDays }, outcomeOptions(ctx, "webhook"));
    ctx.log.info({ taskId: task.id, revertedBy: revert.by, changed }, "fix reverted on the default branch");
  }
  return outcome;
}
