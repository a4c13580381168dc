import { z } from "zod";
import { taskSources, taskStates } from "@fixline/core";

const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/repo");
const planSha = z.string().trim().regex(/^[0-9a-f]{7,64}$/i, "must be the plan's commit SHA (shown with the plan)");

export const listTasksQuery = z
  .object({
    state: z.enum(taskStates).optional(),
    source: z.enum(taskSources).optional(),
    repo: repoName.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Opaque keyset cursor from the previous page's `nextCursor`. */
    cursor: z.string().optional(),
  })
  .strict();

export const createTaskBody = z
  .object({
    description: z.string().trim().min(1, "must describe the bug").max(20_000),
    repo: repoName,
    title: z.string().trim().min(1).max(300).optional(),
  })
  .strict();

/**
 * No `login` field anywhere: who acts comes from the credential (issue 16). An approval names the plan
 * SHA the approver saw; a reject may (and then must match too).
 */
export const actionBodies = {
  approve: z.object({ planSha, instructions: z.string().trim().max(10_000).optional(), budget: z.string().trim().max(20).optional() }).strict(),
  reject: z.object({ planSha: planSha.optional(), feedback: z.string().trim().max(10_000).optional() }).strict(),
  retry: z.object({}).strict(),
  cancel: z.object({ reason: z.string().trim().max(2_000).optional() }).strict(),
} as const;

export type TaskAction = keyof typeof actionBodies;
export const taskActions = Object.keys(actionBodies) as TaskAction[];

/** The operator's dashboard sign-in: the token only (a login here would be self-asserted). */
export const sessionBody = z.object({ token: z.string().min(1) }).strict();

export const createApiTokenBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();

/** `createdAt` is the database's microsecond timestamp text (see exactCreatedAt). */
export function encodeCursor(task: { createdAt: string; id: string }): string {
  return Buffer.from(`${task.createdAt}|${task.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  if (!at || !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/.test(at) || !id || !/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  // Kept as text: listTasks hands it to Postgres unchanged, keeping the microseconds a Date would drop.
  return { createdAt: at, id };
}
