import { sql } from "kysely";
import { FixlineError, transitionTask, type Actor, type TaskEvent, type TaskState } from "@fixline/core";
import type { JobRequest } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import { insertOutboxJobs, signalOutbox } from "./outbox";
import { toTask, type DbOrTrx, type TaskRecord } from "./task-repository";

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
  /**
   * Writes that count only if the transition does (issue 21: a budget grant), in its transaction after the
   * guarded UPDATE won: of two racing copies of one command, only the winner's rows exist.
   */
  alsoInTransaction?: (trx: DbOrTrx) => Promise<void>;
}

/**
 * Moves a task: one guarded UPDATE (`WHERE id = $id AND state = $expected`), a task_events row and the
 * outbox rows, in one transaction. Of two concurrent transitions from the same state exactly one wins;
 * the other gets STALE_STATE and nothing changes. An event the state machine forbids gets
 * ILLEGAL_TRANSITION before touching the database.
 */
export async function transition(db: FixlineDb, request: TransitionRequest): Promise<TaskRecord> {
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

  const updated = await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable("tasks").set(set).where("id", "=", taskId).where("state", "=", expected).returningAll().executeTakeFirst();
    if (!row) return undefined;
    const eventData = { ...eventPayload(event), ...request.data };
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
    await request.alsoInTransaction?.(trx);
    await insertOutboxJobs(trx, request.jobs ?? []);
    return row;
  });

  if (!updated) {
    const current = await db.selectFrom("tasks").select("state").where("id", "=", taskId).executeTakeFirst();
    if (!current) throw new FixlineError("TASK_NOT_FOUND", `no task ${taskId}`);
    throw new FixlineError("STALE_STATE", `task ${taskId} is ${current.state}, not ${expected}; ${event.type} was not applied`, {
      details: { taskId, expected, actual: current.state },
    });
  }
  if ((request.jobs ?? []).length > 0) signalOutbox(db);
  return toTask(updated);
}

function eventPayload(event: TaskEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event;
  return rest;
}
