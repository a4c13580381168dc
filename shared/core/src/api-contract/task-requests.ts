import { z } from "zod";
import { taskSources, taskStates } from "../domain/task-state";

const repoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/repo").describe("owner/repo");
const planSha = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{7,64}$/, "must be the plan's commit SHA (shown with the plan)")
  .describe("The plan SHA the decision is about (GET /api/tasks/{id} → plan.sha). Another plan is current: 409 PLAN_CHANGED");

export const taskIdParams = z.object({ id: z.string().describe("Task id, or its first 8+ hex characters") });

export const listTasksQuery = z
  .object({
    state: z.enum(taskStates).optional(),
    source: z.enum(taskSources).optional(),
    repo: repoName.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().optional().describe("Opaque keyset cursor: the previous page's nextCursor"),
  })
  .strict();
/** The filters as a client writes them (limit optional); the server sees `z.output` with the default applied. */
export type ListTasksQuery = z.input<typeof listTasksQuery>;

export const createTaskBody = z
  .object({
    description: z.string().trim().min(1, "must describe the bug").max(20_000),
    repo: repoName,
    title: z.string().trim().min(1).max(300).optional(),
  })
  .strict();
export type CreateTaskBody = z.input<typeof createTaskBody>;

export const idempotencyKeyHeader = z.string().min(1).max(200).describe("A retried request with the same key returns the same task");

/**
 * No `login` field anywhere: who acts comes from the credential (issue 16). An approval names the plan
 * SHA the approver saw; a reject may (and then must match too).
 */
export const taskActionBodies = {
  approve: z
    .object({
      planSha,
      instructions: z.string().trim().max(10_000).optional(),
      budget: z
        .string()
        .trim()
        .max(20)
        .optional()
        .describe("Issue 21: `$8` grants $8 for execution instead of the plan's estimate; `+$5` adds $5 (the only form accepted in waiting_budget). Writers only, like approve."),
    })
    .strict(),
  reject: z.object({ planSha: planSha.optional(), feedback: z.string().trim().max(10_000).optional() }).strict(),
  retry: z.object({}).strict(),
  cancel: z.object({ reason: z.string().trim().max(2_000).optional() }).strict(),
} as const;

export type TaskAction = keyof typeof taskActionBodies;
export const taskActions = Object.keys(taskActionBodies) as TaskAction[];
export type TaskActionBody<A extends TaskAction> = z.input<(typeof taskActionBodies)[A]>;

export const taskStreamQuery = z
  .object({
    lastEventId: z.string().optional().describe("Same as Last-Event-ID, for EventSource's first connection"),
    follow: z.enum(["true", "false"]).optional().describe("false: send what is there now, then end"),
  })
  .strict();
