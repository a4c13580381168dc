import { pino, type Logger, type LoggerOptions, type DestinationStream } from "pino";

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
}

/** pino JSON logs with redaction. Packages accept a logger; only entry points create one. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? "info",
    redact: { paths: redactedPaths, censor: "[redacted]" },
    base: options.name ? { name: options.name } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}

/** A logger that writes nothing, for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
