#!/usr/bin/env node
import { Command } from "commander";
import { registerApiCommands } from "./commands/api-commands";
import { registerDemoCommand } from "./commands/demo-command";
import { registerServerCommands } from "./commands/server-commands";

const program = new Command()
  .name("fixline")
  .description("Turns bug signals into reviewed, test-proven pull requests.")
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: true });

registerServerCommands(program);
registerApiCommands(program);
registerDemoCommand(program);

await program.parseAsync(process.argv);
