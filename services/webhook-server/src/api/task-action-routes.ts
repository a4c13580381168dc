import type { FastifyInstance } from "fastify";
import { parseBudgetAmount } from "@fixline/core";
import { findTaskByIdPrefix } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { applyTaskCommand, type TaskCommand } from "../commands/task-commands";
import { describeZodError, sendApiError } from "./api-errors";
import { actionBodies, taskActions, type TaskAction } from "./api-schemas";
import { assertedIdentityMessage, requestActor } from "./request-actor";
import { taskJson } from "./task-json";

function toCommand(action: TaskAction, body: Record<string, string | undefined>): TaskCommand {
  switch (action) {
    case "approve":
      return {
        kind: "approve",
        instructions: body.instructions || undefined,
        ...(body.planSha ? { seen: { planSha: body.planSha } } : {}),
        // Issue 21: the dashboard's and API's `budget=…`, parsed like the PR comment's.
        ...(body.budget ? { budget: parseBudgetAmount(body.budget) ?? { kind: "invalid" as const, text: body.budget } } : {}),
      };
    case "reject":
      // A reject without a SHA is bound to nothing and refused like an unbound approval.
      return { kind: "reject", feedback: body.feedback || undefined, ...(body.planSha ? { seen: { planSha: body.planSha } } : {}) };
    case "retry":
      return { kind: "retry" };
    case "cancel":
      return { kind: "cancel", reason: body.reason || undefined };
    default: {
      const never: never = action;
      throw new Error(`unknown action ${String(never)}`);
    }
  }
}

/**
 * POST /api/tasks/:id/{approve,reject,retry,cancel}: the same command path as `@agent ...` PR comments,
 * so the same people may do the same things. Outcomes map to 200 / 403 / 409 / 404.
 */
export async function taskActionRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  for (const action of taskActions) {
    app.post<{ Params: { id: string } }>(`/api/tasks/:id/${action}`, async (request, reply) => {
      const parsed = actionBodies[action].safeParse(request.body ?? {});
      if (!parsed.success) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", describeZodError(parsed.error));
      const body = parsed.data as Record<string, string | undefined>;
      if (request.headers["x-fixline-user"] !== undefined) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", assertedIdentityMessage);
      const who = requestActor(request);
      if (!who.ok) return sendApiError(reply, 401, "UNAUTHORIZED", who.message);
      const task = await findTaskByIdPrefix(deps.db, request.params.id);
      if (!task) return sendApiError(reply, 404, "TASK_NOT_FOUND", `No task ${request.params.id}; fixline tasks lists them.`);

      const result = await applyTaskCommand(
        { db: deps.db, checkPermission: deps.checkPermission, logger: deps.logger, redis: deps.redis, operatorMayApprove: deps.config.file.operator.mayApprove, knownRepos: Object.keys(deps.config.file.repos) },
        { taskId: task.id, command: toCommand(action, body), actor: who.actor },
      );
      switch (result.outcome) {
        case "applied":
          return { task: taskJson(result.task), ...(result.approvalId ? { approvalId: result.approvalId } : {}) };
        case "refused":
          return sendApiError(reply, 403, "FORBIDDEN", result.message);
        case "conflict":
          return sendApiError(reply, 409, result.planChanged ? "PLAN_CHANGED" : "ILLEGAL_TRANSITION", result.message);
        case "not_found":
          return sendApiError(reply, 404, "TASK_NOT_FOUND", result.message);
        default: {
          const never: never = result;
          throw new Error(`unknown outcome ${JSON.stringify(never)}`);
        }
      }
    });
  }
}
