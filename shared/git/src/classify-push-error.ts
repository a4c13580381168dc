import { FixlineError } from "@fixline/core";

/**
 * Rejections that retrying cannot fix: someone else moved the branch (non-fast-forward, a stale lease)
 * or the server refused the update (protected branch, pre-receive hook). They become PUSH_REJECTED so
 * the task fails with advice to the person; anything else (network, auth hiccup) stays GIT_FAILED, which
 * is retried.
 */
const rejectionPatterns = [
  /\[rejected\]/,
  /\[remote rejected\]/,
  /non-fast-forward/,
  /\(fetch first\)/,
  /stale info/,
  /protected branch/i,
  /GH006/,
  /pre-receive hook declined/,
];

export function classifyPushError(error: unknown): unknown {
  if (!(error instanceof FixlineError) || error.code !== "GIT_FAILED") return error;
  const stderr = typeof error.details?.stderr === "string" ? error.details.stderr : error.message;
  if (!rejectionPatterns.some((pattern) => pattern.test(stderr))) return error;
  return new FixlineError("PUSH_REJECTED", error.message, { cause: error, details: error.details });
}
