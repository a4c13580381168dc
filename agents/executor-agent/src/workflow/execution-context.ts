import { executionStateKeys, executionStateSchema, type Config, type EffectiveRepoSettings, type ExecutionState, type Logger, type StoredRun, type TaskDataPatch, type TestRunsNote } from "@fixline/core";
import { updateTaskFields, type ApprovalRecord, type FixlineDb, type TaskRecord } from "@fixline/db";
import type { CommandRunContext, ResolvedEnvironment, TestRunResult } from "@fixline/environments";
import type { Workspace, Workspaces } from "@fixline/git";
import type { GitHubClient } from "@fixline/integrations";
import type { RedisClient } from "@fixline/queue";
import type { ExecutionPlan } from "../plan/read-execution-plan";


export interface ExecutorDeps {
  config: Config;
  db: FixlineDb;
  /** BullMQ's connection (maxRetriesPerRequest: null). */
  connection: RedisClient;
  /** BullMQ key prefix; also namespaces the per-PR lock. Default "fixline". */
  prefix?: string;
  /** The pool whose queue this worker consumes (issue 20; `repos.<repo>.pool`). Default `default`. */
  pool?: string;
  logger: Logger;
  workspaces: Workspaces;
  /** Pull request body, ready-for-review and comments. Slack and Jira are the notify worker's. */
  github: GitHubClient;
  /** For the runner's live output stream and the per-PR lock. */
  redis: RedisClient;
  /** Jobs per process; defaults to config.executorConcurrency (EXECUTOR_CONCURRENCY). */
  concurrency?: number;
  /** How long the per-PR lock lives without renewal. */
  lockTtlMs?: number;
}

/** The executor's slice of the task's `data` (its schema is @fixline/core's executionStateSchema). */
export type { ExecutionState, StoredRun, TestRunsNote };

/** The state to resume from: the stored slice if it belongs to this plan commit, else a fresh start. */
export function loadExecutionState(task: TaskRecord): ExecutionState {
  if (task.data.executionPlanSha !== task.planSha) return { executionPlanSha: task.planSha ?? undefined };
  return executionStateSchema.parse(task.data);
}

export async function saveExecutionState(db: FixlineDb, taskId: string, state: ExecutionState, changes: ExecutionState): Promise<void> {
  Object.assign(state, changes);
  // Keys the new plan does not have are cleared explicitly: `data` merges shallowly.
  const data: TaskDataPatch = {};
  for (const key of executionStateKeys) copyOrClear(data, state, key);
  await updateTaskFields(db, taskId, { data });
}

function copyOrClear<K extends keyof ExecutionState>(patch: TaskDataPatch, state: ExecutionState, key: K): void {
  patch[key] = state[key] ?? null;
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
