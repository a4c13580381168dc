import type { Command } from "commander";

/** Commands that talk to a running Fixline over its REST API (run, tasks, show, logs, approve...). */
export function registerApiCommands(_program: Command): void {}
