import { describe, expect, it } from "vitest";
import { describeOutputEntry, maxToolResultChars, summarizeToolInput } from "./describe-output-entry";

const entry = (message: unknown, type = "x") => describeOutputEntry({ line: JSON.stringify(message), type });

describe("describeOutputEntry", () => {
  it("splits an assistant message into text and tool calls", () => {
    const items = entry({
      type: "assistant",
      message: { content: [{ type: "text", text: " Let me run the tests. " }, { type: "tool_use", name: "Bash", input: { command: "npm test", description: "run" } }] },
    });
    expect(items).toEqual([
      { kind: "text", text: "Let me run the tests." },
      { kind: "tool_use", name: "Bash", summary: "npm test", input: JSON.stringify({ command: "npm test", description: "run" }, null, 2) },
    ]);
  });

  it("shows tool results with their error flag, cut when huge", () => {
    const [small] = entry({ type: "user", message: { content: [{ type: "tool_result", content: [{ type: "text", text: "1 failed" }], is_error: true }] } });
    expect(small).toEqual({ kind: "tool_result", text: "1 failed", isError: true, truncated: false });
    const [big] = entry({ type: "user", message: { content: [{ type: "tool_result", content: "x".repeat(maxToolResultChars + 10) }] } });
    expect(big).toMatchObject({ kind: "tool_result", truncated: true, isError: false });
    expect((big as { text: string }).text).toHaveLength(maxToolResultChars);
  });

  it("summarizes the result line with cost and turns", () => {
    expect(entry({ type: "result", subtype: "success", is_error: false, result: "Plan written", total_cost_usd: 0.12, num_turns: 9, duration_ms: 5000 })).toEqual([
      { kind: "result", text: "Plan written", isError: false, costUsd: 0.12, turns: 9, durationMs: 5000 },
    ]);
    expect(entry({ type: "result", subtype: "error_max_turns", is_error: true })[0]).toMatchObject({ text: "run ended with error_max_turns", isError: true, costUsd: null });
  });

  it("renders Fixline's own log and phase lines, the init line and the run end", () => {
    expect(entry({ type: "fixline", kind: "log", phase: "red", text: "FAIL total.test.ts" })).toEqual([{ kind: "log", text: "FAIL total.test.ts", phase: "red" }]);
    expect(entry({ type: "fixline", kind: "phase", phase: "green", text: "green: running the suite" })).toEqual([{ kind: "phase", text: "green: running the suite", phase: "green" }]);
    expect(entry({ type: "system", subtype: "init", model: "claude-sonnet", tools: ["Bash", "Read"] })[0]).toEqual({ kind: "system", text: "Claude session started · claude-sonnet · 2 tools" });
    expect(entry({ status: "failed", errorCode: "CLAUDE_TIMEOUT" }, "fixline.run_end")).toEqual([{ kind: "run_end", text: "run ended: failed (CLAUDE_TIMEOUT)" }]);
  });

  it("keeps non-JSON text, and drops partial stream events", () => {
    expect(describeOutputEntry({ line: "npm WARN something" })).toEqual([{ kind: "raw", text: "npm WARN something" }]);
    expect(entry({ type: "stream_event", event: {} })).toEqual([]);
    expect(describeOutputEntry({})).toEqual([]);
  });
});

describe("summarizeToolInput", () => {
  it("picks the argument a person recognises", () => {
    expect(summarizeToolInput("Read", { file_path: "src/total.ts" })).toBe("src/total.ts");
    expect(summarizeToolInput("Grep", { pattern: "round", path: "src" })).toBe("round in src");
    expect(summarizeToolInput("TodoWrite", { todos: [{}, {}] })).toBe("2 todos");
    expect(summarizeToolInput("mcp__sentry__get_issue", { issue_id: "123" })).toBe("123");
    expect(summarizeToolInput("Bash", { command: `echo ${"a".repeat(300)}` }).length).toBeLessThanOrEqual(160);
  });
});
