import { z } from "zod";
import { apiError, workspaceSchema, workspaceTaskIdParams, type WorkspaceJson } from "@fixline/core";
import type { WorkspaceInfo } from "@fixline/git";
import { listTaskStates } from "@fixline/db";
import type { AppDeps } from "../app-deps";
import { sendApiError } from "./api-errors";
import type { ZodApi } from "./openapi-document";

/** While a worker runs in the worktree, deleting it would pull the floor from under Claude and the tests. */
const runningStates = new Set(["planning", "executing"]);

async function taskStatesOf(deps: AppDeps, taskIds: string[]): Promise<Map<string, { state: WorkspaceJson["state"]; repo: string }>> {
  // A directory not named after a task's uuid cannot belong to one; listTaskStates skips it.
  const rows = await listTaskStates(deps.db, taskIds);
  return new Map(rows.map((row) => [row.id, { state: row.state, repo: row.repo }]));
}

/** The exact id, or an unambiguous prefix of 8+ characters (the short id `fixline workspaces` prints). */
function matchWorkspace(workspaces: WorkspaceInfo[], id: string): WorkspaceInfo[] {
  const exact = workspaces.filter((w) => w.taskId === id);
  if (exact.length > 0 || id.length < 8) return exact;
  const compact = id.replace(/-/g, "").toLowerCase();
  return workspaces.filter((w) => w.taskId.replace(/-/g, "").toLowerCase().startsWith(compact));
}

/**
 * GET /api/workspaces and DELETE /api/workspaces/:taskId (issue 11): what sits on the workers' disk and
 * a way to free it. Only present when the server was given the workspaces (`AppDeps.workspaces`); 503 otherwise.
 */
export async function workspaceRoutes(app: ZodApi, deps: AppDeps): Promise<void> {
  const notConfigured = "This server has no workspace directory configured (AppDeps.workspaces); run the API in a process that also runs the workers, e.g. `fixline start`.";
  const now = deps.nowMs ?? Date.now;

  const tags = ["workspaces"];
  const unauthorized = apiError("Missing or wrong credential");
  const unconfigured = apiError("This server has no workspace directory configured");
  const list = {
    summary: "The task worktrees on this server's disk, with their size, age and task state",
    tags,
    response: { 200: z.array(workspaceSchema).describe("Every workspace; state is the task's, or `orphaned` when no task owns it"), 401: unauthorized, 503: unconfigured },
  };
  app.get("/api/workspaces", { schema: list }, async (_request, reply) => {
    const { workspaces } = deps;
    if (!workspaces) return sendApiError(reply, 503, "WORKSPACES_UNAVAILABLE", notConfigured);
    const infos = await workspaces.list();
    const tasks = await taskStatesOf(deps, infos.map((w) => w.taskId));
    return infos.map((w): WorkspaceJson => {
      const task = tasks.get(w.taskId);
      return {
        taskId: w.taskId,
        path: w.path,
        branch: w.branch ?? null,
        sizeBytes: w.sizeBytes,
        ageSeconds: Math.max(0, Math.floor((now() - w.mtime.getTime()) / 1000)),
        state: task?.state ?? "orphaned",
        repo: w.repo ?? task?.repo ?? null,
      };
    });
  });

  const remove = {
    summary: "Remove a task's worktree (and its local branch once pushed); operator token only",
    tags,
    params: workspaceTaskIdParams,
    response: {
      204: z.null().describe("Removed"),
      400: apiError("The id prefix matches several workspaces"),
      401: unauthorized,
      403: apiError("Not the operator token"),
      404: apiError("No workspace for this task"),
      409: apiError("The task is planning or executing: its worker is using the workspace"),
      503: unconfigured,
    },
  };
  app.delete("/api/workspaces/:taskId", { schema: remove }, async (request, reply) => {
    const { workspaces } = deps;
    // Disk housekeeping on the workers' machine is the operator's, not any signed-in reader's (issue 16).
    if (request.fixlineCredential?.kind !== "operator") return sendApiError(reply, 403, "FORBIDDEN", "Removing workspaces needs the operator token (FIXLINE_API_TOKEN).");
    if (!workspaces) return sendApiError(reply, 503, "WORKSPACES_UNAVAILABLE", notConfigured);
    const { taskId } = request.params;
    // Only directories list() reports can be removed: the id never becomes a path on its own.
    const matches = matchWorkspace(await workspaces.list(), taskId);
    if (matches.length === 0) return sendApiError(reply, 404, "WORKSPACE_NOT_FOUND", `No workspace for task ${taskId}; fixline workspaces lists them.`);
    if (matches.length > 1) return sendApiError(reply, 400, "PAYLOAD_MALFORMED", `${taskId} matches ${matches.length} workspaces; give more of the task id.`);
    const workspace = matches[0]!;
    const task = (await taskStatesOf(deps, [workspace.taskId])).get(workspace.taskId);
    if (task && runningStates.has(task.state)) {
      return sendApiError(reply, 409, "WORKSPACE_IN_USE", `Task ${workspace.taskId} is ${task.state}: its worker is using the workspace. Cancel the task first (fixline cancel ${workspace.taskId.slice(0, 8)}).`);
    }
    await workspaces.remove(workspace.taskId);
    request.log.info({ taskId: workspace.taskId, state: task?.state ?? "orphaned", sizeBytes: workspace.sizeBytes }, "workspace removed through the API");
    return reply.code(204).send(null);
  });
}
