import { buildCommandEnv } from "./build-command-env";
import { cancelledError } from "./environment-error";
import { createLiveOutput } from "./live-output";
import { narrowTestCommand } from "./narrow-test-command";
import { OutputTail } from "./output-tail";
import { createTestOutputParser, type ParsedTest, type TestCounts } from "./parse-test-output";
import type { ResolvedEnvironment } from "./resolve-environment";
import { runCommand } from "./run-command";
import type { CommandRunContext } from "./run-options";
import { targetTestCommand, type TargetRequest } from "./target-test-command";

/** Lines of output kept in a test result (the live log has all of it). */
export const testOutputTailLines = 200;

export interface TestRunResult {
  exitCode: number;
  passed: boolean;
  durationMs: number;
  /** The last ~200 lines, ANSI stripped, each line bounded. */
  output: string;
  tests: ParsedTest[];
  counts: TestCounts;
  timedOut: boolean;
  /** The command that actually ran (narrowed by `only` when the runner allows). */
  command: string;
  /** What the run was narrowed to by `target` ("1 file", "3 tests"); absent for a whole run. */
  targeted?: string;
}

export interface RunTestsOptions extends CommandRunContext {
  /** The resolved environment (its env, toolchain and caches apply), or just the repository's variables. */
  env: ResolvedEnvironment | Record<string, string>;
  timeoutMs: number;
  /** Test names to run, best effort: ignored when the runner's filter flag is unknown. */
  only?: string[] | undefined;
  /** Files and tests to run with the runner's own selection (issue 19); a runner that cannot select runs whole. */
  target?: TargetRequest | undefined;
}

function isResolved(env: RunTestsOptions["env"]): env is ResolvedEnvironment {
  return typeof (env as Partial<ResolvedEnvironment>).detected === "object" && Array.isArray((env as Partial<ResolvedEnvironment>).setup);
}

/**
 * Runs the test command in the worktree with the environment's minimal env, streaming its output to the live
 * log, and returns the exit code (which decides), the tail of the output and the tests it could read out of it.
 * A timeout is a failed run with exit code 124; a cancel throws.
 */
export async function runTests(command: string, options: RunTestsOptions): Promise<TestRunResult> {
  const log = options.logger.child({ taskId: options.taskId, phase: "test" });
  const live = createLiveOutput({ redis: options.redis, taskId: options.taskId, phase: "test", logger: log, redactor: options.redactor });
  const resolved = isResolved(options.env) ? options.env : undefined;
  const { env } = buildCommandEnv({
    worktree: options.worktree,
    pathEnv: options.pathEnv,
    networkEnv: options.networkEnv,
    homeDir: options.homeDir,
    repoEnv: resolved ? resolved.env : (options.env as Record<string, string>),
    toolchain: resolved?.toolchain,
    cacheDir: options.cacheDir,
  });
  const targeted = options.target ? targetTestCommand(command, options.target) : undefined;
  const narrowed = targeted ? { command: targeted.command, narrowed: targeted.targeted !== undefined } : narrowTestCommand(command, options.only);
  if ((options.only?.length || options.target) && !narrowed.narrowed) log.info({ command }, "cannot narrow this test command; running it whole");
  const tail = new OutputTail(testOutputTailLines);
  const parser = createTestOutputParser();
  try {
    live.line(`$ ${narrowed.command}`);
    const outcome = await runCommand({
      command: narrowed.command,
      cwd: options.worktree,
      env,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      killGraceMs: options.killGraceMs,
      // No network unless the repository opted in: loopback Postgres, Redis and the webhook server stay unreachable.
      sandbox: { phase: "test", settings: options.sandbox, network: options.network, hidden: options.hiddenPaths },
      onLine: (line) => {
        tail.push(line);
        parser.push(line);
        live.line(line);
      },
    });
    if (outcome.cancelled) throw cancelledError(options.signal);
    if (outcome.timedOut) {
      const note = `fixline: the test command timed out after ${Math.round(options.timeoutMs / 1000)}s and was stopped`;
      tail.push(note);
      live.line(note);
    }
    const { tests, counts } = parser.result();
    live.line(`${outcome.exitCode === 0 ? "✔" : "✖"} tests exited ${outcome.exitCode} in ${(outcome.durationMs / 1000).toFixed(1)}s (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)`);
    return {
      exitCode: outcome.exitCode,
      passed: outcome.exitCode === 0 && !outcome.timedOut,
      durationMs: Math.round(outcome.durationMs),
      output: tail.text(),
      tests,
      counts,
      timedOut: outcome.timedOut,
      command: narrowed.command,
      ...(targeted?.targeted ? { targeted: targeted.targeted } : {}),
    };
  } finally {
    await live.flush();
  }
}
