import { pino, type Logger, type LoggerOptions, type DestinationStream } from "pino";
import { createRedactor, type Redactor } from "../redact/create-redactor";

export type { Logger };

/**
 * Paths pino removes from every log line. Tokens, authorization headers and payload bodies never reach
 * the logs (trigger.dev's logger hides these by default; we go further and drop webhook bodies).
 */
export const redactedPaths = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-slack-signature"]',
  'req.headers["sentry-hook-signature"]',
  "req.headers.cookie",
  "token",
  "*.token",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "apiKey",
  "*.apiKey",
  "body",
  "*.body",
  "payload",
  "*.payload",
  "env",
  "*.env",
];

export interface CreateLoggerOptions {
  level?: string;
  name?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to inspect the output. */
  destination?: DestinationStream;
  /**
   * Replaces secret values in every string of every line (messages, error stacks, any field), not only the
   * keys above. Entry points pass redactorFor(config); without one, the known token shapes are still removed.
   */
  redactor?: Redactor;
}

const shapesOnly = createRedactor([]);

/** pino JSON logs with redaction. Packages accept a logger; only entry points create one. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const redactor = options.redactor ?? shapesOnly;
  const pinoOptions: LoggerOptions = {
    level: options.level ?? "info",
    redact: { paths: redactedPaths, censor: "[redacted]" },
    base: options.name ? { name: options.name } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
    // The serialized line is the one place every value passes, whatever shape the caller logged.
    hooks: { streamWrite: (line: string) => redactor.redact(line) },
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** A logger that writes nothing, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
