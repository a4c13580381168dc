import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { DbOrTrx } from "./task-repository";

/** What identifies a base run: the same code, the same environment, the same command give the same suite result. */
export interface BaseRunKey {
  repo: string;
  baseCommit: string;
  environmentHash: string;
  testCommand: string;
}

export interface BaseRunRecord<Run> {
  run: Run;
  /** The task whose executor ran it. */
  taskId: string | null;
  createdAt: Date;
}

/** One fixed-length key for the four parts (a test command may be long). */
export function baseRunKey(key: BaseRunKey): string {
  return createHash("sha256").update(JSON.stringify([key.repo, key.baseCommit, key.environmentHash, key.testCommand])).digest("hex");
}

export async function findBaseRun<Run>(db: DbOrTrx, key: BaseRunKey): Promise<BaseRunRecord<Run> | undefined> {
  const row = await db.selectFrom("base_test_runs").select(["run", "task_id", "created_at"]).where("key", "=", baseRunKey(key)).executeTakeFirst();
  return row ? { run: row.run as Run, taskId: row.task_id, createdAt: row.created_at } : undefined;
}

/**
 * Records a base run; the first writer wins (two executors that both ran it hold the same facts). Returns
 * whether this call wrote it.
 */
export async function recordBaseRun(db: DbOrTrx, key: BaseRunKey, run: Record<string, unknown>, taskId?: string): Promise<boolean> {
  const result = await db
    .insertInto("base_test_runs")
    .values({
      key: baseRunKey(key),
      repo: key.repo,
      base_commit: key.baseCommit,
      environment_hash: key.environmentHash,
      test_command: key.testCommand,
      run: JSON.stringify(run),
      task_id: taskId ?? null,
    })
    .onConflict((oc) => oc.column("key").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Drops base runs older than `olderThanDays` (a base commit stops mattering once its tasks are done). */
export async function pruneBaseRuns(db: DbOrTrx, olderThanDays: number): Promise<number> {
  const result = await db.deleteFrom("base_test_runs").where("created_at", "<", sql<Date>`now() - make_interval(days => ${olderThanDays})`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
