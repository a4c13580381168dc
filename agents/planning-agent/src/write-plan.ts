import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runClaude, type ClaudeRunOutcome, type RunClaudeOptions } from "@fixline/claude";
import { estimateExecutionCost, FixlineError, parsePlan, planFile, redactorFor, validatePlan, withCostEstimate, type EffectiveRepoSettings, type Logger, type ParsedPlan } from "@fixline/core";
import { appendTaskEvent, getTask, updateTaskFields, type TaskRecord } from "@fixline/db";
import type { ResolvedEnvironment } from "@fixline/environments";
import { buildRepairPrompt } from "./build-planning-prompt";
import { withEnvironmentNotes } from "./plan-environment";
import type { PlanningDeps } from "./planning-deps";
import { planningAllowedTools, planningSkills } from "./planning-tools";

export interface PlanWriting {
  deps: PlanningDeps;
  task: TaskRecord;
  settings: EffectiveRepoSettings;
  worktree: string;
  /** The head before the agent ran: what it committed is taken back. */
  headBefore: string;
  environment: ResolvedEnvironment | undefined;
  signal: AbortSignal;
  log: Logger;
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new FixlineError("CLAUDE_CANCELLED", "planning was stopped");
}

function requireSuccess(outcome: ClaudeRunOutcome, signal: AbortSignal): Extract<ClaudeRunOutcome, { ok: true }> {
  if (outcome.ok) return outcome;
  throwIfAborted(signal);
  throw outcome.error;
}

async function readPlan(worktree: string): Promise<string | null> {
  return readFile(join(worktree, planFile), "utf8").catch(() => null);
}

/** Planning may write PLAN.md only: anything else the agent changed or committed is thrown away and noted. */
async function keepOnlyPlan(w: PlanWriting, phase: string): Promise<void> {
  const { workspaces, db } = w.deps;
  const { worktree: path, headBefore, log } = w;
  const taskId = w.task.id;
  const head = await workspaces.headSha(path);
  const others = (await workspaces.changedFiles(path, headBefore)).filter((file) => file !== planFile);
  if (others.length === 0 && head === headBefore) return;
  await workspaces.discardChangesExcept(path, [planFile], head !== headBefore ? { resetTo: headBefore } : {});
  log.warn({ files: others, agentCommitted: head !== headBefore }, "the planning agent changed files other than PLAN.md; discarded");
  await appendTaskEvent(db, { taskId, type: "agent_changes_discarded", data: { phase, files: others, agentCommitted: head !== headBefore }, state: "planning" });
  const current = await getTask(db, taskId);
  const earlier = current?.data.discardedFiles ?? [];
  await updateTaskFields(db, taskId, { data: { discardedFiles: [...new Set([...earlier, ...others])] } });
}

function claudeOptions(w: PlanWriting): Omit<RunClaudeOptions, "phase" | "prompt"> {
  const { config } = w.deps;
  const timeouts = config.file.defaults.timeouts;
  return {
    taskId: w.task.id,
    cwd: w.worktree,
    skills: planningSkills,
    allowedTools: planningAllowedTools,
    // --restricted: the read tools are confined to the worktree by the CLI too, not only by the sandbox.
    restrictedTools: [...new Set(planningAllowedTools.map((tool) => tool.replace(/\(.*$/, "")))],
    permissionMode: "acceptEdits",
    maxTurns: config.file.defaults.maxTurns.planning,
    budgetUsd: w.settings.budgets.perTaskUsd,
    timeoutMs: timeouts.planningSeconds * 1000,
    idleTimeoutMs: timeouts.idleSeconds * 1000,
    signal: w.signal,
    ...(config.claude.model ? { model: config.claude.model } : {}),
  };
}

/**
 * The planning run, and one repair run (resuming its session) when PLAN.md lacks sections. Returns valid PLAN.md
 * text and what the runs cost (the execution estimate grows from it, issue 21).
 */
async function runPlanningAgent(w: PlanWriting, prompt: string): Promise<{ markdown: string; costUsd: number }> {
  const { db, config, redis } = w.deps;
  const { log, signal } = w;
  const options = claudeOptions(w);
  const claudeDeps = { config, db, redis, logger: log };
  const first = requireSuccess(await runClaude({ ...options, phase: "planning", prompt }, claudeDeps), signal);
  await keepOnlyPlan(w, "planning");
  const markdown = await readPlan(w.worktree);
  const validation = validatePlan(markdown);
  if (validation.ok) return { markdown: markdown as string, costUsd: first.costUsd };

  log.warn({ missing: validation.missing, problems: validation.problems }, "PLAN.md is incomplete; one repair run");
  await appendTaskEvent(db, { taskId: w.task.id, type: "plan_repair", data: { missing: validation.missing, problems: validation.problems }, state: "planning" });
  const repair = { ...options, phase: "plan_repair" as const, prompt: buildRepairPrompt(validation.missing, validation.problems), resumeSessionId: first.sessionId };
  const repairRun = requireSuccess(await runClaude(repair, claudeDeps), signal);
  await keepOnlyPlan(w, "plan_repair");
  const repaired = await readPlan(w.worktree);
  const again = validatePlan(repaired);
  if (!again.ok) {
    const what = [...again.missing.map((s) => `missing "## ${s}"`), ...again.problems].join("; ");
    throw new FixlineError("PLAN_INVALID", `${planFile} is still invalid after a repair run: ${what}`, { details: { missing: again.missing, problems: again.problems } });
  }
  return { markdown: repaired as string, costUsd: first.costUsd + repairRun.costUsd };
}

/** Fixline's additions to the agent's text: the environment notes, the cost estimate, and every secret [redacted]. */
async function finishPlanText(w: PlanWriting, written: string, planningCostUsd: number): Promise<string> {
  let markdown = written;
  if (w.environment) markdown = withEnvironmentNotes(markdown, w.environment);
  // Issue 21: the estimate approving grants as the execution budget, from this planning's cost and the plan's
  // size (the method is in @fixline/core's cost-estimate.ts and the README). Fixline's section, never the agent's.
  markdown = withCostEstimate(markdown, estimateExecutionCost({ planningCostUsd, plan: parsePlan(markdown) }));
  if (markdown !== written) await writeFile(join(w.worktree, planFile), markdown);
  // PLAN.md is published (the commit, the PR, Slack, the dashboard): what the agent wrote of a secret goes (issue 14).
  const redacted = redactorFor(w.deps.config).redact(markdown);
  if (redacted !== markdown) {
    w.log.warn("PLAN.md held secret values or token shapes; they are [redacted] in what Fixline commits");
    await writeFile(join(w.worktree, planFile), redacted);
  }
  return redacted;
}

/** PLAN.md, written by the agent (repaired once if needed), completed by Fixline and parsed. */
export async function writePlan(w: PlanWriting, prompt: string): Promise<{ markdown: string; plan: ParsedPlan }> {
  const written = await runPlanningAgent(w, prompt);
  throwIfAborted(w.signal);
  const markdown = await finishPlanText(w, written.markdown, written.costUsd);
  return { markdown, plan: parsePlan(markdown) };
}
