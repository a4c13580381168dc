import { execa } from "execa";
import { FixlineError, type ErrorCode, type Logger } from "@fixline/core";
import { gitEnv } from "./git-env";
import { noAuth, type GitAuth } from "./git-auth";
import { scrubSecrets } from "./scrub-secrets";

export interface GitRunOptions {
  /** Runs `git -C <cwd>`. */
  cwd?: string;
  /** Credentials for this one command (fetch, push, ls-remote); every other command runs without. */
  auth?: GitAuth;
  /** Extra environment for this command only, e.g. the commit author. */
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 from `diff --quiet`). */
  okExitCodes?: number[];
  /** The code thrown when the command fails; GIT_FAILED unless the caller knows better. */
  errorCode?: ErrorCode;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type GitRunner = (args: string[], options?: GitRunOptions) => Promise<GitResult>;

export interface GitRunnerOptions {
  logger: Logger;
  /** The PATH git children see; the entry point passes the process's own. */
  pathEnv: string;
  networkEnv?: Record<string, string>;
  /** The git executable; tests inject a wrapper that records what each child received. */
  gitBin?: string;
}

/**
 * Settings forced on every command, overriding the repository's own config. The agent works inside the
 * worktree and can change the (shared) repository config, so nothing there may run code in our git
 * processes: no hooks (husky and friends would run with the worker's credentials in reach and can block
 * machine commits), no fsmonitor, no credential helper (diffs pass --no-ext-diff).
 */
const hardening = [
  ...["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "credential.helper=", "-c", "gc.auto=0", "-c", "maintenance.auto=false"],
  // Defence in depth beside the mirror-config allow-list (mirror-config.ts, issue 14).
  ...["-c", "core.attributesFile=/dev/null", "-c", "protocol.ext.allow=never", "-c", "core.pager=cat"],
];

/** The one place git is spawned: a clean environment, scrubbed errors and debug logs. */
export function createGitRunner(options: GitRunnerOptions): GitRunner {
  const gitBin = options.gitBin ?? "git";
  return async (args, runOptions = {}) => {
    const auth = runOptions.auth ?? noAuth;
    const argv = [...(runOptions.cwd ? ["-C", runOptions.cwd] : []), ...hardening, ...args];
    const started = Date.now();
    const result = await execa(gitBin, argv, {
      env: gitEnv(options.pathEnv, { ...options.networkEnv, ...runOptions.env, ...auth.env }),
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      stdin: "ignore",
      maxBuffer: 256 * 1024 * 1024,
    });
    const exitCode = result.exitCode ?? -1;
    const command = scrubSecrets(["git", ...args].join(" "), auth.secrets);
    const stderr = scrubSecrets(String(result.stderr), auth.secrets);
    options.logger.debug({ git: command, cwd: runOptions.cwd, exitCode, durationMs: Date.now() - started }, "git");
    if (exitCode === 0 || runOptions.okExitCodes?.includes(exitCode)) {
      return { stdout: String(result.stdout), stderr, exitCode };
    }
    const reason = result.exitCode === undefined ? scrubSecrets(result.shortMessage ?? "could not run git", auth.secrets) : stderr;
    throw new FixlineError(runOptions.errorCode ?? "GIT_FAILED", `${command} failed (exit ${exitCode}): ${lastLines(reason)}`, {
      details: { command, cwd: runOptions.cwd, exitCode, stderr: lastLines(stderr, 40) },
    });
  };
}

function lastLines(text: string, count = 5): string {
  return text.trim().split("\n").slice(-count).join("\n");
}
