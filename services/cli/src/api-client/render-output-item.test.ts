import { describe, expect, it } from "vitest";
import { renderOutputItem } from "./render-output-item";
import { terminalStyle } from "./terminal-style";

const plain = terminalStyle(false);

describe("renderOutputItem", () => {
  it("shows tool calls readably, not as JSON", () => {
    expect(renderOutputItem({ kind: "tool_use", name: "Bash", summary: "npm test", input: '{"command":"npm test"}' }, plain)).toBe("🔧 Bash: npm test");
  });

  it("shortens long tool results and marks errors", () => {
    const text = Array.from({ length: 10 }, (_, i) => `line ${i}`).join("\n");
    const rendered = renderOutputItem({ kind: "tool_result", text, isError: false, truncated: false }, plain);
    expect(rendered.split("\n")).toEqual([" ↳ line 0", "   line 1", "   line 2", "   line 3", "   line 4", "   line 5", "   … 4 more lines"]);
    expect(renderOutputItem({ kind: "tool_result", text: "boom", isError: true, truncated: false }, plain)).toBe(" ✗ boom");
  });

  it("summarizes the result with turns, cost and time", () => {
    expect(renderOutputItem({ kind: "result", text: "done", isError: false, costUsd: 0.1234, turns: 5, durationMs: 12_300 }, plain)).toBe("✓ Run finished · 5 turns · $0.123 · 12.3s\n  done");
  });

  it("colours only when styling is on", () => {
    expect(renderOutputItem({ kind: "phase", text: "red", phase: "red" }, terminalStyle(true))).toContain("\x1b[33m");
    expect(renderOutputItem({ kind: "phase", text: "red", phase: "red" }, plain)).toBe("── red ──");
  });
});
