#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { registerApiCommands } from "./commands/api-commands";
import { registerDemoCommand } from "./commands/demo-command";
import { registerServerCommands } from "./commands/server-commands";
import { registerSetupCommand } from "./commands/setup-command";
import { dotEnvPath } from "./runtime/dot-env-path";
import { loadDotEnv } from "./runtime/load-dot-env";

// The repository's `.env` (see .env.example), for every command and from any directory; what the shell or
// make already set wins. This is the entry point, the one place that may write the environment (issue 17).
// Test processes (NODE_ENV=test) get exactly the environment their test gives them, whatever a developer's .env holds.
if (process.env.NODE_ENV !== "test") loadDotEnv(dotEnvPath, process.env);

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

const program = new Command()
  .name("fixline")
  .version(version, "-v, --version")
  .description("Turns bug signals into reviewed, test-proven pull requests.")
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

registerServerCommands(program);
registerApiCommands(program);
registerDemoCommand(program);
registerSetupCommand(program);

await program.parseAsync(process.argv);
