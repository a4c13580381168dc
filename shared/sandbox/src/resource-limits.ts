import { randomUUID } from "node:crypto";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SandboxLimits } from "./sandbox-spec";

/**
 * How memory and process count are bounded. A cgroup is preferred: RLIMIT_NPROC does not bind root (the kernel
 * exempts the initial user), and only a cgroup counts every process of the sandbox together and tells us which
 * limit was hit. The rlimit fallback (a non-root worker without a writable cgroup, as in our Docker image) caps
 * processes per user and the data segment per process, and cannot say which limit stopped a command.
 */
export type LimitMechanism = "cgroup-v2" | "cgroup-v1" | "rlimit";
export type LimitBreach = "memory" | "processes";

export interface LimitGroup {
  mechanism: LimitMechanism;
  /** A shell prelude that puts the shell into the group (then limits) before it execs bwrap. */
  prelude: string;
  /** Which limit has been hit so far, if any. */
  breach(): Promise<LimitBreach | undefined>;
  /** SIGKILLs every process still in the group (those that left the process group too) and removes it. */
  dispose(): Promise<void>;
}

const root = "/sys/fs/cgroup";

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Our own cgroup path for a v1 controller (or "" for the v2 hierarchy), from /proc/self/cgroup. */
function ownCgroup(controller: string | undefined): string | undefined {
  let text: string;
  try {
    text = readFileSync("/proc/self/cgroup", "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const [, controllers, path] = line.split(":");
    if (path === undefined) continue;
    if (controller === undefined ? controllers === "" : controllers?.split(",").includes(controller)) return path;
  }
  return undefined;
}

interface Layout {
  mechanism: LimitMechanism;
  /** Parent folders to create children in: one for v2, [pids, memory] for v1. */
  parents: string[];
}

let cachedLayout: Layout | undefined;

/** Which mechanism this worker can use; looked up once. */
export function detectLimitLayout(): Layout {
  if (cachedLayout) return cachedLayout;
  const v2Path = ownCgroup(undefined);
  const v2 = v2Path === undefined ? undefined : join(existsSync(join(root, "cgroup.controllers")) ? root : join(root, "unified"), v2Path);
  if (v2 && existsSync(join(v2, "cgroup.controllers"))) {
    const enabled = readFileSync(join(v2, "cgroup.subtree_control"), "utf8");
    if (/\bpids\b/.test(enabled) && /\bmemory\b/.test(enabled) && writable(v2)) return (cachedLayout = { mechanism: "cgroup-v2", parents: [v2] });
  }
  const pids = ownCgroup("pids");
  const memory = ownCgroup("memory");
  if (pids !== undefined && memory !== undefined) {
    const parents = [join(root, "pids", pids), join(root, "memory", memory)];
    if (parents.every((parent) => existsSync(join(parent, "cgroup.procs")) && writable(parent))) return (cachedLayout = { mechanism: "cgroup-v1", parents });
  }
  return (cachedLayout = { mechanism: "rlimit", parents: [] });
}

const readNumber = async (path: string, field: string): Promise<number> => {
  const text = await readFile(path, "utf8").catch(() => "");
  const match = new RegExp(`(?:^|\\n)${field} (\\d+)`).exec(text);
  return match ? Number(match[1]) : 0;
};

async function killMembers(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const text = await readFile(join(dir, "cgroup.procs"), "utf8").catch(() => "");
    const pids = text.split("\n").filter(Boolean).map(Number);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function removeDir(dir: string): Promise<void> {
  await killMembers(dir);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      await new Promise((done) => setTimeout(done, 20));
    }
  }
}

/** A fresh group with the limits applied; the caller runs `prelude` in the shell that execs bwrap. */
export async function createLimitGroup(limits: SandboxLimits): Promise<LimitGroup> {
  const layout = detectLimitLayout();
  const memoryBytes = limits.memoryMb * 1024 * 1024;
  const name = `fixline-sandbox-${randomUUID().slice(0, 12)}`;
  if (layout.mechanism === "rlimit") {
    // ulimit -u is per user (all of the user's processes), -d is per process; both are the best a plain user has.
    return {
      mechanism: "rlimit",
      prelude: `ulimit -u ${limits.maxProcesses} 2>/dev/null; ulimit -d ${memoryBytes / 1024} 2>/dev/null;`,
      breach: async () => undefined,
      dispose: async () => undefined,
    };
  }
  if (layout.mechanism === "cgroup-v2") {
    const dir = join(layout.parents[0] ?? root, name);
    await mkdir(dir);
    await writeFile(join(dir, "pids.max"), String(limits.maxProcesses));
    await writeFile(join(dir, "memory.max"), String(memoryBytes));
    await writeFile(join(dir, "memory.swap.max"), "0").catch(() => undefined);
    await writeFile(join(dir, "memory.oom.group"), "1").catch(() => undefined);
    return {
      mechanism: "cgroup-v2",
      prelude: `echo $$ > '${join(dir, "cgroup.procs")}' || exit 125;`,
      breach: async () => {
        if ((await readNumber(join(dir, "memory.events"), "oom_kill")) > 0) return "memory";
        if ((await readNumber(join(dir, "pids.events"), "max")) > 0) return "processes";
        return undefined;
      },
      dispose: () => removeDir(dir),
    };
  }
  const [pidsParent, memoryParent] = layout.parents as [string, string];
  const pidsDir = join(pidsParent, name);
  const memoryDir = join(memoryParent, name);
  await mkdir(pidsDir);
  await mkdir(memoryDir);
  await writeFile(join(pidsDir, "pids.max"), String(limits.maxProcesses));
  await writeFile(join(memoryDir, "memory.limit_in_bytes"), String(memoryBytes));
  // Without this the group could swap instead of being stopped.
  await writeFile(join(memoryDir, "memory.memsw.limit_in_bytes"), String(memoryBytes)).catch(() => undefined);
  return {
    mechanism: "cgroup-v1",
    prelude: `echo $$ > '${join(pidsDir, "cgroup.procs")}' && echo $$ > '${join(memoryDir, "cgroup.procs")}' || exit 125;`,
    breach: async () => {
      if ((await readNumber(join(memoryDir, "memory.oom_control"), "oom_kill")) > 0) return "memory";
      if ((await readNumber(join(pidsDir, "pids.events"), "max")) > 0) return "processes";
      return undefined;
    },
    dispose: async () => {
      await removeDir(pidsDir);
      await removeDir(memoryDir);
    },
  };
}
