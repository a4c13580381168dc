import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAgentRun, listAgentRuns, openAgentRun } from "@fixline/db";
import { registry } from "@fixline/observability";
import { runClaude } from "../src/index";
import { fakeScenarios, type FakeClaudeScenario } from "@fixline/testing";
import { createHarness, readLines, secrets, writeSkill, type Harness } from "./harness";

const run = promisify(execFile);

async function counterValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as Array<{ labels: Record<string, string>; value: number }>;
  return values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)).reduce((sum, v) => sum + v.value, 0);
}

describe("runClaude against the fake CLI", () => {
  let h: Harness;
  beforeAll(async () => {
    // The worker has SENTRY_AUTH_TOKEN: the MCP config may carry it, the agent's environment never does.
    h = await createHarness(
      fakeScenarios.success(),
      { SENTRY_AUTH_TOKEN: "sntrys_live" },
      {
        mcpTemplate: {
          mcpServers: {
            sentry: { type: "http", url: "https://mcp.sentry.dev/mcp", headers: { Authorization: "Bearer ${SENTRY_AUTH_TOKEN}" } },
            jira: { type: "stdio", command: "mcp-atlassian", env: { JIRA_API_TOKEN: "${JIRA_API_TOKEN}" } },
            github: { type: "stdio", command: "github-mcp", env: { TOKEN: "${GITHUB_TOKEN}" } },
          },
        },
      },
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it("runs a session that really edits the worktree and records everything", async () => {
    const scenario: FakeClaudeScenario = {
      runs: [
        {
          sessionId: "11111111-2222-4333-8444-555555555555",
          steps: [
            { type: "text", text: "Let me look." },
            { type: "write", path: "src/fix.txt", content: "fixed\n" },
            { type: "bash", command: "echo ran > ran.txt" },
            { type: "result", result: "Fixed it.", costUsd: 0.42 },
          ],
        },
      ],
    };
    await h.fake.setScenario(scenario);
    await writeSkill(h.root, "tdd-workflow");
    const taskId = await h.newTask();
    const before = await counterValue("ai_agent_claude_runs_total", { phase: "red", outcome: "ok" });
    const prompt = "Fix the bug.\nIt lives in src/.";

    const outcome = await runClaude(
      { taskId, phase: "red", cwd: h.worktree, prompt, skills: ["tdd-workflow"], allowedTools: ["Bash(echo:*)", "Edit", "Write"], maxTurns: 12, budgetUsd: 5, timeoutMs: 20_000 },
      h.deps(),
    );

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome).toMatchObject({ sessionId: "11111111-2222-4333-8444-555555555555", resultText: "Fixed it.", costUsd: 0.42, numTurns: 3 });
    expect(outcome.tokens.input).toBeGreaterThan(0);
    expect(outcome.permissionDenials).toEqual([]);
    // The fake really ran the tools in the worktree.
    expect(await readFile(join(h.worktree, "src/fix.txt"), "utf8")).toBe("fixed\n");
    expect(await readFile(join(h.worktree, "ran.txt"), "utf8")).toBe("ran\n");

    const [call] = await h.fake.calls();
    expect(call).toBeDefined();
    if (!call) return;
    // The prompt went on stdin, never on the command line.
    expect(call.prompt).toBe(prompt);
    expect(call.argv.join(" ")).not.toContain("Fix the bug");
    expect(call.argv).toEqual(expect.arrayContaining(["-p", "--verbose", "--strict-mcp-config", "--permission-mode", "acceptEdits", "--max-turns", "12", "--max-budget-usd", "5"]));
    expect(call.argv).not.toContain("--dangerously-skip-permissions");
    expect(call.cwd).toBe(h.worktree);
    // A minimal environment: the Claude key, never the push token, Slack token or database URL.
    expect(call.envPresent).toMatchObject({ ANTHROPIC_API_KEY: true, PATH: true, HOME: true, GITHUB_TOKEN: false, SLACK_BOT_TOKEN: false, DATABASE_URL: false });
    expect(call.envKeys).not.toContain("SENTRY_AUTH_TOKEN");

    // MCP config: substituted, unconfigured and forbidden servers dropped, outside the worktree, gone after the run.
    const mcp = call.mcpConfigs[0];
    expect(mcp?.path.startsWith(h.worktree)).toBe(false);
    expect(JSON.parse(mcp?.content ?? "{}")).toEqual({
      mcpServers: { sentry: { type: "http", url: "https://mcp.sentry.dev/mcp", headers: { Authorization: "Bearer sntrys_live" } } },
    });
    expect(mcp?.content).not.toContain(secrets.GITHUB_TOKEN);
    await expect(access(mcp?.path ?? "/nonexistent")).rejects.toThrow();

    // Skills shown where the CLI looks (Fixline's .claude/ over the worktree's, inside the sandbox), and never in the worktree.
    expect(call.skills).toEqual(["tdd-workflow"]);
    expect(call.settingSources).toEqual(["project"]);
    await expect(access(join(h.worktree, ".claude/skills/tdd-workflow/SKILL.md"))).rejects.toThrow();
    const { stdout: status } = await run("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: h.worktree });
    expect(status).toContain("src/fix.txt");
    expect(status).not.toContain(".claude");

    // Transcript and Redis stream hold every line, in order; agent_runs has the whole story.
    const transcript = await readLines(outcome.transcriptPath ?? "");
    expect(transcript.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(["system", "assistant", "assistant", "user", "assistant", "user", "result"]);
    const entries = await h.streamEntries(taskId);
    expect(entries.slice(0, -1).map((e) => e.line)).toEqual(transcript);
    expect(entries.at(-1)).toMatchObject({ type: "fixline.run_end", run: outcome.runId });
    expect(await h.redis.ttl(`task:${taskId}:output`)).toBeGreaterThan(0);

    const [row] = await listAgentRuns(h.database.db, taskId);
    expect(row).toMatchObject({
      id: outcome.runId,
      phase: "red",
      status: "succeeded",
      sessionId: "11111111-2222-4333-8444-555555555555",
      numTurns: 3,
      costUsd: 0.42,
      inputTokens: outcome.tokens.input,
      outputTokens: outcome.tokens.output,
      cacheReadTokens: outcome.tokens.cacheRead,
      exitCode: 0,
      errorCode: null,
      resultText: "Fixed it.",
      transcriptPath: outcome.transcriptPath,
    });
    expect(row?.endedAt).toBeInstanceOf(Date);
    expect(await counterValue("ai_agent_claude_runs_total", { phase: "red", outcome: "ok" })).toBe(before + 1);
  });

  it("reports tools the allow-list denied", async () => {
    await h.fake.setScenario({ runs: [{ steps: [{ type: "bash", command: "rm -rf /tmp/never" }, { type: "result", result: "could not" }] }] });
    const taskId = await h.newTask();
    const outcome = await runClaude({ taskId, phase: "red", cwd: h.worktree, prompt: "go", allowedTools: ["Bash(npm test:*)"] }, h.deps());
    expect(outcome.permissionDenials).toEqual([expect.objectContaining({ tool_name: "Bash", tool_input: expect.objectContaining({ command: "rm -rf /tmp/never" }) })]);
  });

  const failures: Array<[string, () => FakeClaudeScenario, string]> = [
    ["not logged in (the captured real output)", fakeScenarios.notLoggedIn, "CLAUDE_NOT_AUTHENTICATED"],
    ["max turns", () => fakeScenarios.maxTurns(2), "CLAUDE_MAX_TURNS"],
    ["budget exhausted", () => fakeScenarios.budgetExceeded(0.7), "CLAUDE_BUDGET_EXCEEDED"],
    ["an overloaded API (an outage, issue 20)", () => fakeScenarios.apiError(529), "CLAUDE_OVERLOADED"],
    ["an exit without a result", fakeScenarios.crash, "CLAUDE_CRASHED"],
  ];
  it.each(failures)("classifies %s", async (_name, scenario, code) => {
    await h.fake.setScenario(scenario());
    const taskId = await h.newTask();
    const outcome = await runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "plan it" }, h.deps());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe(code);
    expect(outcome.error.hint.length).toBeGreaterThan(10);
    const [row] = await listAgentRuns(h.database.db, taskId);
    expect(row).toMatchObject({ status: "failed", errorCode: code, exitCode: 1 });
    expect(row?.endedAt).toBeInstanceOf(Date);
  });

  it("records the spend of a run that hit its budget, so the task's next run gets less", async () => {
    await h.fake.setScenario(fakeScenarios.budgetExceeded(0.7));
    const taskId = await h.newTask();
    const first = await runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "p", budgetUsd: 1 }, h.deps());
    expect(first.costUsd).toBe(0.7);
    await h.fake.setScenario(fakeScenarios.success());
    await runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "p", budgetUsd: 1 }, h.deps());
    const calls = await h.fake.calls();
    const last = calls.at(-1)?.argv ?? [];
    expect(last[last.indexOf("--max-budget-usd") + 1]).toBe("0.3");
  });

  it("refuses a run without spawning when the task's budget is spent", async () => {
    const taskId = await h.newTask();
    const earlier = await openAgentRun(h.database.db, { taskId, phase: "planning", transcriptPath: "/dev/null" });
    await closeAgentRun(h.database.db, earlier.id, { status: "succeeded", costUsd: 2.5, durationMs: 10 });
    const callsBefore = (await h.fake.calls()).length;
    const outcome = await runClaude({ taskId, phase: "green", cwd: h.worktree, prompt: "p", budgetUsd: 2.5 }, h.deps());
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe("CLAUDE_BUDGET_EXCEEDED");
    expect(outcome.error.message).toContain("$2.50");
    expect((await h.fake.calls()).length).toBe(callsBefore);
    expect(await listAgentRuns(h.database.db, taskId)).toHaveLength(1);
  });

  it("fails with CLAUDE_NOT_FOUND when CLAUDE_BIN does not exist", async () => {
    const taskId = await h.newTask();
    const config = { ...h.config, claude: { ...h.config.claude, bin: join(h.root, "no-such-claude") } };
    const outcome = await runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "p" }, { ...h.deps(), config });
    expect(!outcome.ok && outcome.error.code).toBe("CLAUDE_NOT_FOUND");
    expect((await listAgentRuns(h.database.db, taskId))[0]).toMatchObject({ status: "failed", errorCode: "CLAUDE_NOT_FOUND" });
  });

  it("tolerates garbage and a 2 MB line, keeping what it can read", async () => {
    await h.fake.setScenario(fakeScenarios.garbage());
    const taskId = await h.newTask();
    const outcome = await runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "p" }, h.deps());
    expect(outcome.ok && outcome.resultText).toBe("survived");
    const transcript = await readLines(outcome.transcriptPath ?? "");
    expect(transcript).toContain("not json at all");
    expect(transcript.every((l) => l.length < 1024 * 1024)).toBe(true);
    const entries = await h.streamEntries(taskId);
    expect(entries.filter((e) => e.type === "invalid").map((e) => e.line)).toEqual(["not json at all", '{"type":"assistant", "truncated', "[1,2,3]"]);
  });

  it("plays plan, red and green runs, resuming the session for green", async () => {
    await h.fake.setScenario({
      runs: [
        { match: "^PLAN", steps: [{ type: "write", path: "PLAN.md", content: "# Plan\n" }, { type: "result", result: "planned" }] },
        { resume: true, steps: [{ type: "write", path: "src/fix.js", content: "export const ok = true;\n" }, { type: "result", result: "green" }] },
        { steps: [{ type: "write", path: "test/fix.test.js", content: "assert(false)\n" }, { type: "result", result: "red" }] },
      ],
    });
    const taskId = await h.newTask();
    const deps = h.deps();
    const plan = await runClaude({ taskId, phase: "planning", cwd: h.worktree, prompt: "PLAN the fix" }, deps);
    const red = await runClaude({ taskId, phase: "red", cwd: h.worktree, prompt: "write a failing test" }, deps);
    expect(red.ok).toBe(true);
    const green = await runClaude({ taskId, phase: "green", cwd: h.worktree, prompt: "make it pass", ...(red.sessionId ? { resumeSessionId: red.sessionId } : {}) }, deps);
    expect([plan.resultText, red.resultText, green.resultText]).toEqual(["planned", "red", "green"]);
    expect(green.sessionId).toBe(red.sessionId);
    await access(join(h.worktree, "PLAN.md"));
    await access(join(h.worktree, "test/fix.test.js"));
    await access(join(h.worktree, "src/fix.js"));
    expect((await listAgentRuns(h.database.db, taskId)).map((r) => r.phase)).toEqual(["planning", "red", "green"]);
  });
});
