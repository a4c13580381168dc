import { readdirSync, readFileSync } from "node:fs";

/** Live (non-zombie) members of a process group, read from /proc; undefined where there is no /proc. */
function liveGroupMembers(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") members.push(Number(entry));
  }
  return members;
}

/**
 * True while a process of the group still runs. Zombies do not count: they hold no resources and, where
 * PID 1 is not an init that reaps (containers), they can linger long after they died.
 */
export function processGroupAlive(pgid: number): boolean {
  const members = liveGroupMembers(pgid);
  if (members !== undefined) return members.length > 0;
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
 * Stops a child and everything it started (Claude and its MCP servers, setup commands, test runners): children
 * are spawned detached, so each leads its own process group. SIGTERM first so they can close cleanly, SIGKILL after the grace
 * period for whatever ignored it.
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
  // SIGKILL cannot be ignored; wait briefly so callers see the group gone.
  const killDeadline = Date.now() + 2_000;
  while (Date.now() < killDeadline && processGroupAlive(pgid)) await new Promise((done) => setTimeout(done, 20));
}
