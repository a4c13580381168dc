import { FixlineError } from "@fixline/core";
import type { CommandOutcome } from "./run-command";

/** Lines of a failing command's output quoted in the error (the live log has all of it). */
export const errorTailLines = 40;

/** ENV_SETUP_FAILED naming the command, how it ended and the end of its output. */
export function commandFailedError(what: string, command: string, outcome: CommandOutcome, tail: string): FixlineError {
  const how = outcome.timedOut ? `timed out after ${Math.round(outcome.durationMs / 1000)}s` : `exited with code ${outcome.exitCode}`;
  return new FixlineError("ENV_SETUP_FAILED", `${what} \`${command}\` ${how}${tail ? `:\n${tail}` : " with no output"}`, {
    details: { command, exitCode: outcome.exitCode, timedOut: outcome.timedOut, outputTail: tail },
  });
}

/** What a cancelled command throws: the signal's own reason when it has one, so callers see their cancel. */
export function cancelledError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new Error("cancelled");
}
