import { execa } from "execa";
import { FixlineError, type EffectiveRepoSettings, type Logger } from "@fixline/core";
import { detectTestCommand } from "./detect-test-command";
import { parseTestOutput, stripAnsi } from "./parse-test-output";
import type { TestRunResult } from "./test-run-result";

/**
 * A minimal local stand-in for @fixline/environments (issue 10), behind the agreed names and shapes, so the
 * executor can swap to the package by changing one import. It resolves the test command, runs setup and
 * hooks as plain shell commands, and runs tests with per-test parsing. No caching, no containers.
 */
export interface ResolvedEnvironment {
  testCommand: string | undefined;
  setup: string[];
  env: Record<string, string>;
  detected: { kind: string; evidence: string[] };
  allowedBashPrefixes: string[];
  preRun: string[];
  postRun: string[];
  timeoutSeconds: number;
}

export interface ResolveEnvironmentInput {
  worktree: string;
  repo: string;
  settings: EffectiveRepoSettings;
  planTestCommand?: string | undefined;
}

const defaultTestTimeoutSeconds = 600;
const outputTailBytes = 16 * 1024;

export async function resolveEnvironment(input: ResolveEnvironmentInput): Promise<ResolvedEnvironment> {
  const { settings } = input;
  let testCommand: string | undefined;
  let detected: ResolvedEnvironment["detected"];
  if (settings.test) {
    testCommand = settings.test;
    detected = { kind: "config", evidence: [`FIXLINE_CONFIG repos.${input.repo}.test`] };
  } else if (input.planTestCommand) {
    testCommand = input.planTestCommand;
    detected = { kind: "plan", evidence: ["PLAN.md Test command"] };
  } else {
    const found = await detectTestCommand(input.worktree);
    testCommand = found?.command;
    detected = found ? { kind: "detected", evidence: [found.evidence] } : { kind: "none", evidence: [] };
  }
  const setup = settings.setup ?? [];
  return {
    testCommand,
    setup,
    env: settings.env ?? {},
    detected,
    allowedBashPrefixes: [...new Set([...(testCommand ? [testCommand] : []), ...setup, ...(settings.allowedCommands ?? [])])],
    preRun: settings.hooks?.preRun ?? [],
    postRun: settings.hooks?.postRun ?? [],
    timeoutSeconds: settings.timeoutSeconds ?? defaultTestTimeoutSeconds,
  };
}

export interface EnvironmentRunContext {
  worktree: string;
  taskId: string;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * What commands in the worktree see: only what `env` holds (the caller puts PATH and HOME there) plus no
 * colours and no bytecode litter. Never the worker's own environment, which holds the push token.
 */
function commandEnv(env: Record<string, string>): Record<string, string> {
  return {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: "/tmp",
    LANG: "C.UTF-8",
    CI: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    PYTHONDONTWRITEBYTECODE: "1",
    ...env,
  };
}

async function shell(command: string, options: { cwd: string; env: Record<string, string>; timeoutMs: number; signal?: AbortSignal | undefined }) {
  const started = performance.now();
  const result = await execa("sh", ["-c", command], {
    cwd: options.cwd,
    env: commandEnv(options.env),
    extendEnv: false,
    all: true,
    reject: false,
    timeout: options.timeoutMs,
    killSignal: "SIGKILL",
    ...(options.signal ? { cancelSignal: options.signal } : {}),
    stdin: "ignore",
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = stripAnsi(typeof result.all === "string" ? result.all : "");
  return { exitCode: result.timedOut ? 124 : (result.exitCode ?? 1), timedOut: result.timedOut, output, durationMs: performance.now() - started };
}

export async function runSetup(env: ResolvedEnvironment, context: EnvironmentRunContext): Promise<{ durationMs: number; cacheHit: boolean }> {
  const started = performance.now();
  for (const command of env.setup) {
    const result = await shell(command, { cwd: context.worktree, env: env.env, timeoutMs: env.timeoutSeconds * 1000, signal: context.signal });
    if (result.exitCode !== 0) {
      throw new FixlineError("ENV_SETUP_FAILED", `setup command \`${command}\` exited ${result.exitCode}:\n${result.output.slice(-4000)}`);
    }
  }
  return { durationMs: performance.now() - started, cacheHit: false };
}

export async function runHooks(kind: "preRun" | "postRun", env: ResolvedEnvironment, context: EnvironmentRunContext): Promise<void> {
  for (const command of env[kind]) {
    const result = await shell(command, { cwd: context.worktree, env: env.env, timeoutMs: env.timeoutSeconds * 1000, signal: context.signal });
    if (result.exitCode === 0) continue;
    if (kind === "preRun") throw new FixlineError("ENV_SETUP_FAILED", `pre-run hook \`${command}\` exited ${result.exitCode}:\n${result.output.slice(-4000)}`);
    context.logger.warn({ command, exitCode: result.exitCode }, "post-run hook failed; the result stands");
  }
}

export async function runTests(
  command: string,
  options: { worktree: string; env: Record<string, string>; timeoutMs: number; taskId: string; signal?: AbortSignal | undefined },
): Promise<TestRunResult> {
  const result = await shell(command, { cwd: options.worktree, env: options.env, timeoutMs: options.timeoutMs, signal: options.signal });
  const tests = parseTestOutput(result.output);
  const output = result.timedOut ? `${result.output}\n[fixline] the test command timed out after ${options.timeoutMs} ms` : result.output;
  return {
    exitCode: result.exitCode,
    passed: result.exitCode === 0,
    durationMs: Math.round(result.durationMs),
    output: output.length > outputTailBytes ? output.slice(-outputTailBytes) : output,
    tests,
    counts: {
      passed: tests.filter((t) => t.status === "passed").length,
      failed: tests.filter((t) => t.status === "failed").length,
      skipped: tests.filter((t) => t.status === "skipped").length,
    },
  };
}
