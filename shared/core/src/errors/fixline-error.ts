import { errorCodes, type ErrorCode } from "./error-codes";

/** An error with a stable code, a message for humans and the hint from the registry. */
export class FixlineError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly hint: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown>; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FixlineError";
    this.code = code;
    this.retryable = options.retryable ?? errorCodes[code].retryable;
    this.hint = errorCodes[code].hint;
    this.details = options.details;
  }

  /** The one-line form shown on PRs, in Slack and the dashboard. */
  toUserText(): string {
    return `${this.code}: ${this.message} — ${this.hint}`;
  }
}

export function isFixlineError(error: unknown, code?: ErrorCode): error is FixlineError {
  return error instanceof FixlineError && (code === undefined || error.code === code);
}

/** Wraps anything thrown into a FixlineError, keeping codes that are already there. */
export function toFixlineError(error: unknown, fallback: ErrorCode = "INTERNAL"): FixlineError {
  if (error instanceof FixlineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FixlineError(fallback, message, { cause: error });
}
