import { sql, type Transaction } from "kysely";
import { FixlineError, transitionTask, type Actor, type TaskEvent, type TaskState } from "@fixline/core";
import type { JobRequest } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import type { Database } from "./schema";
import { insertOutboxJobs, signalOutbox } from "./outbox";
import { toTask, type TaskRecord } from "./task-repository";

export interface TransitionRequest {
  taskId: string;
  /** The state the caller saw; the UPDATE only applies if the task is still in it. */
  expected: TaskState;
  event: TaskEvent;
  actor?: Actor;
  /** Jobs to hand to the queues if, and only if, the transition commits. */
  jobs?: readonly JobRequest[];
  /** Extra facts for the task_events row. */
  data?: Record<string, unknown>;
}

/**
 * Moves a task: one guarded UPDATE (`WHERE id = $id AND state = $expected`), a task_events row and the
 * outbox rows, in one transaction. Of two concurrent transitions from the same state exactly one wins;
 * the other gets STALE_STATE and nothing changes. An event the state machine forbids gets
 * ILLEGAL_TRANSITION before touching the database.
 */
export async function transition(db: FixlineDb, request: TransitionRequest): Promise<TaskRecord> {
  const { data, jobs, ...move } = request;
  const { task } = await transitionWith(db, move, async () => ({ value: undefined, ...(data ? { data } : {}), ...(jobs ? { jobs } : {}) }));
  return task;
}

/** What `transitionWith`'s own writes hand to the transition: a result for the caller, event facts and jobs. */
export interface TransitionPrepared<T> {
  value: T;
  data?: Record<string, unknown>;
  jobs?: readonly JobRequest[];
}

/**
 * The same transition with writes of its own in its transaction: `prepare` runs inside it first (an approval
 * row, say) and returns the event facts and jobs the transition carries. If the transition does not apply
 * (STALE_STATE), everything `prepare` wrote rolls back with it; if `prepare` throws, the task does not move.
 */
export async function transitionWith<T>(
  db: FixlineDb,
  request: Omit<TransitionRequest, "data" | "jobs">,
  prepare: (trx: Transaction<Database>) => Promise<TransitionPrepared<T>>,
): Promise<{ task: TaskRecord; value: T }> {
  const { taskId, expected, event } = request;
  const hasApprovedPlan =
    event.type === "retry"
      ? Boolean(
          await db
            .selectFrom("tasks")
            .innerJoin("approvals", (j) => j.onRef("approvals.task_id", "=", "tasks.id").onRef("approvals.plan_sha", "=", "tasks.plan_sha"))
            .select("approvals.id")
            .where("tasks.id", "=", taskId)
            .where("approvals.voided_at", "is", null)
            .executeTakeFirst(),
        )
      : false;
  const result = transitionTask(expected, event, { hasApprovedPlan });
  if (!result.ok) throw new FixlineError("ILLEGAL_TRANSITION", result.reason, { details: { taskId, expected, event: event.type } });
  const to = result.to;

  const set: Record<string, unknown> = { state: to, updated_at: sql`now()` };
  switch (event.type) {
    case "plan_ready":
      Object.assign(set, { plan_sha: event.planSha, pr_number: event.prNumber, plan_ready_at: sql`now()`, error_code: null, error_message: null });
      break;
    case "fail":
      Object.assign(set, { error_code: event.code, error_message: event.message.slice(0, 4000) });
      break;
    case "reject":
      if (to === "received") set.feedback = event.feedback ?? null;
      break;
    case "retry":
      Object.assign(set, { error_code: null, error_message: null, ended_at: null });
      break;
    case "plan_started":
    case "execution_started":
      Object.assign(set, { error_code: null, error_message: null });
      break;
    default:
      break;
  }
  if (to === "completed" || to === "rejected" || to === "cancelled" || to === "failed") set.ended_at = sql`now()`;

  const { row, prepared } = await db.transaction().execute(async (trx) => {
    const prepared = await prepare(trx);
    const row = await trx.updateTable("tasks").set(set).where("id", "=", taskId).where("state", "=", expected).returningAll().executeTakeFirst();
    // Throwing rolls back what prepare wrote: nothing of a transition that did not apply remains.
    if (!row) throw await staleError(trx, request);
    const eventData = { ...eventPayload(event), ...prepared.data };
    await trx
      .insertInto("task_events")
      .values({
        task_id: taskId,
        type: event.type,
        from_state: expected,
        to_state: to,
        actor: request.actor ? JSON.stringify(request.actor) : null,
        data: Object.keys(eventData).length > 0 ? JSON.stringify(eventData) : null,
      })
      .execute();
    // A new plan voids earlier approvals: an approval is bound to the plan commit it approved.
    if (event.type === "plan_ready") {
      await trx.updateTable("approvals").set({ voided_at: sql`now()` }).where("task_id", "=", taskId).where("plan_sha", "<>", event.planSha).where("voided_at", "is", null).execute();
    }
    await insertOutboxJobs(trx, prepared.jobs ?? []);
    return { row, prepared };
  });

  if ((prepared.jobs ?? []).length > 0) signalOutbox(db);
  return { task: toTask(row), value: prepared.value };
}

async function staleError(trx: Transaction<Database>, request: Omit<TransitionRequest, "data" | "jobs">): Promise<FixlineError> {
  const { taskId, expected, event } = request;
  const current = await trx.selectFrom("tasks").select("state").where("id", "=", taskId).executeTakeFirst();
  if (!current) return new FixlineError("TASK_NOT_FOUND", `no task ${taskId}`);
  return new FixlineError("STALE_STATE", `task ${taskId} is ${current.state}, not ${expected}; ${event.type} was not applied`, {
    details: { taskId, expected, actual: current.state },
  });
}

function eventPayload(event: TaskEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event;
  return rest;
}
