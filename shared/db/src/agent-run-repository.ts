import { sql } from "kysely";
import type { AgentPhase } from "@fixline/core";
import type { DbOrTrx } from "./task-repository";

export async function openAgentRun(db: DbOrTrx, run: { taskId: string; phase: AgentPhase; transcriptPath: string; model?: string }): Promise<{ id: string }> {
  return db
    .insertInto("agent_runs")
    .values({ task_id: run.taskId, phase: run.phase, transcript_path: run.transcriptPath, model: run.model ?? null, status: "running" })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export interface AgentRunResult {
  status: "succeeded" | "failed";
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
  sessionId?: string | undefined;
  numTurns?: number | undefined;
  costUsd?: number | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  cacheReadTokens?: number | undefined;
  cacheCreationTokens?: number | undefined;
  durationMs: number;
  exitCode?: number | null | undefined;
  resultText?: string | undefined;
}

export async function closeAgentRun(db: DbOrTrx, runId: string, r: AgentRunResult): Promise<void> {
  await db
    .updateTable("agent_runs")
    .set({
      status: r.status,
      error_code: r.errorCode ?? null,
      error_message: r.errorMessage?.slice(0, 4000) ?? null,
      session_id: r.sessionId ?? null,
      num_turns: r.numTurns ?? null,
      cost_usd: r.costUsd ?? 0,
      input_tokens: r.inputTokens ?? 0,
      output_tokens: r.outputTokens ?? 0,
      cache_read_tokens: r.cacheReadTokens ?? 0,
      cache_creation_tokens: r.cacheCreationTokens ?? 0,
      duration_ms: Math.round(r.durationMs),
      exit_code: r.exitCode ?? null,
      result_text: r.resultText?.slice(0, 20_000) ?? null,
      ended_at: sql`now()`,
    })
    .where("id", "=", runId)
    .execute();
}

/** What a task has spent so far, over all its runs: a run gets only the remainder of the task budget. */
export async function taskSpentUsd(db: DbOrTrx, taskId: string): Promise<number> {
  const row = await db.selectFrom("agent_runs").select(sql<string>`coalesce(sum(cost_usd), 0)`.as("spent")).where("task_id", "=", taskId).executeTakeFirst();
  return Number(row?.spent ?? 0);
}

/** What a repository's tasks spent since midnight UTC (the per-repo daily budget). */
export async function repoSpentTodayUsd(db: DbOrTrx, repo: string): Promise<number> {
  const row = await db
    .selectFrom("agent_runs")
    .innerJoin("tasks", "tasks.id", "agent_runs.task_id")
    .select(sql<string>`coalesce(sum(agent_runs.cost_usd), 0)`.as("spent"))
    .where("tasks.repo", "=", repo)
    .where("agent_runs.started_at", ">=", sql<Date>`date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`)
    .executeTakeFirst();
  return Number(row?.spent ?? 0);
}

export interface AgentRunRecord {
  id: string;
  taskId: string;
  phase: string;
  status: string;
  model: string | null;
  sessionId: string | null;
  numTurns: number | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  durationMs: number | null;
  exitCode: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  resultText: string | null;
  transcriptPath: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

export async function listAgentRuns(db: DbOrTrx, taskId: string): Promise<AgentRunRecord[]> {
  const rows = await db.selectFrom("agent_runs").selectAll().where("task_id", "=", taskId).orderBy("started_at").execute();
  return rows.map((r) => ({
    id: r.id,
    taskId: r.task_id,
    phase: r.phase,
    status: r.status,
    model: r.model,
    sessionId: r.session_id,
    numTurns: r.num_turns,
    costUsd: Number(r.cost_usd),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    cacheReadTokens: Number(r.cache_read_tokens),
    cacheCreationTokens: Number(r.cache_creation_tokens),
    durationMs: r.duration_ms,
    exitCode: r.exit_code,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    resultText: r.result_text,
    transcriptPath: r.transcript_path,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  }));
}
