import type { PreparedCommand } from "./prepare-sandbox";
import type { LimitBreach } from "./resource-limits";

/**
 * Polls the limit group while a command runs and calls onBreach once when a limit is hit: a fork bomb does not
 * exit on its own (fork just fails), so waiting for the exit is not enough. Returns the stop function.
 */
export function watchLimits(prepared: PreparedCommand, onBreach: (breach: LimitBreach) => void, everyMs = 200): () => void {
  if (prepared.mechanism === "off" || prepared.mechanism === "rlimit") return () => undefined;
  let done = false;
  const timer = setInterval(() => {
    void prepared.breach().then((breach) => {
      if (breach && !done) {
        done = true;
        clearInterval(timer);
        onBreach(breach);
      }
    });
  }, everyMs);
  return () => {
    done = true;
    clearInterval(timer);
  };
}
