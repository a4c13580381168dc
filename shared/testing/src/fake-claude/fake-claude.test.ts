import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeClaude, type FakeClaude } from "./create-fake-claude";
import { fakeScenarios } from "./scenario";

const fixture = fileURLToPath(new URL("../../fixtures/claude/not-logged-in.stream.jsonl", import.meta.url));
const streamFlags = ["-p", "--output-format", "stream-json", "--verbose"];

function runFake(bin: string, args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(bin, args, { env: { PATH: process.env.PATH ?? "", ...options.env }, cwd: options.cwd }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? "");
  });
}

describe("fake claude CLI", () => {
  let fake: FakeClaude;
  let cwd: string;
  beforeAll(async () => {
    fake = await createFakeClaude({ scenario: fakeScenarios.success("hello") });
    cwd = await mkdtemp(join(tmpdir(), "fake-claude-cwd-"));
  });
  afterAll(async () => {
    await fake.cleanup();
    await rm(cwd, { recursive: true, force: true });
  });

  it("rejects stream-json without --verbose with the real CLI's message", async () => {
    const r = await runFake(fake.bin, ["-p", "--output-format", "stream-json"], { stdin: "hi" });
    expect(r).toMatchObject({ code: 1, stdout: "" });
    expect(r.stderr.trim()).toBe("Error: When using --print, --output-format=stream-json requires --verbose");
  });

  it("rejects a non-UUID --session-id and an unknown option", async () => {
    expect((await runFake(fake.bin, [...streamFlags, "--session-id", "abc"], { stdin: "hi" })).code).toBe(1);
    expect((await runFake(fake.bin, [...streamFlags, "--frobnicate"], { stdin: "hi" })).stderr).toContain("unknown option '--frobnicate'");
  });

  it.runIf(process.getuid?.() === 0)("refuses bypass permissions as root unless IS_SANDBOX=1", async () => {
    const refused = await runFake(fake.bin, [...streamFlags, "--dangerously-skip-permissions"], { stdin: "hi" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/root/);
    expect((await runFake(fake.bin, [...streamFlags, "--permission-mode", "bypassPermissions"], { stdin: "hi", env: { IS_SANDBOX: "1" } })).code).toBe(0);
  });

  it("lets variadic flags swallow a trailing prompt, like the real one", async () => {
    const r = await runFake(fake.bin, [...streamFlags, "--allowedTools", "Read", "fix the bug"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Input must be provided");
  });

  it("replays the captured not-logged-in output byte for byte, exit 1", async () => {
    await fake.setScenario(fakeScenarios.notLoggedIn());
    const r = await runFake(fake.bin, streamFlags, { stdin: "hi" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(readFileSync(fixture, "utf8"));
  });

  it("echoes the --resume session, reports MCP servers and records the call without env values", async () => {
    await fake.setScenario(fakeScenarios.success("resumed"));
    const session = "8bd2b0df-cf60-49e8-bd96-a14fd904076b";
    const mcp = JSON.stringify({ mcpServers: { sentry: { type: "http", url: "http://127.0.0.1:1/mcp" } } });
    const r = await runFake(fake.bin, [...streamFlags, "--resume", session, "--mcp-config", mcp, "--strict-mcp-config"], {
      stdin: "continue",
      env: { GITHUB_TOKEN: "ghp_secret_value" },
      cwd,
    });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: "system", subtype: "init", session_id: session, cwd, mcp_servers: [{ name: "sentry", status: "connected" }] });
    expect(lines.at(-1)).toMatchObject({ type: "result", subtype: "success", is_error: false, session_id: session, result: "resumed", terminal_reason: "completed" });
    const call = (await fake.calls()).at(-1);
    expect(call).toMatchObject({ prompt: "continue", cwd, envPresent: { GITHUB_TOKEN: true, ANTHROPIC_API_KEY: false } });
    expect(JSON.stringify(call)).not.toContain("ghp_secret_value");
  });

  it("plays unmatched runs in sequence and matched runs by prompt", async () => {
    await fake.setScenario({
      runs: [
        { match: "^PLAN", steps: [{ type: "result", result: "plan" }] },
        { steps: [{ type: "result", result: "one" }] },
        { steps: [{ type: "result", result: "two" }] },
      ],
    });
    const results: string[] = [];
    for (const prompt of ["x", "PLAN it", "y", "z"]) {
      const r = await runFake(fake.bin, streamFlags, { stdin: prompt });
      results.push((JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}") as { result: string }).result);
    }
    expect(results).toEqual(["one", "plan", "two", "two"]);
  });

  it("charges each turn and stops at --max-budget-usd as the CLI does: before the next turn, at most one turn past it", async () => {
    const steps = Array.from({ length: 6 }, (_, i) => ({ type: "text" as const, text: `turn ${i + 1}` }));
    await fake.setScenario({ costPerTurnUsd: 0.25, runs: [{ steps: [...steps, { type: "result", result: "done" }] }] });
    const stopped = await runFake(fake.bin, [...streamFlags, "--max-budget-usd", "0.6"], { stdin: "work" });
    const lines = stopped.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(stopped.code).toBe(1);
    // 0.25, 0.50, 0.75: the third turn started under the budget and ended past it; no fourth.
    expect(lines.filter((l) => l.type === "assistant")).toHaveLength(3);
    expect(lines.at(-1)).toMatchObject({ type: "result", subtype: "error_max_budget_usd", is_error: true, total_cost_usd: 0.75, terminal_reason: "budget_exhausted" });

    const unbounded = await runFake(fake.bin, streamFlags, { stdin: "work" });
    expect(JSON.parse(unbounded.stdout.trim().split("\n").at(-1)!)).toMatchObject({ subtype: "success", total_cost_usd: 1.5 });
  });

  it("answers --version and auth status", async () => {
    expect((await runFake(fake.bin, ["--version"])).stdout.trim()).toBe("2.1.330 (Claude Code)");
    const status = await runFake(fake.bin, ["auth", "status"], { env: { CLAUDE_CODE_OAUTH_TOKEN: "t" } });
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true });
  });
});
