import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { baseRunKey, findBaseRun, recordBaseRun, type BaseRunKey } from "@fixline/db";
import type { TestRunResult } from "@fixline/environments";
import { acquireLock } from "@fixline/queue";
import { storedRun, type ExecutionContext, type StoredRun } from "../workflow/execution-context";
import { runSuite } from "./run-suite";
import { agentChangedFiles } from "./setup-leftovers";

export interface BaseRunOutcome {
  run: StoredRun;
  /** The task whose executor ran the suite, when this task reused its run. */
  sharedFrom: string | undefined | null;
  cached: boolean;
}

/**
 * What decides a base run besides the code: the command, the environment it runs in (setup, hooks,
 * variables, toolchain, image, network, sandbox, timeout). Hashed, because variables may be private.
 */
export function environmentHash(context: Pick<ExecutionContext, "environment" | "testCommand" | "testTimeoutMs" | "commandContext">): string {
  const { environment: e, commandContext: c } = context;
  const facts = [context.testCommand, e.setup, e.env, e.detected.kind, e.preRun, e.postRun, e.toolchain, e.image ?? null, e.lockfile ?? null, c.network ?? false, c.sandbox ?? null, context.testTimeoutMs];
  return createHash("sha256").update(JSON.stringify(facts)).digest("hex");
}

/**
 * The commit whose code the base run runs on. A task branch is the base branch plus PLAN.md: when that is all
 * it differs by, the base branch's commit names the code, so every task planned on that base shares one run.
 * Anything else on the branch (or a branch forked from an older base) keys by the branch's own commit.
 */
async function codeCommit(context: ExecutionContext, head: string): Promise<string> {
  const { deps, workspace } = context;
  if (!workspace.baseSha || workspace.baseSha === head) return head;
  const differs = await deps.workspaces.changedFiles(workspace.path, workspace.baseSha, head).catch(() => undefined);
  return differs && differs.every((f) => f === "PLAN.md") ? workspace.baseSha : head;
}

/**
 * The suite on the unfixed code, run once per (base commit, environment, command) across every executor
 * (issue 19): read from Postgres when a task on the same base already ran it, else run here under a Redis
 * lock so that tasks arriving together do not all run it, and recorded for the next. Correctness first: any
 * failure to read, lock or record just means this task runs the suite itself. A run that timed out is not
 * shared (it says more about the machine's load than about the code).
 */
export async function sharedBaseRun(context: ExecutionContext, head: string): Promise<BaseRunOutcome> {
  const { deps, task, logger } = context;
  const key: BaseRunKey = { repo: task.repo, baseCommit: await codeCommit(context, head), environmentHash: environmentHash(context), testCommand: context.testCommand };
  const lookup = async () => findBaseRun<StoredRun>(deps.db, key).catch((error: unknown) => void logger.warn({ err: error }, "could not read the shared base run"));
  const runHere = async (): Promise<BaseRunOutcome> => {
    const run: TestRunResult = await runSuite(context);
    const stored = storedRun(run);
    if (!run.timedOut) await recordBaseRun(deps.db, key, stored as unknown as Record<string, unknown>, task.id).catch((error: unknown) => logger.warn({ err: error }, "could not record the shared base run"));
    return { run: stored, sharedFrom: undefined, cached: false };
  };

  // Shared only from a worktree that is exactly the commit (plus setup's own writes): files left in it by an
  // earlier attempt would make this run say something about code that is not the base's.
  const dirty = await agentChangedFiles(deps.workspaces, context.workspace.path, head, context.state.setupLeftovers).then(
    (files) => files.length > 0,
    () => true,
  );
  if (dirty) {
    logger.info("the worktree differs from its commit; the base run is this task's own and is not shared");
    return { run: storedRun(await runSuite(context)), sharedFrom: undefined, cached: false };
  }
  const found = await lookup();
  if (found) return { run: found.run, sharedFrom: found.taskId, cached: true };
  const lockKey = `${deps.prefix ?? "fixline"}:lock:base-run:${baseRunKey(key)}`;
  // Long enough that a suite outlives no renewal gap; renewed while held.
  const ttlMs = 60_000;
  const deadline = Date.now() + context.testTimeoutMs + 120_000;
  while (!context.signal.aborted) {
    const lock = await acquireLock(deps.redis, lockKey, `task:${task.id}`, { ttlMs }).catch(() => undefined);
    if (lock) {
      try {
        // Another executor may have recorded it between our read and the lock.
        const again = await lookup();
        if (again) return { run: again.run, sharedFrom: again.taskId, cached: true };
        return await runHere();
      } finally {
        await lock.release().catch(() => undefined);
      }
    }
    // Someone runs it now: wait for their record rather than running the same suite beside them.
    await sleep(500, undefined, { signal: context.signal }).catch(() => undefined);
    const recorded = await lookup();
    if (recorded) return { run: recorded.run, sharedFrom: recorded.taskId, cached: true };
    if (Date.now() > deadline) break;
  }
  return runHere();
}
