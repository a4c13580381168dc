import { sql, type Transaction } from "kysely";
import {
  FixlineError,
  liveStates,
  readStored,
  requesterSchema,
  storedEvidenceSchema,
  taskContextSchema,
  taskDataPatchSchema,
  taskDataSchema,
  wouldHaveSentSchema,
  type Requester,
  type StoredEvidence,
  type Task,
  type TaskData,
  type TaskDataPatch,
  type TaskSource,
  type TaskState,
  type WouldHaveSent,
} from "@fixline/core";
import type { FixlineDb } from "./create-db";
import type { Database, TaskRow } from "./schema";

export type DbOrTrx = FixlineDb | Transaction<Database>;

/** A task with the columns the public Task type does not carry. */
export interface TaskRecord extends Task {
  planMarkdown: string | null;
  /** The executor's red/green proof (@fixline/core's storedEvidenceSchema). */
  evidence: StoredEvidence | null;
  /** The `data` column, typed per slice (plan facts, execution state, dry-run log: see @fixline/core contracts). */
  data: TaskData;
  planReadyAt: Date | null;
  endedAt: Date | null;
  /** Issue 21: what became of the PR after `completed`. */
  outcome: TaskOutcome | null;
  outcomeAt: Date | null;
  mergedAt: Date | null;
  mergeCommitSha: string | null;
  revertedBy: string | null;
}

export type TaskOutcome = "merged" | "closed_unmerged" | "reverted";

export function toTask(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    source: row.source as TaskSource,
    sourceKey: row.source_key,
    repo: row.repo,
    title: row.title,
    state: row.state as TaskState,
    context: readStored(taskContextSchema, row.context),
    requester: requesterOf(row.requester),
    branch: row.branch,
    prNumber: row.pr_number,
    prUrl: row.pr_url,
    planSha: row.plan_sha,
    planMarkdown: row.plan_markdown,
    feedback: row.feedback,
    evidence: row.evidence === null ? null : readStored(storedEvidenceSchema, row.evidence),
    data: readStored(taskDataSchema, row.data),
    occurrences: row.occurrences,
    costUsd: 0,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    slackChannel: row.slack_channel,
    slackThreadTs: row.slack_thread_ts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeenAt: row.last_seen_at,
    planReadyAt: row.plan_ready_at,
    endedAt: row.ended_at,
    outcome: (row.outcome as TaskOutcome | null) ?? null,
    outcomeAt: row.outcome_at ?? null,
    mergedAt: row.merged_at ?? null,
    mergeCommitSha: row.merge_commit_sha ?? null,
    revertedBy: row.reverted_by ?? null,
  };
}

/** The requester as stored; one that does not match its schema (never written so) reads as unknown. */
function requesterOf(raw: unknown): Requester | null {
  const parsed = raw === null || raw === undefined ? undefined : requesterSchema.safeParse(raw);
  return parsed?.success ? parsed.data : null;
}

/** Attaches the task's spend (sum over its agent runs). */
async function withCost(db: DbOrTrx, tasks: TaskRecord[]): Promise<TaskRecord[]> {
  if (tasks.length === 0) return tasks;
  const rows = await db
    .selectFrom("agent_runs")
    .select(["task_id", sql<string>`coalesce(sum(cost_usd), 0)`.as("cost")])
    .where("task_id", "in", tasks.map((t) => t.id))
    .groupBy("task_id")
    .execute();
  const byId = new Map(rows.map((r) => [r.task_id, Number(r.cost)]));
  for (const t of tasks) t.costUsd = byId.get(t.id) ?? 0;
  return tasks;
}

export async function getTask(db: DbOrTrx, taskId: string): Promise<TaskRecord | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(taskId)) return undefined;
  const row = await db.selectFrom("tasks").selectAll().where("id", "=", taskId).executeTakeFirst();
  return row ? (await withCost(db, [toTask(row)]))[0] : undefined;
}

export async function requireTask(db: DbOrTrx, taskId: string): Promise<TaskRecord> {
  const task = await getTask(db, taskId);
  if (!task) throw new FixlineError("TASK_NOT_FOUND", `no task ${taskId}`);
  return task;
}

/** Finds a task by a short id prefix too (the CLI and Slack show 8 characters). */
export async function findTaskByIdPrefix(db: DbOrTrx, prefix: string): Promise<TaskRecord | undefined> {
  if (/^[0-9a-f-]{36}$/i.test(prefix)) return getTask(db, prefix);
  if (!/^[0-9a-f]{4,32}$/i.test(prefix)) return undefined;
  const rows = await db.selectFrom("tasks").selectAll().where(sql<string>`replace(id::text, '-', '')`, "like", `${prefix.toLowerCase()}%`).limit(2).execute();
  return rows.length === 1 ? (await withCost(db, [toTask(rows[0]!)]))[0] : undefined;
}

/** The task that owns a pull request Fixline opened. */
export async function findTaskByPullRequest(db: DbOrTrx, repo: string, prNumber: number): Promise<TaskRecord | undefined> {
  const row = await db
    .selectFrom("tasks")
    .selectAll()
    .where("repo", "=", repo)
    .where("pr_number", "=", prNumber)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  return row ? (await withCost(db, [toTask(row)]))[0] : undefined;
}

/** The newest task for a source object (e.g. `github:owner/repo#7`), whatever its state. */
export async function findTaskBySourceKey(db: DbOrTrx, sourceKey: string): Promise<TaskRecord | undefined> {
  const row = await db.selectFrom("tasks").selectAll().where("source_key", "=", sourceKey).orderBy("created_at", "desc").executeTakeFirst();
  return row ? (await withCost(db, [toTask(row)]))[0] : undefined;
}

/** Repositories that have tasks, most recently active first (who may sign in is judged against them). */
export async function listTaskRepos(db: DbOrTrx, limit = 20): Promise<string[]> {
  const rows = await db.selectFrom("tasks").select("repo").groupBy("repo").orderBy((eb) => eb.fn.max("created_at"), "desc").limit(limit).execute();
  return rows.map((r) => r.repo);
}

/** Whether the source object (e.g. `jira:ABC-1`) has a task that is not finished. */
export async function hasLiveTask(db: DbOrTrx, sourceKey: string): Promise<boolean> {
  const row = await db.selectFrom("tasks").select("id").where("source_key", "=", sourceKey).where("state", "in", [...liveStates]).executeTakeFirst();
  return row !== undefined;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** State and repository of the given tasks; ids that are not uuids cannot be tasks and never reach the query. */
export async function listTaskStates(db: DbOrTrx, taskIds: readonly string[]): Promise<Array<{ id: string; state: TaskState; repo: string }>> {
  const ids = taskIds.filter((id) => uuidPattern.test(id));
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("tasks").select(["id", "state", "repo"]).where("id", "in", ids).execute();
  // The state column holds only TaskState values (toTask reads it the same way).
  return rows.map((row) => ({ ...row, state: row.state as TaskState }));
}

/**
 * A task's created_at as Postgres's own text. Postgres keeps microseconds, a JS Date milliseconds: a page
 * cursor cut to milliseconds would skip tasks created within the same millisecond.
 */
export async function taskCreatedAtText(db: DbOrTrx, taskId: string): Promise<string> {
  const row = await db
    .selectFrom("tasks")
    .select((eb) => eb.cast<string>("created_at", "text").as("at"))
    .where("id", "=", taskId)
    .executeTakeFirstOrThrow();
  return row.at;
}

export interface ListTasksFilter {
  state?: TaskState | undefined;
  source?: TaskSource | undefined;
  repo?: string | undefined;
  limit?: number | undefined;
  /**
   * Keyset pagination: tasks created before this one. A string is passed to Postgres as is, keeping the
   * microseconds a JS Date would drop (tasks created within one millisecond would otherwise be skipped).
   */
  before?: { createdAt: Date | string; id: string } | undefined;
}

export async function listTasks(db: DbOrTrx, filter: ListTasksFilter = {}): Promise<TaskRecord[]> {
  let query = db.selectFrom("tasks").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(Math.min(filter.limit ?? 50, 500));
  if (filter.state) query = query.where("state", "=", filter.state);
  if (filter.source) query = query.where("source", "=", filter.source);
  if (filter.repo) query = query.where("repo", "=", filter.repo);
  if (filter.before) {
    const { id } = filter.before;
    const createdAt = sql<Date>`${filter.before.createdAt}::timestamptz`;
    query = query.where((eb) => eb.or([eb("created_at", "<", createdAt), eb.and([eb("created_at", "=", createdAt), eb("id", "<", id)])]));
  }
  return withCost(db, (await query.execute()).map(toTask));
}

/** Field updates that are not state changes (PR link, branch, Slack thread, evidence...). */
export interface TaskFieldUpdate {
  branch?: string;
  prNumber?: number;
  prUrl?: string;
  planMarkdown?: string;
  evidence?: StoredEvidence;
  slackChannel?: string;
  slackThreadTs?: string;
  title?: string;
  /** Merged into the `data` column (shallow; null clears a key), validated against its slice's schema. */
  data?: TaskDataPatch;
}

export async function updateTaskFields(db: DbOrTrx, taskId: string, update: TaskFieldUpdate): Promise<void> {
  const set: Record<string, unknown> = { updated_at: new Date() };
  if (update.branch !== undefined) set.branch = update.branch;
  if (update.prNumber !== undefined) set.pr_number = update.prNumber;
  if (update.prUrl !== undefined) set.pr_url = update.prUrl;
  if (update.planMarkdown !== undefined) set.plan_markdown = update.planMarkdown;
  if (update.evidence !== undefined) set.evidence = JSON.stringify(validEvidence(taskId, update.evidence));
  if (update.slackChannel !== undefined) set.slack_channel = update.slackChannel;
  if (update.slackThreadTs !== undefined) set.slack_thread_ts = update.slackThreadTs;
  if (update.title !== undefined) set.title = update.title;
  if (update.data !== undefined) set.data = sql`data || ${JSON.stringify(validDataPatch(taskId, update.data))}::jsonb`;
  await db.updateTable("tasks").set(set).where("id", "=", taskId).execute();
}

/** The patch as written: every key it sets is checked against its slice's schema, so a reader never sees a wrong shape. */
function validDataPatch(taskId: string, patch: TaskDataPatch): TaskDataPatch {
  const set = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== null && value !== undefined));
  const parsed = taskDataPatchSchema.strict().safeParse(set);
  if (!parsed.success) throw new FixlineError("INTERNAL", `task ${taskId}: data does not match its schema: ${parsed.error.message}`);
  const cleared = Object.fromEntries(Object.entries(patch).filter(([, value]) => value === null));
  return { ...cleared, ...parsed.data };
}

function validEvidence(taskId: string, evidence: StoredEvidence): StoredEvidence {
  const parsed = storedEvidenceSchema.strict().safeParse(evidence);
  if (!parsed.success) throw new FixlineError("INTERNAL", `task ${taskId}: evidence does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

export interface TaskEventRecord {
  id: number;
  taskId: string;
  type: string;
  fromState: string | null;
  toState: string | null;
  actor: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
  createdAt: Date;
}

export async function listTaskEvents(db: DbOrTrx, taskId: string): Promise<TaskEventRecord[]> {
  const rows = await db.selectFrom("task_events").selectAll().where("task_id", "=", taskId).orderBy("id").execute();
  return rows.map((r) => ({
    id: Number(r.id),
    taskId: r.task_id,
    type: r.type,
    fromState: r.from_state,
    toState: r.to_state,
    actor: r.actor,
    data: r.data,
    createdAt: r.created_at,
  }));
}

/** Records something that happened to a task without moving it (a refused command, a counter bump...). */
export async function appendTaskEvent(
  db: DbOrTrx,
  event: { taskId: string; type: string; actor?: Record<string, unknown> | null; data?: Record<string, unknown> | null; state?: string | null },
): Promise<void> {
  await db
    .insertInto("task_events")
    .values({
      task_id: event.taskId,
      type: event.type,
      from_state: event.state ?? null,
      to_state: event.state ?? null,
      actor: event.actor ? JSON.stringify(event.actor) : null,
      data: event.data ? JSON.stringify(event.data) : null,
    })
    .execute();
}

export type { WouldHaveSent };

/**
 * The one writer of the dry-run log (`data.wouldHaveSent`): validated, and appended in one statement, so
 * concurrent writers (notify and an agent at once) never lose each other's records. With `once` (the agents:
 * a resumed job repeats its steps) a record whose channel, action, target and summary are already on the
 * task is not added again, decided inside the same statement, so two writers cannot both add it. Returns
 * whether it was added.
 */
export async function appendWouldHaveSent(db: DbOrTrx, taskId: string, record: WouldHaveSent, options: { once?: boolean } = {}): Promise<boolean> {
  const parsed = wouldHaveSentSchema.safeParse(record);
  if (!parsed.success) throw new FixlineError("INTERNAL", `task ${taskId}: dry-run record does not match its schema: ${parsed.error.message}`);
  const entry = { ...parsed.data, at: parsed.data.at ?? new Date().toISOString() };
  const { channel, action, target, summary } = entry;
  let query = db
    .updateTable("tasks")
    .set({ data: sql`jsonb_set(data, '{wouldHaveSent}', coalesce(data->'wouldHaveSent', '[]'::jsonb) || ${JSON.stringify([entry])}::jsonb)`, updated_at: new Date() })
    .where("id", "=", taskId);
  if (options.once) {
    // jsonb containment: some element already has these four values.
    query = query.where(sql<boolean>`NOT coalesce(data->'wouldHaveSent', '[]'::jsonb) @> ${JSON.stringify([{ channel, action, target, summary }])}::jsonb`);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
