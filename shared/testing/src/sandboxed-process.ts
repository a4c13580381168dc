import { readdirSync, readFileSync } from "node:fs";

/**
 * True while a process is alive that knows itself as `pid` (inside a sandbox's PID namespace, or on the host)
 * and whose command line holds `marker`. A sandboxed process records its namespace pid; the host sees it under
 * another one, and /proc/<host pid>/status's NSpid line lists both. Zombies do not count.
 */
export function sandboxedProcessAlive(pid: number, marker: string): boolean {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const state = /^State:\s+(\S)/m.exec(status)?.[1];
      if (state === "Z" || state === "X") continue;
      const nsPids = (/^NSpid:\s+(.+)$/m.exec(status)?.[1] ?? entry).trim().split(/\s+/).map(Number);
      if (nsPids.at(-1) !== pid && Number(entry) !== pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(marker)) return true;
    } catch {
      // gone while we looked
    }
  }
  return false;
}
