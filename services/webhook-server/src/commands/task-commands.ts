import type { Redis } from "ioredis";
import { isFixlineError, type Actor, type Logger } from "@fixline/core";
import { currentApproval, getTask, recordApproval, transition, appendTaskEvent, type FixlineDb, type TaskRecord } from "@fixline/db";
import { metrics } from "@fixline/observability";
import type { JobRequest } from "@fixline/queue";

export type TaskCommand =
  | { kind: "approve"; instructions?: string | undefined }
  | { kind: "reject"; feedback?: string | undefined }
  | { kind: "retry" }
  | { kind: "cancel"; reason?: string | undefined };

export type RepoPermission = "admin" | "write" | "read" | "none";
export type PermissionChecker = (repo: string, login: string) => Promise<RepoPermission>;

export interface TaskCommandDeps {
  db: FixlineDb;
  checkPermission: PermissionChecker;
  logger: Logger;
  /** Publishes cancellations to workers running the task (channel `fixline:cancel`). */
  redis?: Redis | undefined;
}

export type TaskCommandOutcome =
  | { outcome: "applied"; task: TaskRecord; approvalId?: string }
  | { outcome: "refused"; task: TaskRecord; permission: RepoPermission; message: string }
  | { outcome: "conflict"; task: TaskRecord; message: string }
  | { outcome: "not_found"; message: string };

export const cancelChannel = "fixline:cancel";

/**
 * The one place a human decision about a task is applied, whatever door it came through (PR comment,
 * Slack button, REST API, CLI). Permission is checked before anything counts: only `admin` or `write`
 * on the task's repository. A refused command leaves an event on the task and a polite reply, and
 * moves nothing.
 */
export async function applyTaskCommand(
  deps: TaskCommandDeps,
  request: { taskId: string; command: TaskCommand; actor: Actor & { login: string } },
): Promise<TaskCommandOutcome> {
  const { db, logger } = deps;
  const { command, actor } = request;
  const task = await getTask(db, request.taskId);
  if (!task) return { outcome: "not_found", message: `no task ${request.taskId}` };
  const log = logger.child({ taskId: task.id, command: command.kind, via: actor.via });

  const permission = await deps.checkPermission(task.repo, actor.login);
  if (permission !== "admin" && permission !== "write") {
    const message = `@${actor.login} needs write access to ${task.repo} to ${command.kind} this task (they have ${permission}); nothing was changed.`;
    await appendTaskEvent(db, { taskId: task.id, type: "command_refused", actor: { ...actor }, data: { command: command.kind, permission }, state: task.state });
    log.warn({ permission }, "command refused: insufficient repository permission");
    metrics.errors.inc({ type: "FORBIDDEN" });
    return { outcome: "refused", task, permission, message };
  }

  try {
    switch (command.kind) {
      case "approve": {
        if (task.state !== "awaiting_approval" || !task.planSha) {
          return { outcome: "conflict", task, message: `task is ${task.state}; only a plan awaiting approval can be approved` };
        }
        const { approval } = await recordApproval(db, { taskId: task.id, planSha: task.planSha, actor, instructions: command.instructions ?? null });
        const moved = await transition(db, {
          taskId: task.id,
          expected: "awaiting_approval",
          event: { type: "approve", planSha: task.planSha },
          actor,
          data: { approvalId: approval.id, ...(command.instructions ? { instructions: command.instructions } : {}) },
          jobs: [
            { queue: "execution", data: { taskId: task.id, approvalId: approval.id } },
            { queue: "notify", data: { taskId: task.id, event: "approved", details: { by: actor.login, via: actor.via } } },
          ],
        });
        metrics.approvals.inc({ via: actor.via, decision: "approve" });
        if (task.planReadyAt) metrics.approvalWait.observe((Date.now() - task.planReadyAt.getTime()) / 1000);
        return { outcome: "applied", task: moved, approvalId: approval.id };
      }
      case "reject": {
        const feedback = command.feedback?.trim();
        const jobs: JobRequest[] = feedback
          ? [
              { queue: "planning", data: { taskId: task.id, feedback } },
              { queue: "notify", data: { taskId: task.id, event: "plan_rejected", details: { by: actor.login, replanning: true } } },
            ]
          : [{ queue: "notify", data: { taskId: task.id, event: "plan_rejected", details: { by: actor.login, replanning: false } } }];
        const moved = await transition(db, { taskId: task.id, expected: "awaiting_approval", event: { type: "reject", ...(feedback ? { feedback } : {}) }, actor, jobs });
        metrics.approvals.inc({ via: actor.via, decision: "reject" });
        return { outcome: "applied", task: moved };
      }
      case "retry": {
        if (task.state !== "failed") return { outcome: "conflict", task, message: `task is ${task.state}; only a failed task can be retried` };
        // Resume from the last proven phase: with a standing approval of the current plan, execution again.
        const approval = task.planSha ? await currentApproval(db, task.id, task.planSha) : undefined;
        const jobs: JobRequest[] = approval
          ? [{ queue: "execution", data: { taskId: task.id, approvalId: approval.id } }]
          : [{ queue: "planning", data: { taskId: task.id } }];
        const moved = await transition(db, { taskId: task.id, expected: "failed", event: { type: "retry" }, actor, jobs });
        return { outcome: "applied", task: moved };
      }
      case "cancel": {
        const moved = await transition(db, {
          taskId: task.id,
          expected: task.state,
          event: { type: "cancel", ...(command.reason ? { reason: command.reason } : {}) },
          actor,
          jobs: [{ queue: "notify", data: { taskId: task.id, event: "cancelled", details: { by: actor.login } } }],
        });
        // Workers running this task abort their Claude run (and its process group) at once.
        await deps.redis?.publish(cancelChannel, task.id).catch((error: unknown) => log.warn({ err: (error as Error).message }, "could not publish cancellation"));
        return { outcome: "applied", task: moved };
      }
      default: {
        const never: never = command;
        throw new Error(`unknown command ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    if (isFixlineError(error, "ILLEGAL_TRANSITION") || isFixlineError(error, "STALE_STATE")) {
      return { outcome: "conflict", task: (await getTask(db, task.id)) ?? task, message: error.message };
    }
    throw error;
  }
}

/** Parses `@agent <verb> [text]` from a PR comment body; anything else is not a command. */
export function parseAgentComment(body: string): TaskCommand | undefined {
  const match = /^\s*@agent\s+(approve|reject|retry|cancel)\b[ \t]*([\s\S]*)$/im.exec(body);
  if (!match) return undefined;
  const verb = match[1]!.toLowerCase();
  const rest = (match[2] ?? "").trim();
  switch (verb) {
    case "approve":
      return { kind: "approve", ...(rest ? { instructions: rest } : {}) };
    case "reject":
      return { kind: "reject", ...(rest ? { feedback: rest } : {}) };
    case "retry":
      return { kind: "retry" };
    default:
      return { kind: "cancel", ...(rest ? { reason: rest } : {}) };
  }
}
