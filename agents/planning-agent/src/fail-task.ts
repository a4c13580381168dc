import type { FixlineError, Logger } from "@fixline/core";
import { getTask, transition, type FixlineDb } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { isPlanningState } from "./planning-states";

/**
 * Ends the task failed with the error's code, and writes a `failed` notify job in the same transaction so
 * the requester hears it where they asked (Slack thread or response_url, Jira, the PR or issue, Sentry).
 * Returns false when the task had already moved on (cancelled, planned by another worker).
 */
export async function failTask(db: FixlineDb, taskId: string, error: FixlineError, logger: Logger): Promise<boolean> {
  const task = await getTask(db, taskId);
  // A planning failure ends only a task still in planning: anything later belongs to someone else now.
  if (!task || !isPlanningState(task.state)) return false;
  try {
    await transition(db, {
      taskId,
      expected: task.state,
      event: { type: "fail", code: error.code, message: error.message },
      actor: { via: "system" },
      data: { phase: "planning" },
      jobs: [{ queue: "notify", data: { taskId, event: "failed", details: { code: error.code, message: error.message, hint: error.hint, phase: "planning" } } }],
    });
  } catch (caught) {
    logger.warn({ err: (caught as Error).message }, "could not mark the task failed; it moved meanwhile");
    return false;
  }
  metrics.errors.inc({ type: error.code });
  metrics.tasksCompleted.inc({ status: "failed" });
  logger.warn({ code: error.code, err: error.message }, "planning failed");
  return true;
}
