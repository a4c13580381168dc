import type { RunClaudeDeps } from "@fixline/claude";
import type { Config, EffectiveRepoSettings, Logger } from "@fixline/core";
import { updateTaskFields, type ApprovalRecord, type FixlineDb, type TaskRecord } from "@fixline/db";
import type { CommandRunContext, ResolvedEnvironment, TestRunResult } from "@fixline/environments";
import type { Workspace, Workspaces } from "@fixline/git";
import type { GitHubClient, GreenEvidence, RedEvidence } from "@fixline/integrations";
import type { FileFingerprints } from "../environment/setup-leftovers";
import type { ExecutionPlan } from "../plan/read-execution-plan";

type Redis = RunClaudeDeps["redis"];

export interface ExecutorDeps {
  config: Config;
  db: FixlineDb;
  /** BullMQ's connection (maxRetriesPerRequest: null). */
  connection: Redis;
  /** BullMQ key prefix; also namespaces the per-PR lock. Default "fixline". */
  prefix?: string;
  /** The pool whose queue this worker consumes (issue 20; `repos.<repo>.pool`). Default `default`. */
  pool?: string;
  logger: Logger;
  workspaces: Workspaces;
  /** Pull request body, ready-for-review and comments. Slack and Jira are the notify worker's. */
  github: GitHubClient;
  /** For the runner's live output stream and the per-PR lock. */
  redis: Redis;
  /** Jobs per process; defaults to config.executorConcurrency (EXECUTOR_CONCURRENCY). */
  concurrency?: number;
  /** How long the per-PR lock lives without renewal. */
  lockTtlMs?: number;
}

/** A test run as kept on the task: everything but the output. */
export type StoredRun = Omit<TestRunResult, "output">;

/**
 * What the executor keeps in the task's `data` column so a retried or redelivered job resumes from the last
 * proven phase. Bound to the plan commit: a new plan starts from scratch.
 */
export interface ExecutionState {
  executionPlanSha?: string;
  baseCommit?: string;
  baseRun?: StoredRun;
  lastProvenPhase?: "red" | "green";
  redCommit?: string;
  greenCommit?: string;
  sessionId?: string;
  redTests?: string[];
  redTestFiles?: string[];
  redEvidence?: RedEvidence;
  greenEvidence?: GreenEvidence;
  revertedInRed?: string[];
  scopeWarnings?: string[];
  /** Files setup wrote (a generated lockfile): never the agent's change, never committed. */
  setupLeftovers?: FileFingerprints;
  /** What the agent did to git or PLAN.md that the harness took back (commits, refs, plan edits). */
  agentFindings?: string[];
  /** The commit holding the agent's unverified work after a failure (refs/fixline/<task>/wip on the remote). */
  wipCommit?: string;
  /** How each verification run was scoped (issue 19): "whole suite", "reused from task …", "targeted: 1 file". */
  testRuns?: TestRunsNote;
}

export interface TestRunsNote {
  base?: string;
  red?: string;
  green?: string;
  reruns?: string;
}

const stateKeys = [
  "executionPlanSha",
  "baseCommit",
  "baseRun",
  "lastProvenPhase",
  "redCommit",
  "greenCommit",
  "sessionId",
  "redTests",
  "redTestFiles",
  "redEvidence",
  "greenEvidence",
  "revertedInRed",
  "scopeWarnings",
  "setupLeftovers",
  "agentFindings",
  "wipCommit",
  "testRuns",
] as const satisfies ReadonlyArray<keyof ExecutionState>;

export function loadExecutionState(task: TaskRecord): ExecutionState {
  const data = task.data as ExecutionState;
  if (data.executionPlanSha !== task.planSha) return { executionPlanSha: task.planSha ?? undefined };
  const state: Record<string, unknown> = {};
  for (const key of stateKeys) if (data[key] !== undefined) state[key] = data[key];
  return state as ExecutionState;
}

export async function saveExecutionState(db: FixlineDb, taskId: string, state: ExecutionState, changes: ExecutionState): Promise<void> {
  Object.assign(state, changes);
  // Keys the new plan does not have are cleared explicitly: `data` merges shallowly.
  const data: Record<string, unknown> = {};
  for (const key of stateKeys) data[key] = state[key] ?? null;
  await updateTaskFields(db, taskId, { data });
}

export function storedRun(run: TestRunResult): StoredRun {
  const { output: _output, ...rest } = run;
  return rest;
}

/** Everything a phase needs, built once per job. */
export interface ExecutionContext {
  deps: ExecutorDeps;
  task: TaskRecord;
  approval: ApprovalRecord;
  settings: EffectiveRepoSettings;
  /** settings.dryRun: everything runs locally, nothing is pushed or posted (see outbound.ts). */
  dryRun: boolean;
  workspace: Workspace;
  planMarkdown: string;
  plan: ExecutionPlan;
  environment: ResolvedEnvironment;
  /** Where and how setup, hooks and test runs execute (worktree, PATH, HOME, dependency cache, live log). */
  commandContext: CommandRunContext;
  /** Setup so far in this job: total time, and whether the first setup restored dependencies from the cache. */
  setup: { durationMs: number; cacheHit: boolean | undefined };
  testCommand: string;
  testTimeoutMs: number;
  state: ExecutionState;
  signal: AbortSignal;
  logger: Logger;
}
