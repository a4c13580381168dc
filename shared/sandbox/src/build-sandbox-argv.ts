import { isAbsolute, normalize, sep } from "node:path";
import type { SandboxSpec } from "./sandbox-spec";

export interface SandboxArgv {
  /** bwrap's arguments, ending with `--` and the command. */
  args: string[];
  /** Bind sources left out because they are, or contain, a hidden path. */
  refused: string[];
}

const depth = (path: string) => path.split(sep).filter(Boolean).length;

/** True when `ancestor` is `path` or one of its parent folders. */
export function containsPath(ancestor: string, path: string): boolean {
  const a = normalize(ancestor).replace(/\/+$/, "") || "/";
  const p = normalize(path).replace(/\/+$/, "") || "/";
  return a === "/" || p === a || p.startsWith(`${a}/`);
}

/**
 * The bwrap argv for one sandboxed command (pure). New PID, mount, IPC, UTS and cgroup namespaces (and network
 * unless the phase shares it); a fresh /proc, so the worker's /proc/<pid>/environ does not exist inside; a minimal
 * /dev; a private /tmp and HOME. `--die-with-parent` ties the sandbox to its supervisor, so the watchdog's group
 * kill takes it down. `--new-session` is left out on purpose: it would move the command out of the supervisor's
 * process group (our SIGTERM-then-SIGKILL stop); the supervisor is already spawned detached in its own session
 * without a terminal, so there is no tty to inject keystrokes into (the reason bwrap offers the flag).
 * Binds are emitted shallow-first, so a deeper bind (the worktree inside HOME, `.claude` inside the worktree,
 * a `.git` folder inside the worktree) lands on top of a shallower one.
 */
export function buildSandboxArgv(spec: SandboxSpec, command: readonly string[]): SandboxArgv {
  for (const path of [spec.worktree, ...spec.readOnly, ...spec.readWrite, ...spec.hidden]) {
    if (!isAbsolute(path)) throw new Error(`sandbox paths must be absolute, got ${path}`);
  }
  if (command.length === 0) throw new Error("the sandbox needs a command");
  const refused: string[] = [];
  const allowed = (source: string) => {
    if (spec.hidden.some((hidden) => containsPath(source, hidden))) {
      refused.push(source);
      return false;
    }
    return true;
  };

  const args = ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"];
  if (!spec.network) args.push("--unshare-net");
  args.push("--die-with-parent", "--hostname", "fixline-sandbox");
  for (const entry of spec.system) {
    if (!allowed(entry.path)) continue;
    if (entry.kind === "symlink") args.push("--symlink", entry.target, entry.path);
    else args.push("--ro-bind-try", entry.path, entry.path);
  }
  args.push("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp");
  if (spec.home && !containsPath("/tmp", spec.home)) args.push("--tmpfs", spec.home);

  type Bind = { flag: string; source: string; target: string; order: number };
  const binds: Bind[] = [];
  for (const path of spec.readWrite) if (allowed(path)) binds.push({ flag: "--bind-try", source: path, target: path, order: 0 });
  binds.push({ flag: "--bind", source: spec.worktree, target: spec.worktree, order: 1 });
  // Read-only after read-write at the same depth: a git dir inside a writable folder stays read-only.
  // A path asked for both ways is writable (a test double's state folder that is also the CLI's folder).
  const writable = new Set(spec.readWrite);
  for (const path of spec.readOnly) if (!writable.has(path) && allowed(path)) binds.push({ flag: "--ro-bind-try", source: path, target: path, order: 2 });
  for (const overlay of spec.overlays) binds.push({ flag: "--ro-bind", source: overlay.source, target: overlay.target, order: 3 });
  const seen = new Set<string>();
  binds
    .sort((a, b) => depth(a.target) - depth(b.target) || a.order - b.order)
    .forEach((bind) => {
      const key = `${bind.flag} ${bind.source} ${bind.target}`;
      if (seen.has(key)) return;
      seen.add(key);
      args.push(bind.flag, bind.source, bind.target);
    });
  args.push("--chdir", spec.worktree, "--", ...command);
  return { args, refused };
}
