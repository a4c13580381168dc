// The lock itself is @fixline/queue's acquireLock (one implementation for both agents, issue 18); these are its keys.

export function prLockKey(prefix: string, repo: string, prNumber: number): string {
  return `${prefix}:lock:pr:${repo}#${prNumber}`;
}

/** A dry run without a pull request locks its task instead (one executor per task still holds). */
export function taskLockKey(prefix: string, taskId: string): string {
  return `${prefix}:lock:task:${taskId}`;
}
