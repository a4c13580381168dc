import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { metrics } from "@fixline/observability";
import { buildCommandEnv } from "./build-command-env";
import { defaultCacheMaxBytes, dependencyCacheKey, evictCache, isInstallCommand, restoreNodeModules, saveNodeModules, savedEntryPath, touchDownloadCaches } from "./dependency-cache";
import { venvDir } from "./detect-environment";
import { cancelledError, commandFailedError, errorTailLines } from "./environment-error";
import { excludeFromGit } from "./exclude-from-git";
import { createLiveOutput } from "./live-output";
import { OutputTail } from "./output-tail";
import type { ResolvedEnvironment } from "./resolve-environment";
import { runCommand } from "./run-command";
import type { CommandRunContext } from "./run-options";

export interface RunSetupOptions extends CommandRunContext {
  repo: string;
  /** Bound of the cache dir; least recently used entries go first. */
  cacheMaxBytes?: number;
}

export interface SetupResult {
  durationMs: number;
  cacheHit: boolean;
  commands: Array<{ command: string; exitCode: number; durationMs: number }>;
  /** Install commands a cache hit made unnecessary. */
  skipped: string[];
}

/** The saved-node_modules key, when this environment can use one. */
async function nodeCacheKey(env: ResolvedEnvironment, options: RunSetupOptions): Promise<string | undefined> {
  if (!options.cacheDir || env.toolchain !== "node" || !env.lockfile) return undefined;
  const installCommands = env.setup.filter(isInstallCommand);
  if (installCommands.length === 0) return undefined;
  const lockfileContent = await readFile(join(options.worktree, env.lockfile)).catch(() => undefined);
  if (lockfileContent === undefined) return undefined;
  return dependencyCacheKey({ repo: options.repo, lockfileContent, installCommands, runtime: `${process.version} ${process.platform}-${process.arch}` });
}

/**
 * Installs the repository's dependencies in the worktree, before red and before green verification. For Node
 * repositories with a lockfile, a node_modules saved under sha256(repo + lockfile + install commands + Node)
 * is restored instead of installing; a miss installs with the shared download cache and saves the result.
 * Every output line goes to the task's live log. Throws ENV_SETUP_FAILED with the failing command's output tail.
 */
export async function runSetup(env: ResolvedEnvironment, options: RunSetupOptions): Promise<SetupResult> {
  const started = performance.now();
  const log = options.logger.child({ taskId: options.taskId, phase: "setup" });
  const live = createLiveOutput({ redis: options.redis, taskId: options.taskId, phase: "setup", logger: log });
  const { env: commandEnv, refused } = buildCommandEnv({
    worktree: options.worktree,
    pathEnv: options.pathEnv,
    networkEnv: options.networkEnv,
    homeDir: options.homeDir,
    repoEnv: env.env,
    toolchain: env.toolchain,
    cacheDir: options.cacheDir,
  });
  if (refused.length > 0) log.warn({ refused }, "repository env names credentials; they are not passed to setup commands");

  const commands: SetupResult["commands"] = [];
  const skipped: string[] = [];
  let cacheHit = false;
  try {
    if (env.setup.length === 0) {
      live.line("no setup commands (none configured or detected)");
      return { durationMs: performance.now() - started, cacheHit, commands, skipped };
    }
    await excludeFromGit(options.worktree, ["/node_modules/", `/${venvDir}/`]);
    const key = await nodeCacheKey(env, options);
    if (key && options.cacheDir) {
      cacheHit = await restoreNodeModules(options.cacheDir, key, options.worktree, log);
      live.line(cacheHit ? `dependency cache hit (${key.slice(0, 12)}): node_modules restored, install skipped` : `dependency cache miss (${key.slice(0, 12)}): installing`);
    }

    // Bound read-write into setup's sandbox, so it must exist before the first install.
    if (options.cacheDir) await mkdir(join(options.cacheDir, "downloads"), { recursive: true });
    for (const command of env.setup) {
      if (cacheHit && isInstallCommand(command)) {
        skipped.push(command);
        continue;
      }
      if (options.signal?.aborted) throw cancelledError(options.signal);
      live.line(`$ ${command}`);
      const tail = new OutputTail(errorTailLines);
      const outcome = await runCommand({
        command,
        cwd: options.worktree,
        env: commandEnv,
        timeoutMs: env.timeoutSeconds * 1000,
        signal: options.signal,
        killGraceMs: options.killGraceMs,
        // Installs reach their registries and fill the shared download cache; nothing else of the host is writable.
        sandbox: { phase: "setup", settings: options.sandbox, readWrite: options.cacheDir ? [join(options.cacheDir, "downloads")] : [], hidden: options.hiddenPaths },
        onLine: (line) => {
          tail.push(line);
          live.line(line);
        },
      });
      commands.push({ command, exitCode: outcome.exitCode, durationMs: Math.round(outcome.durationMs) });
      if (outcome.cancelled) throw cancelledError(options.signal);
      live.line(`${outcome.exitCode === 0 ? "✔" : "✖"} ${command} (exit ${outcome.exitCode}, ${(outcome.durationMs / 1000).toFixed(1)}s)`);
      if (outcome.exitCode !== 0) {
        log.warn({ command, exitCode: outcome.exitCode, timedOut: outcome.timedOut }, "setup command failed");
        throw commandFailedError("setup command", command, outcome, tail.text());
      }
    }

    if (options.cacheDir) {
      if (key && !cacheHit && (await saveNodeModules(options.cacheDir, key, options.worktree, log))) live.line(`node_modules saved to the dependency cache (${key.slice(0, 12)})`);
      await touchDownloadCaches(options.cacheDir);
      await evictCache(options.cacheDir, options.cacheMaxBytes ?? defaultCacheMaxBytes, { keep: key ? [savedEntryPath(options.cacheDir, key)] : [], logger: log });
    }
    const durationMs = performance.now() - started;
    log.info({ durationMs: Math.round(durationMs), cacheHit, commands: commands.length, skipped: skipped.length }, "environment setup finished");
    return { durationMs, cacheHit, commands, skipped };
  } finally {
    metrics.phaseDuration.observe({ phase: "setup" }, (performance.now() - started) / 1000);
    await live.flush();
  }
}
