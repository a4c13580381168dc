import { sql } from "kysely";
import type { Config, Logger } from "@fixline/core";
import { getTask, insertOutboxJobs, outboxSignal, signalOutbox, type FixlineDb } from "@fixline/db";
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
  let stopped = false;
  let running: Promise<number> | null = null;
  let timer: NodeJS.Timeout | undefined;

  async function dispatchOnce(): Promise<number> {
    const queued = await db.transaction().execute(async (trx) => {
      const events = await trx
        .selectFrom("task_events")
        .select(["id", "task_id", "from_state", "to_state", "created_at"])
        .where("hooks_dispatched_at", "is", null)
        .orderBy("id")
        .limit(options.batchSize ?? 200)
        .forUpdate()
        .skipLocked()
        .execute();
      if (events.length === 0) return 0;
      const jobs: JobRequest[] = [];
      for (const row of events) {
        const names = hookEventsFor(row.from_state, row.to_state);
        if (names.length === 0 || hooks.length === 0) continue;
        const task = await getTask(trx, row.task_id);
        if (!task) continue;
        for (const hook of hooks) {
          for (const event of names.filter((n) => hook.events.includes(n as never))) {
            const deliveryId = `${hook.name}:${row.id}:${event}`;
            const payload = buildHookPayload({ event, deliveryId, task: { ...task, state: row.to_state as never }, previousState: row.from_state, occurredAt: row.created_at, publicUrl: config.publicUrl });
            jobs.push({ queue: "hooks", data: { taskId: task.id, hook: hook.name, event, deliveryId, payload: payload as unknown as Record<string, unknown> } });
          }
        }
      }
      await insertOutboxJobs(trx, jobs);
      await trx.updateTable("task_events").set({ hooks_dispatched_at: sql`now()` }).where("id", "in", events.map((e) => e.id)).execute();
      return jobs.length;
    });
    if (queued > 0) signalOutbox(db);
    return queued;
  }

  function kick(): void {
    if (stopped || running) return;
    running = dispatchOnce()
      .catch((error: unknown) => {
        logger.warn({ err: (error as Error).message }, "hook dispatch pass failed; will retry");
        return 0;
      })
      .finally(() => {
        running = null;
      });
  }
  const onSignal = () => kick();
  outboxSignal.on("jobs", onSignal);
  const poll = () => {
    kick();
    timer = setTimeout(poll, options.pollMs ?? 1_000);
    timer.unref();
  };
  poll();

  return {
    dispatchOnce: async () => {
      if (running) await running;
      return dispatchOnce();
    },
    async stop() {
      stopped = true;
      outboxSignal.off("jobs", onSignal);
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
