/**
 * Supervising child process groups: Claude and every command the agents run (setup, tests, hooks) are
 * spawned detached, each leading its own process group, so a timeout or cancellation can stop them and
 * everything they started; the watchdog stops them too when the worker itself dies.
 */
export { killProcessGroup, processGroupAlive } from "./kill-process-group";
export { watchdogScript, watchdogCommand, isWatchdogNotFound } from "./orphan-watchdog";
