import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
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

describe("buildClaudeArgs settings isolation (issue 14)", () => {
  // The real CLI's help (2.1.332, fixtures/claude) is the ground truth for the flags used here.
  const help = readFileSync(fileURLToPath(new URL("../../testing/fixtures/claude/help-2.1.332.txt", import.meta.url)), "utf8");

  it("loads no user, project or local settings, only Fixline's own file", () => {
    const args = buildClaudeArgs({ settingsPath: "/run/fixline/settings.json", settingSources: [] });
    expect(args).toContain("--setting-sources=");
    expect(buildClaudeArgs({ settingSources: ["project"] })).toContain("--setting-sources=project");
    expect(args.slice(args.indexOf("--settings"), args.indexOf("--settings") + 2)).toEqual(["--settings", "/run/fixline/settings.json"]);
  });

  it("restricts planning to the named tools, confined to the working directory", () => {
    const args = buildClaudeArgs({ restrictedTools: ["Read", "Grep", "Bash"] });
    expect(args.slice(args.indexOf("--restricted"))).toEqual(["--restricted", "--tools", "Read,Grep,Bash"]);
  });

  it("uses only flags the real CLI documents", () => {
    const args = buildClaudeArgs({ settingsPath: "/s.json", settingSources: ["project"], restrictedTools: ["Read"], mcpConfigPath: "/m.json", allowedTools: ["Read"] });
    const documented = (flag: string) => new RegExp(`^  (?:-\\w, )?(?:--[\\w-]+, )?${flag}[ ,]`, "m").test(help);
    // --max-turns is hidden from --help but accepted (fixtures/claude/README.md).
    for (const flag of args.filter((arg) => arg.startsWith("--") && arg !== "--max-turns")) expect(documented(flag.split("=")[0] ?? flag), flag).toBe(true);
    expect(help).toMatch(/--setting-sources <sources>\s+Comma-separated list of setting sources\s+to load \(user, project, local\)/);
  });
});
