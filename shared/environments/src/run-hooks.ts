import { buildCommandEnv } from "./build-command-env";
import { cancelledError, commandFailedError, errorTailLines } from "./environment-error";
import { createLiveOutput } from "./live-output";
import { OutputTail } from "./output-tail";
import type { ResolvedEnvironment } from "./resolve-environment";
import { runCommand } from "./run-command";
import type { CommandRunContext } from "./run-options";

/**
 * Runs the repository's pre-run hooks (before the agent starts: e.g. start a database the tests need) or
 * post-run hooks (after it ends: cleanup). A failing pre-run hook throws ENV_SETUP_FAILED with its output, so
 * the task fails before any agent money is spent; post-run failures are logged and never thrown, since the
 * task's outcome is already decided. Pre-run hooks may leave processes running in the background.
 */
export async function runHooks(kind: "preRun" | "postRun", env: ResolvedEnvironment, options: CommandRunContext): Promise<void> {
  const hooks = kind === "preRun" ? env.preRun : env.postRun;
  if (hooks.length === 0) return;
  if (kind === "postRun") {
    try {
      await runEach(kind, hooks, env, options);
    } catch (error) {
      options.logger.warn({ err: error, taskId: options.taskId }, "post-run hooks could not run; ignored");
    }
    return;
  }
  await runEach(kind, hooks, env, options);
}

async function runEach(kind: "preRun" | "postRun", hooks: string[], env: ResolvedEnvironment, options: CommandRunContext): Promise<void> {
  const log = options.logger.child({ taskId: options.taskId, phase: "hook", hook: kind });
  const live = createLiveOutput({ redis: options.redis, taskId: options.taskId, phase: "hook", logger: log });
  const { env: commandEnv } = buildCommandEnv({
    worktree: options.worktree,
    pathEnv: options.pathEnv,
    networkEnv: options.networkEnv,
    homeDir: options.homeDir,
    repoEnv: env.env,
    toolchain: env.toolchain,
    cacheDir: options.cacheDir,
  });
  try {
    for (const command of hooks) {
      if (kind === "preRun" && options.signal?.aborted) throw cancelledError(options.signal);
      live.line(`$ ${command}  (${kind} hook)`);
      const tail = new OutputTail(errorTailLines);
      const outcome = await runCommand({
        command,
        cwd: options.worktree,
        env: commandEnv,
        timeoutMs: env.timeoutSeconds * 1000,
        // Cleanup must run even when the task was cancelled.
        signal: kind === "preRun" ? options.signal : undefined,
        killGraceMs: options.killGraceMs,
        sandbox: { phase: "hook", settings: options.sandbox, network: options.network, hidden: options.hiddenPaths },
        reapGroup: kind === "postRun",
        onLine: (line) => {
          tail.push(line);
          live.line(line);
        },
      });
      live.line(`${outcome.exitCode === 0 ? "✔" : "✖"} ${kind} hook (exit ${outcome.exitCode}, ${(outcome.durationMs / 1000).toFixed(1)}s)`);
      if (outcome.cancelled) throw cancelledError(options.signal);
      if (outcome.exitCode === 0) continue;
      if (kind === "preRun") {
        log.warn({ command, exitCode: outcome.exitCode }, "pre-run hook failed; the task stops before the agent runs");
        throw commandFailedError("pre-run hook", command, outcome, tail.text());
      }
      log.warn({ command, exitCode: outcome.exitCode, output: tail.text(10) }, "post-run hook failed; ignored");
    }
  } finally {
    await live.flush();
  }
}
