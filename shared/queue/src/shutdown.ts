import type { Logger } from "@fixline/core";

/**
 * What a shutdown signal means, given the ones before it. A terminal's Ctrl-C reaches every process of the
 * group (make, pnpm, node) and some of them pass it on, so one key press can arrive as two SIGINTs a few
 * milliseconds apart (issue 17: 2 of 6 stops skipped the drain). Only a signal after `forceAfterMs`, or a
 * third one, means "exit now".
 */
export function decideOnSignal(previous: readonly number[], nowMs: number, forceAfterMs = 3_000): "drain" | "ignore" | "exit" {
  if (previous.length === 0) return "drain";
  if (previous.length >= 2 || nowMs - previous[0]! >= forceAfterMs) return "exit";
  return "ignore";
}

/**
 * Runs `stop` once on SIGTERM or SIGINT and exits 0 after a clean drain. A repeated signal forces exit only as
 * `decideOnSignal` says, for the operator who means it. Returns a function that removes the handlers (tests).
 */
export function onShutdownSignal(stop: (signal: string) => Promise<void>, logger: Logger, nowMs: () => number = Date.now): () => void {
  const seen: number[] = [];
  const handler = (signal: NodeJS.Signals) => {
    const now = nowMs();
    const decision = decideOnSignal(seen, now);
    seen.push(now);
    if (decision === "exit") {
      logger.warn({ signal }, "signal repeated; exiting now without finishing the drain");
      process.exit(130);
    }
    if (decision === "ignore") {
      logger.info({ signal }, "already draining (press Ctrl-C again after 3 s, or twice more, to exit at once)");
      return;
    }
    logger.info({ signal }, "shutting down: draining work");
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGTERM", handler);
    process.off("SIGINT", handler);
  };
}
