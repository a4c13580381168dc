import { budgetPauseRatio, FixlineError, formatUsd } from "@fixline/core";
import { executionSpentUsd, grantedBudgetUsd, repoSpentTodayUsd } from "@fixline/db";
import type { ClaudeRunOutcome } from "@fixline/claude";
import { saveExecutionState, type ExecutionContext } from "./execution-context";

/** Below this nothing useful runs (the runner refuses it too). */
const minimumRunUsd = 0.01;

export interface ExecutionAllowance {
  /** The approval's grants summed; undefined for an approval without any (before issue 21): no pause then. */
  grantedUsd: number | undefined;
  /** Red and green runs under this approval, every paused and resumed attempt included, each run once. */
  spentUsd: number;
  /** What is left today of the repository's daily cap. */
  dayLeftUsd: number;
}

export async function executionAllowance(context: ExecutionContext): Promise<ExecutionAllowance> {
  const { deps, task, approval, settings } = context;
  const [grantedUsd, spentUsd, spentToday] = await Promise.all([
    grantedBudgetUsd(deps.db, approval.id),
    executionSpentUsd(deps.db, task.id, approval.createdAt),
    repoSpentTodayUsd(deps.db, task.repo),
  ]);
  return { grantedUsd, spentUsd, dayLeftUsd: settings.budgets.perRepoPerDayUsd - spentToday };
}

/** The pause (issue 21): not a failure; execute-task moves the task to waiting_budget and asks once. */
export function budgetWaiting(allowance: ExecutionAllowance): FixlineError {
  const granted = allowance.grantedUsd ?? 0;
  return new FixlineError("BUDGET_WAITING", `${formatUsd(allowance.spentUsd)} of the ${formatUsd(granted)} execution budget is spent (the pause is at ${budgetPauseRatio * 100}%)`, {
    details: { grantedUsd: granted, spentUsd: allowance.spentUsd },
  });
}

function grantReached(allowance: ExecutionAllowance): boolean {
  return allowance.grantedUsd !== undefined && allowance.spentUsd >= budgetPauseRatio * allowance.grantedUsd - 1e-9;
}

/**
 * Before each Claude run of execution: pause at 80% of the grant, refuse when the repository's day is spent,
 * and otherwise the ceiling for the run's --max-budget-usd: what is left of the grant, at most what is left of
 * the day (the per-task cap is the runner's own min). The CLI checks its budget after each turn, so a run
 * ends at most one turn past it: the spend never exceeds the grant plus one turn.
 */
export async function limitForNextRun(context: ExecutionContext): Promise<number> {
  const allowance = await executionAllowance(context);
  if (grantReached(allowance)) throw budgetWaiting(allowance);
  if (allowance.dayLeftUsd < minimumRunUsd) {
    throw new FixlineError("BUDGET_EXHAUSTED", `${context.task.repo} has spent its daily budget of ${formatUsd(context.settings.budgets.perRepoPerDayUsd)}`);
  }
  const grantLeft = allowance.grantedUsd === undefined ? Infinity : allowance.grantedUsd - allowance.spentUsd;
  return Math.min(grantLeft, allowance.dayLeftUsd);
}

/**
 * After a run: one that stopped at its --max-budget-usd because the grant ran out is a pause (its session is
 * saved, so the resumed run continues it), not a failure. A run stopped by the per-task or the daily cap
 * stays CLAUDE_BUDGET_EXCEEDED: those caps are the operator's, and no approval lifts them.
 */
export async function pauseIfGrantSpent(context: ExecutionContext, outcome: ClaudeRunOutcome): Promise<ClaudeRunOutcome> {
  if (outcome.ok || outcome.error.code !== "CLAUDE_BUDGET_EXCEEDED") return outcome;
  const allowance = await executionAllowance(context);
  if (!grantReached(allowance)) return outcome;
  // The checkpoint the resumed run continues: this run's session (the phases save it only after a return).
  if (outcome.sessionId) await saveExecutionState(context.deps.db, context.task.id, context.state, { sessionId: outcome.sessionId });
  throw budgetWaiting(allowance);
}
