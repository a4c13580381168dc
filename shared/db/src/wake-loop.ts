import type { Logger } from "@fixline/core";
import { outboxSignal } from "./outbox";

export interface WakeLoopOptions {
  /** One pass over the pending rows; returns how many it handled. */
  pass: () => Promise<number>;
  logger: Logger;
  /** Logged (as a warning) when a pass throws; the next signal or poll tries again. */
  failureMessage: string;
  pollMs: number;
}

export interface WakeLoop {
  /** Runs a pass now, after the one in flight; a failure rejects (callers such as tests want to see it). */
  runNow(): Promise<number>;
  /** Changes the poll interval from the next tick (the relay polls faster when NOTIFY cannot reach it). */
  setPollMs(ms: number): void;
  /** Wakes the loop as a transition's outbox signal would. */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * The loop shared by the outbox relay and the hook dispatcher (issue 18; they were two copies): a pass runs
 * when a transaction that wrote outbox rows signals, and on a poll that covers a lost signal. Passes never
 * overlap; a signal during a pass runs one more pass after it, so rows committed meanwhile do not wait
 * for the poll.
 */
export function startWakeLoop(options: WakeLoopOptions): WakeLoop {
  const { pass, logger } = options;
  let pollMs = options.pollMs;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((error: unknown) => {
        logger.warn({ err: (error as Error).message }, options.failureMessage);
        return 0;
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const onSignal = () => kick();
  outboxSignal.on("jobs", onSignal);
  const poll = () => {
    kick();
    timer = setTimeout(poll, pollMs);
    timer.unref();
  };
  poll();

  return {
    async runNow() {
      if (running) await running;
      return pass();
    },
    setPollMs(ms) {
      pollMs = ms;
    },
    kick,
    async stop() {
      stopped = true;
      outboxSignal.off("jobs", onSignal);
      if (timer) clearTimeout(timer);
      if (running) await running.catch(() => {});
    },
  };
}
