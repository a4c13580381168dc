/**
 * Where a benchmark's CPU went, from /proc (Linux only): CPU-seconds used by named groups of processes
 * between two snapshots. On a 2-core machine the load generator, the server, Postgres and Redis share
 * the same cores, so a ratio alone does not say which of them was the limit; the split does.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface CpuGroup {
  name: string;
  /** A process belongs to the group when this says so (pid and command name from /proc/<pid>/stat). */
  match: (pid: number, comm: string) => boolean;
}

/** Ticks per group, per pid (so a process that ends between snapshots does not subtract from its group). */
export type CpuSnapshot = Map<string, Map<number, number>>;

const ticksPerSecond = 100; // USER_HZ on Linux (getconf CLK_TCK)

function processTicks(): Array<{ pid: number; comm: string; ticks: number }> {
  const out: Array<{ pid: number; comm: string; ticks: number }> = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm is in parentheses and may hold spaces; the fields after it are space separated.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after "state" (field 3).
      out.push({ pid: Number(entry), comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended between readdir and read
    }
  }
  return out;
}

export function cpuSnapshot(groups: readonly CpuGroup[]): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map(groups.map((g) => [g.name, new Map<number, number>()]));
  for (const { pid, comm, ticks } of processTicks()) {
    const group = groups.find((g) => g.match(pid, comm));
    if (group) snapshot.get(group.name)!.set(pid, ticks);
  }
  return snapshot;
}

/**
 * CPU-seconds per group between two snapshots: for each process alive at the end, what it used since
 * the first snapshot (all of it if it started in between). A process that ended in between is not
 * counted (its last ticks are gone with it), so a group whose processes come and go is under-counted.
 */
export function cpuSeconds(before: CpuSnapshot, after: CpuSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, pids] of after) {
    let ticks = 0;
    for (const [pid, now] of pids) ticks += now - (before.get(name)?.get(pid) ?? 0);
    out.set(name, ticks / ticksPerSecond);
  }
  return out;
}
