import { readdir, readFile, readlink } from "node:fs/promises";

export interface FoundProcess {
  pid: number;
  cmdline: string;
}

/**
 * Live processes whose command line mentions `marker`, or whose environment has a variable matching
 * `environMarker` (a fake Claude's temp dir is in its wrapper's FAKE_CLAUDE_SCENARIO, but the worker that
 * runs it also has the dir in CLAUDE_BIN, so the environment is matched on one variable). Zombies are
 * dead already and do not count.
 */
export async function findProcesses(marker: string, environMarker?: string): Promise<FoundProcess[]> {
  const found: FoundProcess[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      if (/^State:\s+Z/m.test(status)) continue;
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
      const environ = environMarker ? (await readFile(`/proc/${pid}/environ`, "utf8").catch(() => "")).split("\0") : [];
      if (cmdline.includes(marker) || (environMarker && environ.some((v) => v.startsWith(environMarker)))) found.push({ pid, cmdline: cmdline.trim() });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Resident memory of a process in KiB, from /proc/<pid>/status. */
export async function residentKib(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** Which of `candidates` is `pid` or one of its ancestors (following PPid), if any. */
export async function ancestorAmong(pid: number, candidates: number[]): Promise<number | undefined> {
  let current = pid;
  for (let depth = 0; depth < 20 && current > 1; depth++) {
    if (candidates.includes(current)) return current;
    const status = await readFile(`/proc/${current}/status`, "utf8").catch(() => "");
    const match = /^PPid:\s+(\d+)/m.exec(status);
    if (!match) return undefined;
    current = Number(match[1]);
  }
  return undefined;
}

/**
 * The host pid of a live process that knows itself as `pid` inside its sandbox's PID namespace (what the fake
 * Claude records about itself) and whose command line holds `marker`. Its NSpid line lists the pid in every
 * namespace, outermost first; a process outside any sandbox is found under its own pid. `cwd` picks the right
 * one when several sandboxes are running.
 */
export async function hostPidOf(pid: number, marker: string, cwd?: string): Promise<number | undefined> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = await readFile(`/proc/${entry}/status`, "utf8");
      if (/^State:\s+Z/m.test(status)) continue;
      const nsPids = (/^NSpid:\s+(.+)$/m.exec(status)?.[1] ?? entry).trim().split(/\s+/).map(Number);
      if (nsPids.at(-1) !== pid && Number(entry) !== pid) continue;
      if (!(await readFile(`/proc/${entry}/cmdline`, "utf8")).includes(marker)) continue;
      // Every sandbox numbers its processes from 1, so the same pid lives in several at once: the working
      // directory (the task's worktree, bound at its own path) tells them apart.
      if (cwd !== undefined && (await readlink(`/proc/${entry}/cwd`).catch(() => "")) !== cwd) continue;
      return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}
