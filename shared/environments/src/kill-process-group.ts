import { readdirSync, readFileSync } from "node:fs";

/**
 * Whether a process of the group still runs. Zombies do not count: where PID 1 does not reap (containers),
 * the orphans of a killed group linger as zombies long after they died. Falls back to kill(0) without /proc.
 */
export function processGroupAlive(pgid: number): boolean {
  let entries: string[] | undefined;
  try {
    entries = readdirSync("/proc");
  } catch {
    entries = undefined;
  }
  if (entries) {
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
      } catch {
        // Exited while we looked.
      }
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Stops a command and everything it started (npm's child node, a test runner's workers, a database a hook
 * started in the foreground): commands run detached, so each leads its own process group. SIGTERM first so
 * they can clean up, SIGKILL after the grace period.
 */
export async function killProcessGroup(pgid: number, graceMs: number): Promise<void> {
  if (!processGroupAlive(pgid)) return;
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 50));
    if (!processGroupAlive(pgid)) return;
  }
  signalGroup(pgid, "SIGKILL");
}
