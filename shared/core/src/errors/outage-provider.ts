import type { ErrorCode } from "./error-codes";
import { isFixlineError } from "./fixline-error";

/** The outside services whose outages pause work instead of failing it (issue 20), each with its own circuit breaker. */
export const outageProviders = ["claude", "github"] as const;
export type OutageProvider = (typeof outageProviders)[number];

const outageCodes: Partial<Record<ErrorCode, OutageProvider>> = {
  CLAUDE_RATE_LIMITED: "claude",
  CLAUDE_OVERLOADED: "claude",
  CLAUDE_SERVER_ERROR: "claude",
  CLAUDE_NETWORK_ERROR: "claude",
  GITHUB_RATE_LIMITED: "github",
};

/** Which provider's outage this error is, or undefined for a real failure (which keeps counting attempts). */
export function outageProvider(error: unknown): OutageProvider | undefined {
  return isFixlineError(error) ? outageCodes[error.code] : undefined;
}
