import { describe, expect, it } from "vitest";
import { buildClaudeArgs } from "./build-claude-args";

describe("buildClaudeArgs", () => {
  it("asks for headless stream-json with verbose, which the CLI requires for stream-json", () => {
    expect(buildClaudeArgs({}).slice(0, 4)).toEqual(["-p", "--output-format", "stream-json", "--verbose"]);
  });

  it("defaults to acceptEdits and never emits a bypass flag", () => {
    const args = buildClaudeArgs({ allowedTools: ["Bash(npm test:*)", "Edit"] });
    expect(args).toContain("acceptEdits");
    expect(args.join(" ")).not.toMatch(/dangerously|bypassPermissions/);
  });

  it("refuses bypassPermissions even through an untyped caller", () => {
    expect(() => buildClaudeArgs({ permissionMode: "bypassPermissions" as never })).toThrow(/not allowed/);
  });

  it("passes every limit and the resume session, with variadic flags last", () => {
    const args = buildClaudeArgs({
      mcpConfigPath: "/tmp/x/mcp.json",
      allowedTools: ["Read", "Bash(git diff:*)"],
      permissionMode: "plan",
      maxTurns: 40,
      maxBudgetUsd: 0.1 + 0.2,
      model: "sonnet",
      resumeSessionId: "8bd2b0df-cf60-49e8-bd96-a14fd904076b",
    });
    expect(args).toEqual([
      "-p", "--output-format", "stream-json", "--verbose",
      "--permission-mode", "plan",
      "--max-turns", "40",
      "--max-budget-usd", "0.3",
      "--model", "sonnet",
      "--resume", "8bd2b0df-cf60-49e8-bd96-a14fd904076b",
      "--mcp-config", "/tmp/x/mcp.json", "--strict-mcp-config",
      "--allowedTools", "Read", "Bash(git diff:*)",
    ]);
  });

  it("leaves out what is not set", () => {
    expect(buildClaudeArgs({ allowedTools: [] })).toEqual(["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits"]);
  });

  it("rejects nonsense limits instead of passing them to the CLI", () => {
    expect(() => buildClaudeArgs({ maxTurns: 0 })).toThrow(/maxTurns/);
    expect(() => buildClaudeArgs({ maxBudgetUsd: -1 })).toThrow(/maxBudgetUsd/);
  });
});
