import { runClaude, type ClaudeRunOutcome } from "@fixline/claude";
import type { ExecutionContext } from "./execution-context";
import { limitForNextRun, pauseIfGrantSpent } from "./execution-budget";
import { executorSkills } from "./execution-prompts";
import { snapshotBeforeAgent, takeBackAgentGit } from "./guard-agent-git";

const editTools = ["Read", "Grep", "Glob", "LS", "Edit", "Write", "MultiEdit"];

/**
 * One Claude run of the red or green phase: file tools, Bash only for the environment's commands, the
 * task's budget (the runner subtracts earlier runs) and the configured limits. A resume whose session is
 * gone (another machine, an expired transcript) falls back once to a fresh session with the same prompt.
 * Issue 21: each run is held to what is left of the execution budget granted with the approval, and 80% of
 * it spent pauses the task (BUDGET_WAITING) before the run starts or when a run stops at its budget.
 */
export async function runClaudePhase(
  context: ExecutionContext,
  phase: "red" | "green",
  prompt: string,
  resumeSessionId: string | undefined,
): Promise<ClaudeRunOutcome> {
  const { deps, task, settings, environment, signal } = context;
  const { timeouts, maxTurns } = deps.config.file.defaults;
  const limitUsd = await limitForNextRun(context);
  const run = (resume: string | undefined) =>
    runClaude(
      {
        taskId: task.id,
        phase,
        cwd: context.workspace.path,
        prompt,
        skills: executorSkills,
        allowedTools: [...editTools, ...environment.allowedBashPrefixes.map((prefix) => `Bash(${prefix}:*)`)],
        permissionMode: "acceptEdits",
        maxTurns: maxTurns.execution,
        budgetUsd: settings.budgets.perTaskUsd,
        ...(Number.isFinite(limitUsd) ? { limitUsd } : {}),
        timeoutMs: timeouts.executionSeconds * 1000,
        idleTimeoutMs: timeouts.idleSeconds * 1000,
        signal,
        ...(resume ? { resumeSessionId: resume } : {}),
      },
      { config: deps.config, db: deps.db, redis: deps.redis, logger: context.logger },
    );
  // Whatever the run ends like, what it did to git and PLAN.md is taken back before anything looks at the tree.
  const before = await snapshotBeforeAgent(context);
  try {
    const outcome = await run(resumeSessionId);
    if (!outcome.ok && resumeSessionId && outcome.error.code === "CLAUDE_CRASHED" && outcome.numTurns === 0) {
      context.logger.warn({ sessionId: resumeSessionId }, "could not resume the session; starting a fresh one");
      return await pauseIfGrantSpent(context, await run(undefined));
    }
    return await pauseIfGrantSpent(context, outcome);
  } finally {
    await takeBackAgentGit(context, before);
  }
}
