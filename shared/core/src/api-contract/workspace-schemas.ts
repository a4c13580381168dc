import { z } from "zod";
import { taskStates } from "../domain/task-state";

/** A task worktree on the server's disk (GET /api/workspaces); `state` is "orphaned" when no task owns it. */
export const workspaceSchema = z
  .object({
    taskId: z.string(),
    path: z.string(),
    branch: z.string().nullable(),
    sizeBytes: z.number().int(),
    ageSeconds: z.number().int().describe("Since the workspace was last prepared or committed to"),
    state: z.enum([...taskStates, "orphaned"]),
    repo: z.string().nullable().describe("owner/repo"),
  })
  .meta({ id: "Workspace" });
export type WorkspaceJson = z.infer<typeof workspaceSchema>;

export const workspaceTaskIdParams = z.object({ taskId: z.string().describe("Task id, or its first 8+ characters") });
