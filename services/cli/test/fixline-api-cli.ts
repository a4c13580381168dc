#!/usr/bin/env node
// The API half of `fixline` (main.ts minus the server commands), so these tests exercise exactly the
// commands under test through a real process, stdout and exit code.
import { Command } from "commander";
import { registerApiCommands } from "../src/commands/api-commands";

const program = new Command().name("fixline").showHelpAfterError();
registerApiCommands(program);
await program.parseAsync(process.argv);
