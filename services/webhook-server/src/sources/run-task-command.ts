import { FixlineError, type Actor } from "@fixline/core";
import { forgetDelivery, insertOutboxJobs, recordDelivery, setDeliveryOutcome, signalOutbox, type DeliveryKey } from "@fixline/db";
import type { CommandReply } from "@fixline/queue";
import { applyTaskCommand, type PermissionChecker, type TaskCommand } from "@fixline/tasks";
import type { SlackReply, WebhookOutcome } from "../http/webhook-outcome";
import type { WebhookContext } from "./webhook-context";

/** GitHub must answer within 10 s in total; the permission check gets a slice of that. */
export const permissionCheckTimeoutMs = 3_000;

/**
 * The permission check is the one outside call in the request path (it must happen before a command
 * counts). A slow or failing GitHub becomes INTEGRATION_FAILED, answered 503.
 */
export function withTimeout(check: PermissionChecker, timeoutMs = permissionCheckTimeoutMs): PermissionChecker {
  return async (repo, login) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        check(repo, login),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      throw new FixlineError("INTEGRATION_FAILED", `could not check ${login}'s permission on ${repo}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

export interface RunTaskCommandRequest {
  delivery: DeliveryKey;
  taskId: string;
  command: TaskCommand;
  actor: Actor & { login: string };
  /** Extra facts for the refusal reply (the PR comment id, Slack response_url...). */
  replyDetails?: CommandReply;
  /** Builds the Slack answer, when the door is Slack. */
  slackReply?: (text: string) => SlackReply;
}

/**
 * Applies a human command through the shared command path, once per delivery. The delivery row is
 * written first (so concurrent copies collapse) and removed again if the permission check could not be
 * made, so a redelivery can still count. Refusals and conflicts get a reply through a notify job.
 */
export async function runTaskCommand(ctx: WebhookContext, request: RunTaskCommandRequest): Promise<WebhookOutcome> {
  const { db, redis } = ctx.deps;
  const fresh = await recordDelivery(db, request.delivery, "command");
  if (!fresh) return { outcome: "duplicate", taskId: null };
  const command = request.command.kind;
  let result;
  try {
    result = await applyTaskCommand(
      { db, redis, logger: ctx.log, checkPermission: withTimeout(ctx.deps.checkPermission), knownRepos: Object.keys(ctx.deps.config.file.repos) },
      { taskId: request.taskId, command: request.command, actor: request.actor },
    );
  } catch (error) {
    await forgetDelivery(db, request.delivery).catch(() => {});
    throw error;
  }
  const reply = (text: string): { reply?: SlackReply } => (request.slackReply ? { reply: request.slackReply(text) } : {});
  switch (result.outcome) {
    case "applied":
      await setDeliveryOutcome(db, request.delivery, "command_applied", result.task.id);
      return { outcome: "command_applied", taskId: result.task.id, command, ...reply(`${command} recorded for task ${result.task.id.slice(0, 8)} (now ${result.task.state}).`) };
    case "refused":
    case "conflict": {
      await setDeliveryOutcome(db, request.delivery, result.outcome === "refused" ? "command_refused" : "command_conflict", result.task.id);
      if (await answerQuietly(ctx, request)) {
        return result.outcome === "refused"
          ? { outcome: "command_refused", taskId: result.task.id, command, message: result.message }
          : { outcome: "command_conflict", taskId: result.task.id, command, message: result.message };
      }
      await insertOutboxJobs(db, [
        {
          queue: "notify",
          data: { taskId: result.task.id, event: "command_refused", details: { login: request.actor.login, command, message: result.message, ...request.replyDetails } },
        },
      ]);
      signalOutbox(db);
      return result.outcome === "refused"
        ? { outcome: "command_refused", taskId: result.task.id, command, message: result.message, ...reply(result.message) }
        : { outcome: "command_conflict", taskId: result.task.id, command, message: result.message, ...reply(result.message) };
    }
    case "not_found":
      await setDeliveryOutcome(db, request.delivery, "ignored");
      return { outcome: "ignored", reason: result.message, ...reply(`No task ${request.taskId}.`) };
    default: {
      const never: never = result;
      throw new Error(`unknown command outcome ${JSON.stringify(never)}`);
    }
  }
}

/** One refusal comment per user per pull request per hour; after that, a reaction on their comment (issue 16). */
export const refusalCommentWindowSeconds = 3600;

/**
 * Whether a refused PR comment is answered with a reaction instead of another comment: true when this
 * user already got a refusal comment on this pull request within the hour (the mark lives in Redis, shared
 * by replicas). Where Redis or GitHub cannot be asked, it falls back to the comment.
 */
async function answerQuietly(ctx: WebhookContext, request: RunTaskCommandRequest): Promise<boolean> {
  const { repo, prNumber, commentId } = request.replyDetails ?? {};
  const github = ctx.deps.github;
  if (request.actor.via !== "github" || repo === undefined || prNumber === undefined || commentId === undefined || !github) return false;
  const key = `${ctx.deps.config.queuePrefix}:refusal-comment:${repo}#${prNumber}:${request.actor.login.toLowerCase()}`;
  let first: boolean;
  try {
    first = (await ctx.deps.redis.set(key, "1", "EX", refusalCommentWindowSeconds, "NX")) === "OK";
  } catch {
    return false;
  }
  if (first) return false;
  // Not awaited: the webhook answers now; a reaction that fails is only a missed nicety.
  void github.addCommentReaction(repo, commentId, "-1").catch((error: unknown) => ctx.log.warn({ err: (error as Error).message, repo, commentId }, "could not react to a refused command"));
  ctx.log.info({ repo, prNumber, login: request.actor.login }, "refused command answered with a reaction (already told within the hour)");
  return true;
}
