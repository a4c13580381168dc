import { randomUUID } from "node:crypto";
import { z } from "zod";
import { findTaskByIdPrefix, getTask, ingestSignal, listAgentRuns, listTaskEvents, listTasks, taskCreatedAtText } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { renderPlan } from "../dashboard/render-plan";
import { sendApiError } from "./api-errors";
import { decodeCursor, encodeCursor } from "./task-cursor";
import type { ZodApi } from "./openapi-document";
import { withTimeout } from "../sources/run-task-command";
import { assertedIdentityMessage, requestActor } from "./request-actor";
import { taskBudgetJson } from "./task-budget";
import { eventJson, runJson, taskJson } from "./task-json";
import { apiError, createdTaskSchema, createTaskBody, idempotencyKeyHeader, listTasksQuery, poolOf, taskDetailSchema, taskIdParams, taskPageSchema, type TaskDetail } from "@fixline/core";
import { createPoolWaitCheck } from "@fixline/queue";

/** GET /api/tasks, GET /api/tasks/:id, POST /api/tasks. */
export async function taskRoutes(app: ZodApi, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const waits = createPoolWaitCheck(deps.queues, (repo) => poolOf(deps.config, repo));

  const tags = ["tasks"];
  const unauthorized = apiError("Missing or wrong credential");
  const list = {
    summary: "List tasks, newest first",
    tags,
    querystring: listTasksQuery,
    response: { 200: taskPageSchema.describe("A page of tasks"), 400: apiError("A filter is wrong (the message names it)"), 401: unauthorized },
  };
  app.get("/api/tasks", { schema: list }, async (request, reply) => {
    const { cursor, limit, ...filters } = request.query;
    const before = cursor ? decodeCursor(cursor) : undefined;
    if (cursor && !before) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", "cursor: not a cursor this API returned");
    // One extra row tells whether another page exists.
    const tasks = await listTasks(db, { ...filters, limit: limit + 1, ...(before ? { before } : {}) });
    const page = tasks.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = tasks.length > limit && last ? encodeCursor({ createdAt: await taskCreatedAtText(deps.db, last.id), id: last.id }) : null;
    return { tasks: await Promise.all(page.map(async (task) => taskJson(task, await waits.reason(task)))), nextCursor };
  });

  const show = {
    summary: "A task with its events, agent runs (cost, tokens), rendered plan and red/green evidence",
    tags,
    params: taskIdParams,
    response: { 200: taskDetailSchema.describe("The task"), 401: unauthorized, 404: apiError("Unknown task") },
  };
  app.get("/api/tasks/:id", { schema: show }, async (request, reply) => {
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

  const create = {
    summary: "Create a task from a description (like Slack's /agent run)",
    tags,
    headers: z.looseObject({ "idempotency-key": idempotencyKeyHeader.optional() }),
    body: createTaskBody,
    response: {
      201: createdTaskSchema.describe("Created"),
      200: createdTaskSchema.describe("Same Idempotency-Key as an earlier request: that task"),
      400: apiError("A field is wrong (the message names it)"),
      401: unauthorized,
      403: apiError("The credential's GitHub login lacks write access to the repository"),
      409: apiError("The Idempotency-Key was used for a request that created no task"),
    },
  };
  app.post("/api/tasks", { schema: create }, async (request, reply) => {
    const idempotencyKey = request.headers["idempotency-key"];
    if (request.headers["x-fixline-user"] !== undefined) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", assertedIdentityMessage);
    const who = requestActor(request);
    const login = who.ok ? who.actor.login : undefined;
    const { description, repo } = request.body;
    // Starting a task runs code on the repository: a person needs write access there, as for an approval.
    if (who.ok && who.actor.role !== "operator") {
      const permission = await withTimeout(deps.checkPermission)(repo, who.actor.login);
      if (permission !== "write" && permission !== "admin") return sendApiError(reply, 403, "FORBIDDEN", `@${who.actor.login} needs write access to ${repo} to start a task there (they have ${permission}).`);
    }
    const title = request.body.title ?? firstLine(description);
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

/** Read through the contract's schema: a record that does not fit is dropped here rather than failing the page. */
function dryRunData(data: Record<string, unknown>): TaskDetail["data"] {
  const records = taskDetailSchema.shape.data.shape.wouldHaveSent.element;
  const pullRequest = taskDetailSchema.shape.data.shape.dryRunPullRequest.safeParse(data.dryRunPullRequest ?? null);
  return {
    wouldHaveSent: (Array.isArray(data.wouldHaveSent) ? data.wouldHaveSent : []).flatMap((r: unknown) => {
      const parsed = records.safeParse(r);
      return parsed.success ? [parsed.data] : [];
    }),
    dryRunPullRequest: pullRequest.success ? pullRequest.data : null,
  };
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "")?.trim() ?? text.trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
