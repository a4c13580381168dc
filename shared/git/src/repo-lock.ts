import { mkdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { FixlineError } from "@fixline/core";

export interface RepoLockOptions {
  /** A lock whose holder stopped refreshing it this long ago is taken over (the holder crashed). */
  staleMs?: number;
  /** How long to wait for the lock before failing. */
  timeoutMs?: number;
  /** Milliseconds between attempts. */
  pollMs?: number;
}

export type WithLock = <T>(lockPath: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Serialises work on one repository's mirror: an in-process promise chain per lock path (cheap, fair for
 * tasks in this worker) plus a lock directory on disk (`mkdir` is atomic), so workers in other processes
 * sharing the workspace directory wait too. The holder touches the directory while it works; a lock left
 * by a crashed process goes stale and is taken over.
 */
export function createRepoLock(options: RepoLockOptions = {}): WithLock {
  const staleMs = options.staleMs ?? 120_000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const pollMs = options.pollMs ?? 50;
  const chains = new Map<string, Promise<unknown>>();

  async function acquire(lockPath: string): Promise<() => Promise<void>> {
    await mkdir(dirname(lockPath), { recursive: true });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await mkdir(lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const held = await stat(lockPath).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > staleMs) {
        // Taken over rather than waited for: its holder has not refreshed it for staleMs.
        await rm(lockPath, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new FixlineError("GIT_FAILED", `timed out after ${timeoutMs} ms waiting for the repository lock ${lockPath}`);
      }
      await sleep(pollMs);
    }
    await writeFile(join(lockPath, "owner"), `${process.pid}\n`).catch(() => undefined);
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => undefined);
    }, Math.max(1_000, Math.floor(staleMs / 3)));
    heartbeat.unref();
    return async () => {
      clearInterval(heartbeat);
      await rm(lockPath, { recursive: true, force: true });
    };
  }

  return async <T>(lockPath: string, fn: () => Promise<T>): Promise<T> => {
    const previous = chains.get(lockPath) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(async () => {
      const release = await acquire(lockPath);
      try {
        return await fn();
      } finally {
        await release();
      }
    });
    const tail = run.catch(() => undefined);
    chains.set(lockPath, tail);
    void tail.then(() => {
      if (chains.get(lockPath) === tail) chains.delete(lockPath);
    });
    return run;
  };
}
