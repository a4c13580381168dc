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
    const api = classifyOutcome(evidence({ result: result({ is_error: true, result: "API Error: 529 overloaded", api_error_status: 529, terminal_reason: "api_error" }) }));
    expect(api?.code).toBe("CLAUDE_API_ERROR");
    expect(api?.message).toContain("529");
    expect(classifyOutcome(evidence({ result: result({ subtype: "error_during_execution", is_error: true, errors: ["boom"] }) }))?.code).toBe("CLAUDE_CRASHED");
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
