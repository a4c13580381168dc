/**
 * Claude runs detached, in its own process group, so a timeout or cancellation can kill it and every MCP
 * server it started. The flip side: if the worker itself dies (kill -9, OOM), a detached group would run
 * on unsupervised. So the group's leader is this small sh supervisor: it runs the CLI, watches the
 * worker's pid, and takes the whole group down (TERM, then KILL) when the worker is gone.
 *
 * POSIX gives a background command /dev/null as stdin before explicit redirections, so the prompt is
 * handed over through fd 3.
 */
export const watchdogScript = [
  'parent="$1"; shift',
  'command -v "$1" >/dev/null 2>&1 || { echo "fixline-watchdog: $1: command not found" >&2; exit 127; }',
  "exec 3<&0",
  '"$@" <&3 3<&- &',
  "child=$!",
  "exec 3<&-",
  '( while kill -0 "$child" 2>/dev/null; do',
  '    if ! kill -0 "$parent" 2>/dev/null; then kill -TERM 0 2>/dev/null; sleep 5; kill -KILL 0 2>/dev/null; exit 0; fi',
  "    sleep 1",
  "  done ) </dev/null >/dev/null 2>&1 &",
  'wait "$child"',
].join("\n");

/** The argv that runs `bin args…` under the watchdog for the worker `parentPid`. */
export function watchdogCommand(bin: string, args: readonly string[], parentPid: number): { file: string; args: string[] } {
  return { file: "/bin/sh", args: ["-c", watchdogScript, "fixline-watchdog", String(parentPid), bin, ...args] };
}

/** True when the supervisor could not find the CLI (it exits 127 with this marker on stderr). */
export function isWatchdogNotFound(exitCode: number | undefined, stderr: string): boolean {
  return exitCode === 127 && stderr.includes("fixline-watchdog:") && stderr.includes("command not found");
}
