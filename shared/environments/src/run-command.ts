import { execa } from "execa";
import { FixlineError, type SandboxConfig } from "@fixline/core";
import { createLineSplitter } from "./line-splitter";
import { killProcessGroup, watchdogCommand } from "@fixline/processes";
import { defaultSandboxConfig, prepareSandboxedCommand, watchLimits, type LimitBreach, type SandboxPhase } from "@fixline/sandbox";
import { stripAnsi } from "./strip-ansi";

/** Longest line kept (live log, tail, parsers); the rest of a longer line is dropped. */
export const maxOutputLineChars = 4000;

export interface RunCommandOptions {
  command: string;
  cwd: string;
  /** The whole environment: nothing is inherited from the worker. */
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Between SIGTERM and SIGKILL to the process group. */
  killGraceMs?: number;
  /**
   * Kill what is left of the group after a normal exit (default true). Pre-run hooks set false: starting a
   * server in the background for the tests is their point, and the post-run hook stops it.
   */
  reapGroup?: boolean;
  /** Each output line (stdout and stderr, ANSI stripped), in the order they arrive. */
  onLine: (line: string) => void;
  /** How the command is contained (issue 14); undefined = sandboxed as a test run with the default limits. */
  sandbox?: CommandSandbox | undefined;
}

export interface CommandSandbox {
  phase: SandboxPhase;
  settings?: SandboxConfig | undefined;
  /** Test runs: share the host network (the repository opted in). */
  network?: boolean | undefined;
  /** Writable besides the worktree (setup: the download cache). */
  readWrite?: readonly string[] | undefined;
  /** Paths that must stay invisible (data directory, workspaces root). */
  hidden?: readonly string[] | undefined;
}

export interface CommandOutcome {
  /** The command's exit code; 124 after a timeout (like timeout(1)), 130 when cancelled, 128+n when killed by signal n. */
  exitCode: number;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

/**
 * Runs one command through `sh -c` in the worktree, in its own process group, so a timeout or a cancel kills
 * whatever it started (npm's lifecycle scripts, a test runner's workers), not only the shell.
 */
export async function runCommand(options: RunCommandOptions): Promise<CommandOutcome> {
  const started = performance.now();
  if (options.signal?.aborted) return { exitCode: 130, durationMs: 0, timedOut: false, cancelled: true };
  // Under the watchdog: if the worker dies mid-command (kill -9), the command's group goes with it.
  const sandbox = options.sandbox ?? { phase: "test" };
  // Watchdog outside (it leads the process group we kill), bwrap inside it; bwrap runs with the child's env only.
  const prepared = await prepareSandboxedCommand("sh", ["-c", options.command], {
    phase: sandbox.phase,
    worktree: options.cwd,
    env: options.env,
    settings: sandbox.settings ?? { ...defaultSandboxConfig, extraWritable: [] },
    network: sandbox.network,
    readWrite: sandbox.readWrite,
    hidden: sandbox.hidden,
  });
  const supervised = watchdogCommand(prepared.file, prepared.args, process.pid);
  const subprocess = execa(supervised.file, supervised.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    detached: true,
    buffer: false,
    reject: false,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const graceMs = options.killGraceMs ?? 3_000;
  let timedOut = false;
  let cancelled = false;
  let killing: Promise<void> | undefined;
  const stop = () => {
    if (!killing && subprocess.pid !== undefined) killing = killProcessGroup(subprocess.pid, graceMs);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = () => {
    cancelled = true;
    stop();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let limitExceeded: LimitBreach | undefined;
  // A breach (a fork bomb, a runaway allocation) stops the whole sandbox at once, without a grace period.
  const stopWatching = watchLimits(prepared, (breach) => {
    limitExceeded = breach;
    if (!killing && subprocess.pid !== undefined) killing = killProcessGroup(subprocess.pid, 0);
  });

  const emit = (line: string) => options.onLine(stripAnsi(line));
  const out = createLineSplitter(emit, maxOutputLineChars);
  const err = createLineSplitter(emit, maxOutputLineChars);
  subprocess.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
  subprocess.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
  // The shell's exit, not the pipes' end: a background child that keeps stdout open must not hang the run.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    subprocess.once("exit", (code, signal) => done({ code, signal }));
  });

  try {
    const result = await Promise.race([subprocess, exited.then(() => undefined)]);
    if (result?.failed && subprocess.pid === undefined) {
      options.onLine(`fixline: cannot start sh: ${result.shortMessage ?? result.message}`);
      return { exitCode: 127, durationMs: performance.now() - started, timedOut, cancelled };
    }
    const exit = await exited;
    // Leftovers of the group (a server a hook forgot in the foreground) die with the command.
    if (killing) await killing;
    else if (subprocess.pid !== undefined && options.reapGroup !== false) await killProcessGroup(subprocess.pid, graceMs);
    out.end();
    err.end();
    limitExceeded ??= await prepared.breach();
    if (limitExceeded) throw limitError(limitExceeded, options);
    const exitCode = timedOut ? 124 : cancelled ? 130 : (exit.code ?? 128 + (signalNumbers[exit.signal ?? ""] ?? 0));
    return { exitCode, durationMs: performance.now() - started, timedOut, cancelled };
  } finally {
    clearTimeout(timer);
    stopWatching();
    options.signal?.removeEventListener("abort", onAbort);
    await prepared.dispose();
  }
}

function limitError(breach: LimitBreach, options: RunCommandOptions): FixlineError {
  const settings = options.sandbox?.settings ?? defaultSandboxConfig;
  const what = breach === "memory" ? `its memory limit (${settings.memoryMb} MB, SANDBOX_MEMORY_MB)` : `its process limit (${settings.maxProcesses}, SANDBOX_MAX_PROCESSES)`;
  return new FixlineError("SANDBOX_LIMIT_EXCEEDED", `\`${options.command}\` hit ${what} and its sandbox was stopped`, { details: { limit: breach } });
}
