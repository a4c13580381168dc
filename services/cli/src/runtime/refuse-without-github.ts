import { FixlineError, errorCodes, finalStates, type Logger } from "@fixline/core";
import { getTask, transition, type FixlineDb } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { createWorker, type FixlineWorker, type QueueName } from "@fixline/queue";
import type { RedisClient } from "@fixline/queue";

/** The reason every task gets when no process can plan or execute it, shared by the banner and the task. */
export const githubNotConfiguredMessage = "GitHub is not configured, so the planner and executor are not running and this task cannot proceed";

export interface RefuseWithoutGitHubOptions {
  db: FixlineDb;
  connection: RedisClient;
  prefix: string;
  logger: Logger;
  /** The agent queues this process would have served (the ones its role covers). */
  queues: readonly Extract<QueueName, "planning" | "execution">[];
}

/**
 * Without GitHub credentials the planner and executor cannot clone, push or open a PR, so they are not started.
 * Before issue 17 a task then sat in `received` forever with no reason anywhere. These stand-in workers take
 * the agent queues' jobs and end each task failed with GITHUB_NOT_CONFIGURED at once, so `show`, the
 * dashboard and `logs --follow` all see why (and the follow ends). After credentials are set, `retry` revives it.
 */
export function refuseWithoutGitHub(options: RefuseWithoutGitHubOptions): FixlineWorker[] {
  return options.queues.map((queue) =>
    createWorker(
      queue,
      async ({ data, logger }) => {
        const task = await getTask(options.db, data.taskId);
        if (!task || finalStates.includes(task.state) || task.state === "failed") return { outcome: "skipped" };
        // The hint rides in the message: `show`, the dashboard and `logs` print the message, and the fix belongs there.
        const error = new FixlineError("GITHUB_NOT_CONFIGURED", `${githubNotConfiguredMessage}. ${errorCodes.GITHUB_NOT_CONFIGURED.hint}`);
        try {
          await transition(options.db, {
            taskId: task.id,
            expected: task.state,
            event: { type: "fail", code: error.code, message: error.message },
            actor: { via: "system" },
            data: { phase: queue, hint: error.hint },
            jobs: [{ queue: "notify", data: { taskId: task.id, event: "failed", details: { code: error.code, message: error.message, hint: error.hint, phase: queue } } }],
          });
        } catch (caught) {
          logger.info({ err: (caught as Error).message }, "task moved before it could be failed; nothing to do");
          return { outcome: "skipped" };
        }
        metrics.errors.inc({ type: error.code });
        metrics.tasksCompleted.inc({ status: "failed" });
        logger.warn({ code: error.code, hint: error.hint }, "task failed: GitHub is not configured");
        return { outcome: "failed", code: error.code };
      },
      { connection: options.connection, prefix: options.prefix, logger: options.logger, name: `${queue}-without-github` },
    ),
  );
}
