import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createWriteStream } from "node:fs";

export interface ManagedProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process is gone. */
  exited: Promise<number | string>;
  alive(): boolean;
  /** Signals the process only (not its group): what a crash or an orchestrator's kill looks like. */
  signal(signal: NodeJS.Signals): void;
  /** Signals the whole process group (cleanup: nothing the process started may survive the test). */
  killGroup(signal?: NodeJS.Signals): void;
  /** Resolves once `pattern` appears in the output; rejects when the process exits first or after timeoutMs. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * Starts a command in its own process group with its output kept in memory and appended to logFile,
 * so a failing chaos test shows what the process said.
 */
export function startProcess(command: string, args: string[], options: SpawnOptions & { logFile: string }): ManagedProcess {
  const { logFile, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  const log = createWriteStream(logFile, { flags: "a" });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    // Keep memory bounded on chatty processes: the tail is what matters when a test fails.
    if (text.length > 4_000_000) text = text.slice(-2_000_000);
    log.write(chunk);
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => {
      running = false;
      log.end();
      for (const listener of listeners) listener();
      resolve(code ?? signal ?? "unknown");
    });
  });
  return {
    child,
    pid,
    exited,
    output: () => text,
    alive: () => running,
    signal(signal) {
      if (running) process.kill(pid, signal);
    },
    killGroup(signal = "SIGKILL") {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is already gone.
      }
    },
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(text);
          if (match) return finish(() => resolve(match[0]));
          if (!running) return finish(() => reject(new Error(`${command} exited before printing ${pattern}:\n${text.slice(-3000)}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${pattern} from ${command}:\n${text.slice(-3000)}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
  };
}
