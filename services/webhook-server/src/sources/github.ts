import { z } from "zod";
import { FixlineError, finalStates, isFixlineError, type TaskState } from "@fixline/core";
import { appendTaskEvent, findTaskByPullRequest, findTaskBySourceKey, setDeliveryOutcome, transition } from "@fixline/db";
import { recordPullRequestOutcome, recordRevertCommits } from "../outcomes/record-outcome";
import { parseAgentComment } from "@fixline/tasks";
import type { WebhookOutcome } from "../http/webhook-outcome";
import { headerValue } from "../verify/header-value";
import { deliveryId } from "./delivery-id";
import { ingest, recordIgnored } from "./ingest";
import { decodeUtf8, parseFormBody, parseValue } from "./parse-body";
import { runTaskCommand } from "./run-task-command";
import type { WebhookContext } from "./webhook-context";

const user = z.object({ login: z.string(), type: z.string().optional() });
const repository = z.object({ full_name: z.string().regex(/^[\w.-]+\/[\w.-]+$/) });
const label = z.object({ name: z.string() });

const issuesSchema = z.object({
  action: z.string(),
  label: label.nullish(),
  issue: z.object({
    number: z.number().int(),
    title: z.string(),
    body: z.string().nullish(),
    html_url: z.string().optional(),
    user: user.nullish(),
    labels: z.array(label).default([]),
    pull_request: z.unknown().optional(),
  }),
  repository,
  sender: user.optional(),
  changes: z.record(z.string(), z.unknown()).optional(),
});

const issueCommentSchema = z.object({
  action: z.string(),
  issue: z.object({ number: z.number().int(), pull_request: z.unknown().optional() }),
  comment: z.object({ id: z.number(), body: z.string().nullish(), user: user.nullish(), created_at: z.string().datetime({ offset: true }).optional() }),
  repository,
  sender: user,
});

const pullRequestSchema = z.object({
  action: z.string(),
  number: z.number().int().optional(),
  pull_request: z.object({
    number: z.number().int(),
    merged: z.boolean().nullish(),
    merged_at: z.string().datetime({ offset: true }).nullish(),
    merge_commit_sha: z.string().regex(/^[0-9a-f]{40}$/).nullish(),
    title: z.string().nullish(),
    body: z.string().nullish(),
  }),
  repository,
  sender: user.optional(),
});

const pushSchema = z.object({
  ref: z.string(),
  commits: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{40}$/), message: z.string() })).default([]),
  repository: repository.extend({ default_branch: z.string() }),
});

/** GitHub sends JSON, or `payload=<json>` when the webhook's content type is form-encoded. */
function githubPayload(ctx: WebhookContext): unknown {
  const text = headerValue(ctx.headers, "content-type")?.startsWith("application/x-www-form-urlencoded")
    ? (parseFormBody(ctx.rawBody, "GitHub webhook").get("payload") ?? "")
    : decodeUtf8(ctx.rawBody, "GitHub webhook");
  try {
    return JSON.parse(text);
  } catch {
    throw new FixlineError("PAYLOAD_MALFORMED", "GitHub webhook: the body is not valid JSON");
  }
}

/**
 * GitHub: labelled issues start tasks (`github:<owner/repo>#<n>`), `@agent` comments on Fixline's PRs
 * are commands (permission checked first), a closed PR closes its task, ping and unknown events are
 * answered 200 and recorded as ignored.
 */
export async function handleGitHub(ctx: WebhookContext): Promise<WebhookOutcome> {
  const event = headerValue(ctx.headers, "x-github-event") ?? "unknown";
  const payload = githubPayload(ctx);
  const action = typeof (payload as { action?: unknown })?.action === "string" ? (payload as { action: string }).action : undefined;
  const delivery = { source: "github", deliveryId: deliveryId(ctx.headers, "x-github-delivery", ctx.rawBody), event: action ? `${event}.${action}` : event };
  const triggerLabel = ctx.deps.config.file.defaults.triggerLabel;

  switch (event) {
    case "issues": {
      const data = parseValue(payload, issuesSchema, "GitHub issues webhook");
      if (data.action === "edited") return recordSourceEdit(ctx, delivery, data.repository.full_name, data.issue.number, data.sender?.login, Object.keys(data.changes ?? {}));
      const labelled =
        (data.action === "labeled" && data.label?.name === triggerLabel) || ((data.action === "opened" || data.action === "reopened") && data.issue.labels.some((l) => l.name === triggerLabel));
      if (!labelled || data.issue.pull_request) return recordIgnored(ctx, delivery, `issues.${data.action} without the "${triggerLabel}" label`);
      const repo = data.repository.full_name;
      const issue = data.issue;
      return ingest(ctx, {
        delivery,
        source: "github",
        sourceKey: `github:${repo}#${issue.number}`,
        repo,
        title: issue.title,
        context: {
          ...(issue.body ? { description: issue.body } : {}),
          github: {
            issueNumber: issue.number,
            title: issue.title,
            ...(issue.body ? { body: issue.body } : {}),
            ...(issue.html_url ? { url: issue.html_url } : {}),
            ...(issue.user?.login ? { author: issue.user.login } : {}),
          },
        },
        requester: { via: "github", ...(data.sender ? { name: data.sender.login } : {}) },
      });
    }
    case "issue_comment": {
      const data = parseValue(payload, issueCommentSchema, "GitHub issue_comment webhook");
      if (data.action !== "created" || !data.issue.pull_request) return recordIgnored(ctx, delivery, "not a new comment on a pull request");
      // Our own replies (and other bots) must never be read back as commands.
      if (data.sender.type === "Bot") return recordIgnored(ctx, delivery, "comment by a bot");
      // With a personal access token our replies come from a normal user account; every comment Fixline
      // writes carries its hidden marker, and text quoting `@agent retry` must never run as a command.
      if ((data.comment.body ?? "").includes("<!-- fixline:")) return recordIgnored(ctx, delivery, "Fixline's own comment");
      const command = parseAgentComment(data.comment.body ?? "");
      if (!command) return recordIgnored(ctx, delivery, "comment without an @agent command");
      const repo = data.repository.full_name;
      const task = await findTaskByPullRequest(ctx.deps.db, repo, data.issue.number);
      if (!task) return recordIgnored(ctx, delivery, `${repo}#${data.issue.number} is not a pull request Fixline opened`);
      // A comment is a command once: keyed by its id, a captured comment re-sent under a fresh
      // X-GitHub-Delivery finds it already used (issue 16). Edits arrive as `edited` and were ignored above.
      const commentDelivery = { source: "github-comment", deliveryId: `${repo}#${data.comment.id}`, event: delivery.event };
      // The comment approves the plan that was current when it was written, not whatever is current now.
      // GitHub always sends created_at; a signed payload without one is bound to its arrival (a replay of it
      // is stopped by the comment id above, not by this).
      const at = data.comment.created_at ? new Date(data.comment.created_at) : new Date(ctx.deps.nowMs?.() ?? Date.now());
      const bound = command.kind === "approve" || command.kind === "reject" ? { ...command, seen: { at } } : command;
      return runTaskCommand(ctx, {
        delivery: commentDelivery,
        taskId: task.id,
        command: bound,
        actor: { via: "github", login: data.sender.login },
        replyDetails: { commentId: data.comment.id, repo, prNumber: data.issue.number },
      });
    }
    case "pull_request": {
      const data = parseValue(payload, pullRequestSchema, "GitHub pull_request webhook");
      if (data.action !== "closed") return recordIgnored(ctx, delivery, `pull_request.${data.action} needs nothing`);
      const repo = data.repository.full_name;
      const task = await findTaskByPullRequest(ctx.deps.db, repo, data.pull_request.number);
      // Issue 21: after `completed` a closed PR is an outcome (merged or not), and a merged PR may be a revert of one of ours.
      if (!task || task.state === "completed") return recordPullRequestOutcome(ctx, delivery, repo, task, data.pull_request);
      if (finalStates.includes(task.state)) return recordIgnored(ctx, delivery, `no open task for ${repo}#${data.pull_request.number}`);
      return closeTask(ctx, delivery, task.id, task.state, data.sender?.login, data.pull_request.merged === true);
    }
    case "push": {
      const data = parseValue(payload, pushSchema, "GitHub push webhook");
      if (data.ref !== `refs/heads/${data.repository.default_branch}`) return recordIgnored(ctx, delivery, "push to a branch other than the default branch");
      return recordRevertCommits(ctx, delivery, data.repository.full_name, data.commits);
    }
    default:
      // ping, and every event we did not subscribe to on purpose: 200 so GitHub shows a green delivery.
      return recordIgnored(ctx, delivery, event === "ping" ? "ping" : `GitHub ${event} events need nothing`);
  }
}

/**
 * An issue edited after it became a task (issue 16): the task keeps the text it was triggered with (its
 * context is a snapshot, and planning reads the snapshot), and the edit is put on the task's timeline so
 * a person sees it and decides (re-run with the new text, or not). Nothing changes silently.
 */
async function recordSourceEdit(
  ctx: WebhookContext,
  delivery: { source: string; deliveryId: string; event: string },
  repo: string,
  issueNumber: number,
  login: string | undefined,
  changed: string[],
): Promise<WebhookOutcome> {
  const task = await findTaskBySourceKey(ctx.deps.db, `github:${repo}#${issueNumber}`);
  if (!task) return recordIgnored(ctx, delivery, "issues.edited for an issue that is not a task");
  const outcome = await recordIgnored(ctx, delivery, `edit of ${repo}#${issueNumber} recorded on task ${task.id}; the task keeps its original text`);
  if (outcome.outcome === "duplicate") return outcome;
  await appendTaskEvent(ctx.deps.db, { taskId: task.id, type: "source_edited", actor: { via: "github", ...(login ? { login } : {}) }, data: { changed, note: "the task keeps the text it was triggered with" }, state: task.state });
  ctx.log.info({ taskId: task.id, changed }, "source issue edited after the task was created; recorded, prompt unchanged");
  return outcome;
}

async function closeTask(
  ctx: WebhookContext,
  delivery: { source: string; deliveryId: string; event: string },
  taskId: string,
  state: TaskState,
  login: string | undefined,
  merged: boolean,
): Promise<WebhookOutcome> {
  const { db } = ctx.deps;
  // The delivery row and the transition are separate statements; a redelivery finds the task already closed.
  const outcome = await recordIgnored(ctx, delivery, "pull request closed");
  if (outcome.outcome === "duplicate") return outcome;
  try {
    await transition(db, {
      taskId,
      expected: state,
      event: { type: "pr_closed" },
      actor: { via: "github", ...(login ? { login } : {}) },
      data: { merged },
      jobs: [{ queue: "notify", data: { taskId, event: "cancelled", details: { by: login ?? "github", reason: "pull request closed" } } }],
    });
  } catch (error) {
    if (isFixlineError(error, "STALE_STATE") || isFixlineError(error, "ILLEGAL_TRANSITION")) return { outcome: "ignored", reason: error.message };
    throw error;
  }
  await setDeliveryOutcome(db, delivery, "closed", taskId);
  return { outcome: "closed", taskId };
}
