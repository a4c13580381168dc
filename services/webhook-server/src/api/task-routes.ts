import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { findTaskByIdPrefix, getTask, ingestSignal, listAgentRuns, listTaskEvents, listTasks } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { renderPlan } from "../dashboard/render-plan";
import { describeZodError, sendApiError } from "./api-errors";
import { createTaskBody, decodeCursor, encodeCursor, listTasksQuery } from "./api-schemas";
import { withTimeout } from "../sources/run-task-command";
import { assertedIdentityMessage, requestActor } from "./request-actor";
import { taskBudgetJson } from "./task-budget";
import { eventJson, runJson, taskJson } from "./task-json";
import { poolOf } from "@fixline/core";
import { createPoolWaitCheck } from "@fixline/queue";

/** GET /api/tasks, GET /api/tasks/:id, POST /api/tasks. */
export async function taskRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const waits = createPoolWaitCheck(deps.queues, (repo) => poolOf(deps.config, repo));

  app.get("/api/tasks", async (request, reply) => {
    const parsed = listTasksQuery.safeParse(request.query ?? {});
    if (!parsed.success) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", describeZodError(parsed.error));
    const { cursor, limit, ...filters } = parsed.data;
    const before = cursor ? decodeCursor(cursor) : undefined;
    if (cursor && !before) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", "cursor: not a cursor this API returned");
    // One extra row tells whether another page exists.
    const tasks = await listTasks(db, { ...filters, limit: limit + 1, ...(before ? { before } : {}) });
    const page = tasks.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = tasks.length > limit && last ? encodeCursor({ createdAt: await exactCreatedAt(deps, last.id), id: last.id }) : null;
    return { tasks: await Promise.all(page.map(async (task) => taskJson(task, await waits.reason(task)))), nextCursor };
  });

  app.get<{ Params: { id: string } }>("/api/tasks/:id", async (request, reply) => {
    const task = await findTaskByIdPrefix(db, request.params.id);
    if (!task) return sendApiError(reply, 404, "TASK_NOT_FOUND", `No task ${request.params.id}; fixline tasks lists them.`);
    const [events, runs, budget] = await Promise.all([listTaskEvents(db, task.id), listAgentRuns(db, task.id), taskBudgetJson(db, task)]);
    return {
      task: taskJson(task, await waits.reason(task)),
      /** The signal as received: untrusted text, shown as text. */
      context: task.context,
      events: events.map(eventJson),
      runs: runs.map(runJson),
      plan: task.planMarkdown ? { sha: task.planSha, markdown: task.planMarkdown, html: renderPlan(task.planMarkdown) } : null,
      evidence: task.evidence,
      /** Issue 21: the execution budget bound to the approval. */
      budget,
      /** A dry run's held-back actions and the PR it would have opened (see README "Dry run"). */
      data: dryRunData(task.data),
    };
  });

  app.post("/api/tasks", async (request, reply) => {
    const parsed = createTaskBody.safeParse(request.body ?? {});
    if (!parsed.success) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", describeZodError(parsed.error));
    const idempotencyKey = request.headers["idempotency-key"];
    if (idempotencyKey !== undefined && (typeof idempotencyKey !== "string" || idempotencyKey.length < 1 || idempotencyKey.length > 200)) {
      return sendApiError(reply, 400, "PAYLOAD_MALFORMED", "Idempotency-Key: must be 1 to 200 characters");
    }
    if (request.headers["x-fixline-user"] !== undefined) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", assertedIdentityMessage);
    const who = requestActor(request);
    const login = who.ok ? who.actor.login : undefined;
    const { description, repo } = parsed.data;
    // Starting a task runs code on the repository: a person needs write access there, as for an approval.
    if (who.ok && who.actor.role !== "operator") {
      const permission = await withTimeout(deps.checkPermission)(repo, who.actor.login);
      if (permission !== "write" && permission !== "admin") return sendApiError(reply, 403, "FORBIDDEN", `@${who.actor.login} needs write access to ${repo} to start a task there (they have ${permission}).`);
    }
    const title = parsed.data.title ?? firstLine(description);
    const outcome = await ingestSignal(db, {
      delivery: { source: "api", deliveryId: idempotencyKey ?? randomUUID(), event: "task.create" },
      source: "api",
      sourceKey: `api:${randomUUID()}`,
      repo,
      title,
      context: { description },
      requester: { via: "api", ...(login ? { name: login } : {}) },
    });
    const task = outcome.taskId ? await getTask(db, outcome.taskId) : undefined;
    if (!task) return sendApiError(reply, 409, "PAYLOAD_MALFORMED", "Idempotency-Key: already used for a request that created no task");
    request.log.info({ taskId: task.id, repo, outcome: outcome.outcome }, "task created through the API");
    return reply.code(outcome.outcome === "created" ? 201 : 200).send({ task: taskJson(task), created: outcome.outcome === "created" });
  });
}

function dryRunData(data: Record<string, unknown>): { wouldHaveSent: unknown[]; dryRunPullRequest: unknown } {
  return { wouldHaveSent: Array.isArray(data.wouldHaveSent) ? data.wouldHaveSent : [], dryRunPullRequest: data.dryRunPullRequest ?? null };
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "")?.trim() ?? text.trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/**
 * Postgres keeps microseconds; a JS Date keeps milliseconds. A cursor cut to milliseconds would skip tasks
 * created within the same millisecond, so the cursor carries the database's own text.
 */
async function exactCreatedAt(deps: AppDeps, id: string): Promise<string> {
  const row = await deps.db
    .selectFrom("tasks")
    .select((eb) => eb.cast<string>("created_at", "text").as("at"))
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return row.at;
}
