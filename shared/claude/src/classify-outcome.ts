import type { SDKResultMessage } from "@anthropic-ai/claude-agent-sdk";
import { FixlineError } from "@fixline/core";

/** Why the process ended, as far as the runner knows. */
export type Termination =
  | { kind: "exited"; exitCode: number | null; signal: string | null }
  | { kind: "spawn-failed"; code: string | undefined; message: string }
  | { kind: "timeout"; afterMs: number }
  | { kind: "idle-timeout"; afterMs: number }
  | { kind: "cancelled" }
  /** The sandbox's memory or process limit was hit; the whole sandbox was stopped. */
  | { kind: "limit"; limit: "memory" | "processes" };

export interface OutcomeEvidence {
  termination: Termination;
  /** The last `result` line, if one arrived. */
  result: SDKResultMessage | undefined;
  /** The `error` of the last assistant message (e.g. "authentication_failed"), if any. */
  assistantError: string | undefined;
  stderrTail: string;
  bin: string;
}

const notLoggedIn = /not logged in|please run \/login|invalid api key|authentication_error|oauth token (has )?expired/i;

/**
 * Decides a run's error (undefined = success). The last `result` line decides, not the exit code: the CLI
 * reports "not logged in" as subtype success with is_error true and exit 1. A cancellation wins over
 * everything (the operator asked), and a result that arrived before a timeout still counts.
 */
export function classifyOutcome(evidence: OutcomeEvidence): FixlineError | undefined {
  const { termination, result } = evidence;
  if (termination.kind === "cancelled") return new FixlineError("CLAUDE_CANCELLED", "the Claude run was cancelled; its process group was stopped");
  if (termination.kind === "spawn-failed") {
    if (termination.code === "ENOENT" || termination.code === "EACCES") {
      return new FixlineError("CLAUDE_NOT_FOUND", `cannot run the Claude CLI at "${evidence.bin}" (${termination.code})`);
    }
    return new FixlineError("CLAUDE_CRASHED", `the Claude CLI could not start: ${termination.message}`);
  }
  if (termination.kind === "limit") {
    return new FixlineError("SANDBOX_LIMIT_EXCEEDED", `the Claude run hit its sandbox's ${termination.limit === "memory" ? "memory" : "process"} limit and was stopped`, {
      details: { limit: termination.limit },
    });
  }
  if (result) return classifyResult(result, evidence.assistantError);
  if (termination.kind === "timeout") return new FixlineError("CLAUDE_TIMEOUT", `the Claude run took longer than ${Math.round(termination.afterMs / 1000)} s and was stopped`);
  if (termination.kind === "idle-timeout") {
    return new FixlineError("CLAUDE_IDLE_TIMEOUT", `the Claude CLI printed nothing for ${Math.round(termination.afterMs / 1000)} s and was stopped`);
  }
  const how = termination.signal ? `was killed by ${termination.signal}` : `exited with code ${termination.exitCode}`;
  const stderr = evidence.stderrTail.trim().split("\n").slice(-5).join("\n");
  if (notLoggedIn.test(stderr)) return new FixlineError("CLAUDE_NOT_AUTHENTICATED", `the Claude CLI is not logged in: ${stderr}`);
  return new FixlineError("CLAUDE_CRASHED", `the Claude CLI ${how} without a result${stderr ? `; stderr: ${stderr}` : ""}`, {
    details: { exitCode: termination.exitCode, signal: termination.signal },
  });
}

function classifyResult(result: SDKResultMessage, assistantError: string | undefined): FixlineError | undefined {
  if (result.subtype === "error_max_turns") return new FixlineError("CLAUDE_MAX_TURNS", `the agent stopped after ${result.num_turns} turns (its limit)`);
  if (result.subtype === "error_max_budget_usd") {
    return new FixlineError("CLAUDE_BUDGET_EXCEEDED", `the run reached its budget ($${result.total_cost_usd.toFixed(2)} spent)`);
  }
  if (result.subtype === "success" && !result.is_error) return undefined;
  const text = result.subtype === "success" ? result.result : result.errors.join("; ");
  if (assistantError === "authentication_failed" || notLoggedIn.test(text)) {
    return new FixlineError("CLAUDE_NOT_AUTHENTICATED", `the Claude CLI is not logged in ("${text}")`);
  }
  const apiStatus = (result as { api_error_status?: number | null }).api_error_status;
  if (result.subtype === "success" || result.terminal_reason === "api_error" || typeof apiStatus === "number") {
    const outage = outageCode(typeof apiStatus === "number" ? apiStatus : undefined, text, assistantError);
    if (outage) {
      return new FixlineError(outage, `the Anthropic API is unavailable${typeof apiStatus === "number" ? ` (HTTP ${apiStatus})` : ""}: ${text || "no message"}`, {
        details: { apiErrorStatus: apiStatus ?? null, terminalReason: result.terminal_reason ?? null },
      });
    }
    return new FixlineError("CLAUDE_API_ERROR", `the Anthropic API failed${typeof apiStatus === "number" ? ` (HTTP ${apiStatus})` : ""}: ${text || "no message"}`, {
      details: { apiErrorStatus: apiStatus ?? null, terminalReason: result.terminal_reason ?? null },
    });
  }
  return new FixlineError("CLAUDE_CRASHED", `the run failed (${result.subtype}${result.terminal_reason ? `, ${result.terminal_reason}` : ""}): ${text || "no message"}`);
}

const networkFailure = /ECONNRESET|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|EPIPE|socket hang up|fetch failed|connection error|network error|request timed out/i;

/**
 * An outage (issue 20) rather than a failure of this task: the same request would work later, so the run is
 * paused, not failed. The status the CLI reports decides; without one, its assistant `error` kind and the
 * result text (the CLI prints `API Error: 529 {"type":"error","error":{"type":"overloaded_error",...}}`).
 */
function outageCode(status: number | undefined, text: string, assistantError: string | undefined): "CLAUDE_RATE_LIMITED" | "CLAUDE_OVERLOADED" | "CLAUDE_SERVER_ERROR" | "CLAUDE_NETWORK_ERROR" | undefined {
  if (status === 429 || assistantError === "rate_limit" || /rate_limit_error|rate limit|usage limit reached/i.test(text)) return "CLAUDE_RATE_LIMITED";
  if (status === 529 || /overloaded/i.test(text)) return "CLAUDE_OVERLOADED";
  if (status !== undefined && status >= 500 && status <= 599) return "CLAUDE_SERVER_ERROR";
  if (status === undefined && (assistantError === "server_error" || /api_error|internal server error/i.test(text))) return "CLAUDE_SERVER_ERROR";
  if (status === undefined && networkFailure.test(text)) return "CLAUDE_NETWORK_ERROR";
  return undefined;
}
