import type { Command } from "commander";

/** Commands that run Fixline itself: start, migrate, config check, doctor, demo. */
export function registerServerCommands(_program: Command): void {}
