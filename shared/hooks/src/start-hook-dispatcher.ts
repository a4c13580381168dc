import type { Config, Logger } from "@fixline/core";
import { dispatchTaskEvents, startWakeLoop, type FixlineDb } from "@fixline/db";
import type { JobRequest } from "@fixline/queue";
import { buildHookPayload } from "./hook-payload";
import { hookEventsFor } from "./hook-events";

export interface HookDispatcher {
  dispatchOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Turns task state changes into `hooks` outbox jobs, one per (hook, event), in the same transaction that
 * marks the task_events rows dispatched. Rows are claimed with FOR UPDATE SKIP LOCKED, so several
 * processes can run a dispatcher; the delivery id is `<hook>:<task_events.id>:<event>`, stable across
 * retries, so receivers can deduplicate. Woken by the outbox signal (transitions) and a short poll.
 */
export function startHookDispatcher(options: { db: FixlineDb; config: Config; logger: Logger; pollMs?: number; batchSize?: number }): HookDispatcher {
  const { db, config, logger } = options;
  const hooks = config.file.hooks.filter((h) => h.events.some((e) => e !== "pre_execution"));

  function dispatchOnce(): Promise<number> {
    return dispatchTaskEvents(db, {
      batchSize: options.batchSize ?? 200,
      toJobs: async (events, loadTask) => {
        const jobs: JobRequest[] = [];
        if (hooks.length === 0) return jobs;
        for (const row of events) {
          const names = hookEventsFor(row.fromState, row.toState);
          if (names.length === 0) continue;
          const task = await loadTask(row.taskId);
          if (!task) continue;
          for (const hook of hooks) {
            for (const event of names.filter((n) => hook.events.includes(n as never))) {
              const deliveryId = `${hook.name}:${row.id}:${event}`;
              const payload = buildHookPayload({ event, deliveryId, task: { ...task, state: row.toState as never }, previousState: row.fromState, occurredAt: row.createdAt, publicUrl: config.publicUrl });
              jobs.push({ queue: "hooks", data: { taskId: task.id, hook: hook.name, event, deliveryId, payload: payload as unknown as Record<string, unknown> } });
            }
          }
        }
        return jobs;
      },
    });
  }

  const loop = startWakeLoop({ pass: dispatchOnce, logger, failureMessage: "hook dispatch pass failed; will retry", pollMs: options.pollMs ?? 1_000 });
  return { dispatchOnce: () => loop.runNow(), stop: () => loop.stop() };
}
