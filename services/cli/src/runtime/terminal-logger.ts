import { createLogger, type Logger, type Redactor } from "@fixline/core";

/**
 * The logger `fixline start` writes with: readable, coloured lines when a person watches a terminal, pino's
 * JSON lines otherwise (files, pipes, log collectors), so machines keep what they parse (issue 17: a terminal
 * showed raw JSON). Redaction happens before either format: pino-pretty only reshapes the redacted line.
 */
export async function createTerminalLogger(options: { level: string; name: string; isTTY: boolean; output?: NodeJS.WritableStream; redactor?: Redactor }): Promise<Logger> {
  const output = options.output ?? process.stdout;
  // The configured secrets' redactor (redactorFor(config)); without one, token shapes are still removed.
  const redaction = options.redactor ? { redactor: options.redactor } : {};
  if (!options.isTTY) return createLogger({ level: options.level, name: options.name, ...redaction, ...(options.output ? { destination: options.output } : {}) });
  const { default: pretty } = await import("pino-pretty");
  const destination = pretty({ colorize: options.output === undefined, sync: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,name", destination: output });
  return createLogger({ level: options.level, name: options.name, ...redaction, destination });
}
