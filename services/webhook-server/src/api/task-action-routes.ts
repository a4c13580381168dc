import { apiError, parseBudgetAmount, taskActionBodies, taskActionResultSchema, taskActions, taskIdParams, type TaskAction } from "@fixline/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { findTaskByIdPrefix } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { applyTaskCommand, type TaskCommand } from "@fixline/tasks";
import { sendApiError } from "./api-errors";
import type { ZodApi } from "./openapi-document";
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

/** A POST without a body is the empty one (`curl -X POST .../retry`); the schema then says what is missing. */
async function bodyOrEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}

const summaries: Record<TaskAction, string> = {
  approve: "Approve the plan awaiting approval (starts execution), or add budget to a task in waiting_budget (resumes it)",
  reject: "Reject the plan: with feedback it is re-planned, without it the task closes",
  retry: "Retry a failed task from its last proven phase",
  cancel: "Cancel the task (running agents are stopped)",
};

/**
 * POST /api/tasks/:id/{approve,reject,retry,cancel}: the same command path as `@agent ...` PR comments,
 * so the same people may do the same things. Outcomes map to 200 / 403 / 409 / 404.
 */
export async function taskActionRoutes(app: ZodApi, deps: AppDeps): Promise<void> {
  for (const action of taskActions) {
    const schema = {
      summary: summaries[action],
      tags: ["actions"],
      params: taskIdParams,
      headers: z.looseObject({ "x-fixline-client": z.enum(["cli"]).optional().describe("Labels the door (via: cli); names nobody") }),
      body: taskActionBodies[action],
      response: {
        200: taskActionResultSchema.describe("Applied"),
        400: apiError("A field is wrong (the message names it), or X-Fixline-User was sent (refused: identity comes from the credential)"),
        401: apiError("Missing or wrong credential"),
        403: apiError("The credential's GitHub login lacks write permission on the repository, or the operator token may not decide plans (operator.mayApprove)"),
        404: apiError("Unknown task"),
        409: apiError("The task's state does not allow this action (ILLEGAL_TRANSITION), or the plan changed: review the new one (PLAN_CHANGED)"),
      },
    };
    app.post(`/api/tasks/:id/${action}`, { schema, preValidation: bodyOrEmpty }, async (request, reply) => {
      const body: Record<string, string | undefined> = request.body;
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
