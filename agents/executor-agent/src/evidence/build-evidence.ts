import type { AgentRunRecord } from "@fixline/db";
import type { Evidence, GreenEvidence, PhaseUsage, RedEvidence } from "@fixline/integrations";

/** What the task's `evidence` column holds: the renderer's Evidence plus the facts behind it. */
export interface ExecutionEvidence extends Evidence {
  environment: {
    testCommand: string;
    detected: { kind: string; evidence: string[] };
    setupCommands: string[];
    /** Setup time in this job (every setup run), and whether the first one restored dependencies from the cache. */
    setupMs?: number;
    cacheHit?: boolean;
  };
  baseline: { commit: string; passed: number; failed: number; preExistingFailures: string[] };
  redCommit?: string;
  greenCommit?: string;
  /** Non-test files the agent changed during red; the harness put them back. */
  revertedInRed?: string[];
  scope?: { policy: "warn" | "block"; outside: string[] };
  /** What the agent did to git or PLAN.md that the harness took back before verifying (issue 15). */
  agentFindings?: string[];
  /** The fix itself: the unified diff from the red commit to the green one (cut at fixDiffMaxChars). */
  fixDiff?: string;
  /** How each verification run was scoped (issue 19): whole, reused from another task, or targeted. */
  testRuns?: { base?: string; red?: string; green?: string; reruns?: string };
}

/** A diff longer than this is cut (the evidence lives in a task row and is sent to every dashboard view). */
export const fixDiffMaxChars = 30_000;

/** Cost, turns and tokens per phase, summed over every Claude run of the task (failed attempts cost too). */
export function usageByPhase(runs: readonly AgentRunRecord[]): PhaseUsage[] {
  const byPhase = new Map<string, PhaseUsage>();
  for (const run of runs) {
    const usage = byPhase.get(run.phase) ?? { phase: run.phase, costUsd: 0, turns: 0, inputTokens: 0, outputTokens: 0, durationMs: 0 };
    usage.costUsd += run.costUsd;
    usage.turns += run.numTurns ?? 0;
    usage.inputTokens += run.inputTokens + run.cacheReadTokens + run.cacheCreationTokens;
    usage.outputTokens += run.outputTokens;
    usage.durationMs = (usage.durationMs ?? 0) + (run.durationMs ?? 0);
    byPhase.set(run.phase, usage);
  }
  return [...byPhase.values()];
}

export function buildEvidence(input: {
  red: RedEvidence | undefined;
  green: GreenEvidence | undefined;
  runs: readonly AgentRunRecord[];
  environment: ExecutionEvidence["environment"];
  baseline: ExecutionEvidence["baseline"];
  extra?: Partial<Pick<ExecutionEvidence, "redCommit" | "greenCommit" | "revertedInRed" | "scope" | "agentFindings" | "fixDiff" | "testRuns">>;
}): ExecutionEvidence {
  return {
    ...(input.red ? { red: input.red } : {}),
    ...(input.green ? { green: input.green } : {}),
    usage: usageByPhase(input.runs),
    environment: input.environment,
    baseline: input.baseline,
    ...input.extra,
  };
}
