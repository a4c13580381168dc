import type { AgentRunRecord } from "@fixline/db";
import type { ExecutionEvidence, GreenEvidence, PhaseUsage, RedEvidence } from "@fixline/core";

/** What the task's `evidence` column holds: the renderers' Evidence plus the facts behind it (@fixline/core's schema). */
export type { ExecutionEvidence };

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
