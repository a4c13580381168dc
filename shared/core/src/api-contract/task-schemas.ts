import { z } from "zod";
import { taskSources, taskStates } from "../domain/task-state";
import { wouldHaveSentSchema } from "../contracts/dry-run-log";

const isoTime = z.iso.datetime();
const nullableTime = isoTime.nullable();

/** What became of a completed task's PR (issue 21); null while it is open. */
export const taskOutcomes = ["merged", "closed_unmerged", "reverted"] as const;

/**
 * A task as the API shows it. The Slack response_url is a capability to post into a channel, so the
 * requester here never carries it.
 */
export const taskSchema = z
  .object({
    id: z.uuid(),
    shortId: z.string().describe("The first 8 hex characters of the id; enough to name the task"),
    source: z.enum(taskSources),
    sourceKey: z.string(),
    repo: z.string().describe("owner/repo"),
    title: z.string(),
    state: z.enum(taskStates),
    requester: z.object({ via: z.enum(taskSources), id: z.string().optional(), name: z.string().optional(), channel: z.string().optional() }).nullable(),
    branch: z.string().nullable(),
    prNumber: z.number().int().nullable().describe("0 for a dry run's plan: there is no PR"),
    prUrl: z.string().nullable(),
    planSha: z.string().nullable(),
    feedback: z.string().nullable(),
    occurrences: z.number().int(),
    costUsd: z.number(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
    lastSeenAt: isoTime,
    planReadyAt: nullableTime,
    endedAt: nullableTime,
    outcome: z.enum(taskOutcomes).nullable().describe("What became of the PR after completed (issue 21); null while it is open"),
    outcomeAt: nullableTime,
    mergedAt: nullableTime,
    revertedBy: z.string().nullable().describe("The reverting commit's sha, or #<n> of a revert PR"),
    waitingFor: z.string().nullable().describe("Why the task is not moving when its pool has no worker (issue 20)"),
  })
  .meta({ id: "Task" });
export type TaskJson = z.infer<typeof taskSchema>;

// Open JSON objects: what the signal said, an event's details, a run's evidence. Their shapes are owned
// by the packages that write them (issue 18 gives each a schema in shared/core); the API passes them on.
const jsonObject = z.record(z.string(), z.unknown());

export const taskEventSchema = z
  .object({
    id: z.number().int(),
    taskId: z.string(),
    type: z.string(),
    fromState: z.string().nullable(),
    toState: z.string().nullable(),
    actor: z.object({ via: z.string().optional(), login: z.string().optional(), displayName: z.string().optional(), role: z.string().optional() }).loose().nullable(),
    data: jsonObject.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: "TaskEvent" });
export type TaskEventJson = z.infer<typeof taskEventSchema>;

export const agentRunSchema = z
  .object({
    id: z.string(),
    phase: z.string(),
    status: z.string(),
    model: z.string().nullable(),
    numTurns: z.number().int().nullable(),
    costUsd: z.number(),
    tokens: z.object({ input: z.number().int(), output: z.number().int(), cacheRead: z.number().int(), cacheCreation: z.number().int() }),
    durationMs: z.number().nullable(),
    exitCode: z.number().int().nullable(),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    resultText: z.string().nullable(),
    startedAt: isoTime,
    endedAt: nullableTime,
  })
  .meta({ id: "AgentRun" });
export type AgentRunJson = z.infer<typeof agentRunSchema>;

/** One action a dry run recorded instead of performing (see README "Dry run"): the stored shape, served as is. */
export { wouldHaveSentSchema, type WouldHaveSent } from "../contracts/dry-run-log";

/** The execution budget bound to the approval (issue 21): the estimate, what was granted, what was spent. */
export const taskBudgetSchema = z
  .object({
    estimateUsd: z.number().nullable().describe("PLAN.md's estimate, which a plain approval grants"),
    grantedUsd: z.number().nullable().describe("Sum of the standing approval's grants; null when none (not approved yet, or approved before budgets)"),
    spentUsd: z.number().describe("Red and green runs under the standing approval"),
    grants: z.array(z.object({ kind: z.enum(["estimate", "explicit", "top_up"]), amountUsd: z.number(), login: z.string(), via: z.string(), createdAt: isoTime })),
  })
  .meta({ id: "TaskBudget" });
export type TaskBudgetJson = z.infer<typeof taskBudgetSchema>;

export const taskDetailSchema = z.object({
  task: taskSchema,
  context: jsonObject.describe("The signal as received: untrusted text, shown as text"),
  events: z.array(taskEventSchema),
  runs: z.array(agentRunSchema),
  plan: z.object({ sha: z.string().nullable(), markdown: z.string(), html: z.string().describe("Rendered and sanitized on the server") }).nullable(),
  evidence: jsonObject.nullable().describe("The red/green proof"),
  budget: taskBudgetSchema,
  data: z
    .object({
      wouldHaveSent: z.array(wouldHaveSentSchema),
      dryRunPullRequest: z.object({ title: z.string(), body: z.string() }).nullable(),
    })
    .describe("Dry run: what was held back instead of sent, and the draft PR that would have been opened"),
});
export type TaskDetail = z.infer<typeof taskDetailSchema>;

export const taskPageSchema = z.object({
  tasks: z.array(taskSchema),
  nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last one"),
});
export type TaskPage = z.infer<typeof taskPageSchema>;

export const createdTaskSchema = z.object({ task: taskSchema, created: z.boolean() });
export type CreatedTask = z.infer<typeof createdTaskSchema>;

export const taskActionResultSchema = z.object({ task: taskSchema, approvalId: z.string().optional() });
export type TaskActionResult = z.infer<typeof taskActionResultSchema>;
