import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SDKResultMessage } from "@anthropic-ai/claude-agent-sdk";
import { classifyOutcome, type OutcomeEvidence } from "./classify-outcome";

const fixture = fileURLToPath(new URL("../../testing/fixtures/claude/not-logged-in.stream.jsonl", import.meta.url));
const exited = { kind: "exited", exitCode: 0, signal: null } as const;

function result(fields: Record<string, unknown>): SDKResultMessage {
  return { type: "result", subtype: "success", is_error: false, num_turns: 2, total_cost_usd: 0.2, result: "done", errors: [], session_id: "s", ...fields } as unknown as SDKResultMessage;
}
function evidence(partial: Partial<OutcomeEvidence>): OutcomeEvidence {
  return { termination: exited, result: undefined, assistantError: undefined, stderrTail: "", bin: "claude", ...partial };
}

describe("classifyOutcome", () => {
  it("accepts a success result, whatever the exit code", () => {
    expect(classifyOutcome(evidence({ result: result({}), termination: { kind: "exited", exitCode: 1, signal: null } }))).toBeUndefined();
  });

  it("reads the real not-logged-in output as CLAUDE_NOT_AUTHENTICATED although its subtype is success", () => {
    const lines = readFileSync(fixture, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    const last = lines.at(-1) as unknown as SDKResultMessage;
    expect(classifyOutcome(evidence({ result: last, termination: { kind: "exited", exitCode: 1, signal: null } }))?.code).toBe("CLAUDE_NOT_AUTHENTICATED");
    expect(classifyOutcome(evidence({ result: result({ is_error: true, result: "odd" }), assistantError: "authentication_failed" }))?.code).toBe("CLAUDE_NOT_AUTHENTICATED");
  });

  it("maps the error subtypes and API errors to their codes", () => {
    expect(classifyOutcome(evidence({ result: result({ subtype: "error_max_turns" }) }))?.code).toBe("CLAUDE_MAX_TURNS");
    expect(classifyOutcome(evidence({ result: result({ subtype: "error_max_budget_usd" }) }))?.code).toBe("CLAUDE_BUDGET_EXCEEDED");
    const api = classifyOutcome(evidence({ result: result({ is_error: true, result: "API Error: 400 prompt is too long", api_error_status: 400, terminal_reason: "api_error" }) }));
    expect(api?.code).toBe("CLAUDE_API_ERROR");
    expect(api?.message).toContain("400");
    expect(classifyOutcome(evidence({ result: result({ subtype: "error_during_execution", is_error: true, errors: ["boom"] }) }))?.code).toBe("CLAUDE_CRASHED");
  });

  it("tells outages (rate limit, overloaded, server error, network) apart from real failures (issue 20)", () => {
    const apiError = (fields: Record<string, unknown>, assistantError?: string) =>
      classifyOutcome(evidence({ result: result({ is_error: true, terminal_reason: "api_error", ...fields }), ...(assistantError ? { assistantError } : {}) }));
    // What the CLI prints for a 529 (the fake's api-error step copies it).
    const overloaded = apiError({ result: 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', api_error_status: 529 });
    expect(overloaded?.code).toBe("CLAUDE_OVERLOADED");
    expect(overloaded?.retryable).toBe(true);
    expect(overloaded?.message).toContain("529");
    expect(apiError({ result: "API Error: 429 rate_limit_error", api_error_status: 429 })?.code).toBe("CLAUDE_RATE_LIMITED");
    expect(apiError({ result: "Claude AI usage limit reached|1767225600" })?.code).toBe("CLAUDE_RATE_LIMITED");
    expect(apiError({ result: "API Error: Request rejected" }, "rate_limit")?.code).toBe("CLAUDE_RATE_LIMITED");
    expect(apiError({ result: "API Error: 500 Internal server error", api_error_status: 500 })?.code).toBe("CLAUDE_SERVER_ERROR");
    expect(apiError({ result: "API Error: 503 upstream connect error", api_error_status: 503 })?.code).toBe("CLAUDE_SERVER_ERROR");
    expect(apiError({ result: "API Error: Connection error. (fetch failed: ECONNRESET)" })?.code).toBe("CLAUDE_NETWORK_ERROR");
    // Real failures stay what they were: the request itself is wrong, or the account is.
    expect(apiError({ result: "API Error: 400 prompt is too long", api_error_status: 400 })?.code).toBe("CLAUDE_API_ERROR");
    expect(apiError({ result: "API Error: 401 invalid x-api-key", api_error_status: 401 })?.code).toBe("CLAUDE_API_ERROR");
    expect(apiError({ result: "Credit balance is too low", api_error_status: 402 })?.code).toBe("CLAUDE_API_ERROR");
    // A test run of the agent that mentions a rate limit in its own words is not an API error.
    expect(classifyOutcome(evidence({ result: result({ subtype: "success", is_error: false, result: "fixed the rate limit bug" }) }))).toBeUndefined();
  });

  it("without a result, names how the process ended", () => {
    expect(classifyOutcome(evidence({ termination: { kind: "timeout", afterMs: 5000 } }))?.code).toBe("CLAUDE_TIMEOUT");
    expect(classifyOutcome(evidence({ termination: { kind: "idle-timeout", afterMs: 5000 } }))?.code).toBe("CLAUDE_IDLE_TIMEOUT");
    expect(classifyOutcome(evidence({ termination: { kind: "spawn-failed", code: "ENOENT", message: "x" } }))?.code).toBe("CLAUDE_NOT_FOUND");
    const crashed = classifyOutcome(evidence({ termination: { kind: "exited", exitCode: 3, signal: null }, stderrTail: "TypeError: boom\n" }));
    expect(crashed?.code).toBe("CLAUDE_CRASHED");
    expect(crashed?.message).toContain("TypeError: boom");
    expect(crashed?.hint).toMatch(/transcript/);
  });

  it("lets a cancellation win, and a result that came before a timeout count", () => {
    expect(classifyOutcome(evidence({ termination: { kind: "cancelled" }, result: result({}) }))?.code).toBe("CLAUDE_CANCELLED");
    expect(classifyOutcome(evidence({ termination: { kind: "timeout", afterMs: 1 }, result: result({}) }))).toBeUndefined();
  });
});
