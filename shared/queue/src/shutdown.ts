import type { Logger } from "@fixline/core";

/**
 * Runs `stop` once on SIGTERM or SIGINT. A second signal exits at once, for the operator who means it.
 * Returns a function that removes the handlers (tests).
 */
export function onShutdownSignal(stop: (signal: string) => Promise<void>, logger: Logger): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal; exiting now");
      process.exit(130);
    }
    stopping = true;
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
