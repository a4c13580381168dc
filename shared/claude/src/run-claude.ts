import { randomUUID } from "node:crypto";
import { realpathSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Cluster, Redis } from "ioredis";
import { execa } from "execa";
import type { SDKPermissionDenial, SDKResultMessage } from "@anthropic-ai/claude-agent-sdk";
import { FixlineError, redactorFor, toFixlineError, type AgentPhase, type Config, type Logger } from "@fixline/core";
import { closeAgentRun, openAgentRun, taskSpentUsd, type FixlineDb } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { buildClaudeArgs, type ClaudePermissionMode } from "./build-claude-args";
import { buildClaudeEnv } from "./build-claude-env";
import { buildMcpConfig } from "./build-mcp-config";
import { classifyOutcome, type Termination } from "./classify-outcome";
import { installSkills } from "./install-skills";
import { isWatchdogNotFound, killProcessGroup, watchdogCommand } from "@fixline/processes";
import { findExecutable, prepareSandboxedCommand, watchLimits, type PreparedCommand } from "@fixline/sandbox";
import { fixlineClaudeSettings } from "./fixline-claude-settings";
import { isAssistantMessage, isInitMessage, isResultMessage, parseStreamLine } from "./parse-stream-line";
import { createRunOutputSink } from "./run-output-sink";
import { splitLines } from "./split-lines";

/** Lines longer than this are dropped (and logged), never buffered: one runaway tool output must not OOM a worker. */
export const maxStreamLineBytes = 1024 * 1024;
/** Below this a run could not do anything useful, so it is refused rather than started. */
const minimumRunBudgetUsd = 0.01;
const stderrTailBytes = 64 * 1024;

export interface RunClaudeOptions {
  taskId: string;
  phase: AgentPhase;
  /** The task's worktree; Claude runs here and may change anything in it. */
  cwd: string;
  /** Goes on stdin, never on the command line. */
  prompt: string;
  /** Skill folder names under config.skillsDir to install into the worktree. */
  skills?: readonly string[];
  /** MCP servers (names in the template) this phase may use; undefined = every configured one. */
  mcpServers?: readonly string[];
  allowedTools?: readonly string[];
  /** Run with `--restricted` and only these built-in tools (planning: read tools confined to the worktree). */
  restrictedTools?: readonly string[];
  permissionMode?: ClaudePermissionMode;
  maxTurns?: number;
  /** The task's whole budget: this run gets what earlier runs of the task left. */
  budgetUsd?: number;
  /**
   * A further ceiling for this run alone (issue 21: what is left of the execution budget granted with the
   * approval, already the min with the per-day cap). `--max-budget-usd` gets the smaller of the two.
   */
  limitUsd?: number;
  model?: string;
  resumeSessionId?: string;
  timeoutMs?: number;
  /** Longest silence on stdout before the run is presumed stuck. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL to the process group. */
  killGraceMs?: number;
}

export interface RunClaudeDeps {
  config: Config;
  db: FixlineDb;
  redis: Redis | Cluster;
  logger: Logger;
  now?: () => number;
}

export interface ClaudeTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export interface ClaudeRunStats {
  /** The agent_runs row; undefined only when the run was refused before it started (no budget left). */
  runId: string | undefined;
  sessionId: string | undefined;
  costUsd: number;
  numTurns: number;
  tokens: ClaudeTokens;
  resultText: string | undefined;
  durationMs: number;
  permissionDenials: SDKPermissionDenial[];
  exitCode: number | null;
  transcriptPath: string | undefined;
}

export type ClaudeRunOutcome = ({ ok: true; sessionId: string; resultText: string } & Omit<ClaudeRunStats, "sessionId" | "resultText">) | ({ ok: false; error: FixlineError } & ClaudeRunStats);

const zeroTokens = (): ClaudeTokens => ({ input: 0, output: 0, cacheRead: 0, cacheCreation: 0 });

/**
 * Tokens of the whole run. modelUsage covers subagents and compaction too, so it is preferred; `usage` is
 * the main loop only (sdk.d.ts), the fallback for results without modelUsage.
 */
function tokensOf(result: SDKResultMessage): ClaudeTokens {
  const models = Object.values(result.modelUsage ?? {});
  if (models.length > 0) {
    return models.reduce<ClaudeTokens>(
      (sum, m) => ({
        input: sum.input + (m.inputTokens ?? 0),
        output: sum.output + (m.outputTokens ?? 0),
        cacheRead: sum.cacheRead + (m.cacheReadInputTokens ?? 0),
        cacheCreation: sum.cacheCreation + (m.cacheCreationInputTokens ?? 0),
      }),
      zeroTokens(),
    );
  }
  const u = result.usage;
  return { input: u?.input_tokens ?? 0, output: u?.output_tokens ?? 0, cacheRead: u?.cache_read_input_tokens ?? 0, cacheCreation: u?.cache_creation_input_tokens ?? 0 };
}

function recordMetrics(phase: AgentPhase, outcome: string, costUsd: number, tokens: ClaudeTokens): void {
  metrics.claudeRuns.inc({ phase, outcome });
  if (costUsd > 0) metrics.costUsd.inc({ phase }, costUsd);
  const kinds: Array<[string, number]> = [
    ["input", tokens.input],
    ["output", tokens.output],
    ["cache_read", tokens.cacheRead],
    ["cache_creation", tokens.cacheCreation],
  ];
  for (const [kind, n] of kinds) if (n > 0) metrics.tokens.inc({ kind }, n);
}

/** What the run's stdout said that decides its outcome. */
interface StreamFacts {
  lastResult: SDKResultMessage | undefined;
  sessionId: string | undefined;
  assistantError: string | undefined;
}

/** What came of the CLI process: the facts from its stream, its exit code and the coded error, if any. */
interface CliRun {
  sink: RunOutputSink | undefined;
  facts: StreamFacts;
  exitCode: number | null;
  error: FixlineError | undefined;
}

type RunOutputSink = Awaited<ReturnType<typeof createRunOutputSink>>;

/** The run's share of the task's budget, or the refusal when less than a useful run is left. */
async function budgetForRun(options: RunClaudeOptions, db: FixlineDb, logger: Logger): Promise<{ maxBudgetUsd: number | undefined } | { refused: FixlineError }> {
  if (options.budgetUsd === undefined && options.limitUsd === undefined) return { maxBudgetUsd: undefined };
  const spent = options.budgetUsd !== undefined ? await taskSpentUsd(db, options.taskId) : 0;
  const leftOfTask = options.budgetUsd !== undefined ? options.budgetUsd - spent : Infinity;
  const remaining = Math.min(leftOfTask, options.limitUsd ?? Infinity);
  if (remaining >= minimumRunBudgetUsd) return { maxBudgetUsd: remaining };
  const message =
    options.budgetUsd !== undefined && leftOfTask <= remaining
      ? `the task has spent $${spent.toFixed(2)} of its $${options.budgetUsd.toFixed(2)} budget; nothing is left for this ${options.phase} run`
      : `this ${options.phase} run's limit is $${remaining.toFixed(2)}; nothing is left for it`;
  logger.warn({ spent, budgetUsd: options.budgetUsd, limitUsd: options.limitUsd }, "Claude run refused: no budget left");
  return { refused: new FixlineError("CLAUDE_BUDGET_EXCEEDED", message) };
}

function refusedOutcome(phase: AgentPhase, error: FixlineError, durationMs: number): ClaudeRunOutcome {
  recordMetrics(phase, error.code, 0, zeroTokens());
  return { ok: false, error, runId: undefined, sessionId: undefined, costUsd: 0, numTurns: 0, tokens: zeroTokens(), resultText: undefined, durationMs, permissionDenials: [], exitCode: null, transcriptPath: undefined };
}

/**
 * Fixline's .claude/ (settings, skills) and the MCP config, in `mcpDir`: outside the worktree, so the agent
 * cannot commit them, and removed after the run (the MCP config may hold credentials). Sandboxed, this .claude/
 * is what the CLI sees at <worktree>/.claude: a committed .claude/settings.json (hooks, permissions, MCP servers)
 * never takes effect, and the red phase cannot plant one for the green phase (issue 14).
 */
async function writeRunFiles(options: RunClaudeOptions, config: Config, mcpDir: string, logger: Logger): Promise<{ dotClaude: string; mcpConfigPath: string; mcpServers: string[] }> {
  const dotClaude = join(mcpDir, "dot-claude");
  await mkdir(dotClaude);
  await writeFile(join(dotClaude, "settings.json"), JSON.stringify(fixlineClaudeSettings(), null, 2));
  if (options.skills && options.skills.length > 0) {
    if (config.sandbox.mode === "on") await installSkills(dotClaude, options.skills, config.skillsDir, { gitExclude: false, into: "." });
    else await installSkills(options.cwd, options.skills, config.skillsDir);
  }
  // The template and the variables it names were read once, by loadConfig (see @fixline/core mcp-template.ts).
  const mcp = buildMcpConfig(config.mcp.template, config.mcp.env, options.mcpServers ? { only: options.mcpServers } : {});
  for (const dropped of mcp.dropped) logger.info({ server: dropped.name, missing: dropped.missing }, "MCP server left out: its variables are not set");
  const mcpConfigPath = join(mcpDir, "mcp.json");
  await writeFile(mcpConfigPath, JSON.stringify(mcp.config), { mode: 0o600 });
  return { dotClaude, mcpConfigPath, mcpServers: mcp.kept };
}

interface Launch {
  args: string[];
  env: Record<string, string>;
  prepared: SuperviseOptions["prepared"];
}

/** The CLI's argv and minimal environment and, sandboxed, the bubblewrap command around it. */
async function prepareLaunch(options: RunClaudeOptions, config: Config, run: { mcpDir: string; dotClaude: string; mcpConfigPath: string; mcpServers: string[]; maxBudgetUsd: number | undefined; model: string | undefined }, logger: Logger): Promise<Launch> {
  const sandboxed = config.sandbox.mode === "on";
  const { maxBudgetUsd, model } = run;
  const args = buildClaudeArgs({
    mcpConfigPath: run.mcpConfigPath,
    settingsPath: join(run.dotClaude, "settings.json"),
    // Sandboxed, the project's .claude/ is Fixline's (the overlay), so "project" loads our skills and settings only.
    settingSources: sandboxed ? ["project"] : [],
    ...(options.restrictedTools ? { restrictedTools: options.restrictedTools } : {}),
    ...(options.allowedTools ? { allowedTools: options.allowedTools } : {}),
    permissionMode: options.permissionMode ?? "acceptEdits",
    ...(options.maxTurns !== undefined ? { maxTurns: options.maxTurns } : {}),
    ...(maxBudgetUsd !== undefined ? { maxBudgetUsd } : {}),
    ...(model ? { model } : {}),
    ...(options.resumeSessionId ? { resumeSessionId: options.resumeSessionId } : {}),
  });
  // A per-task config dir (sessions for --resume, the login if the worker has one): the only part of a HOME it keeps.
  const claudeConfigDir = resolve(config.transcriptDir, options.taskId, "claude-config");
  const env = buildClaudeEnv({ inheritedEnv: config.inheritedEnv, networkEnv: config.networkEnv, authEnv: config.claude.authEnv, ...(sandboxed ? { extra: { CLAUDE_CONFIG_DIR: claudeConfigDir } } : {}) });
  logger.info({ bin: config.claude.bin, args, mcpServers: run.mcpServers, skills: options.skills ?? [], maxBudgetUsd, sandbox: config.sandbox.mode }, "starting Claude");

  const bin = sandboxed ? findExecutable(config.claude.bin, env.PATH, options.cwd) : config.claude.bin;
  if (!bin) return { args, env, prepared: { file: config.claude.bin, args: [], mechanism: "off", breach: async () => undefined, dispose: async () => undefined, notFound: true } };
  if (!sandboxed) return { args, env, prepared: undefined };
  await mkdir(claudeConfigDir, { recursive: true });
  await copyLogin(config.inheritedEnv.HOME, claudeConfigDir);
  const prepared = await prepareSandboxedCommand(bin, args, {
    phase: "claude",
    worktree: options.cwd,
    env,
    settings: config.sandbox,
    readOnly: [run.mcpDir, ...cliDirs(bin)],
    readWrite: [claudeConfigDir, ...config.sandbox.extraWritable],
    overlays: [{ source: run.dotClaude, target: join(options.cwd, ".claude") }],
    hidden: [config.workspaceDir, config.transcriptDir, config.pgliteDir],
  });
  return { args, env, prepared };
}

/** Each stdout line into the run's stream and transcript; the session id, the result and an assistant error noted. */
function collectStream(facts: StreamFacts, sink: () => RunOutputSink | undefined, logger: Logger): (line: string) => Promise<void> {
  return async (line) => {
    const parsed = parseStreamLine(line);
    if (parsed.kind === "invalid") {
      logger.warn({ reason: parsed.reason, preview: line.slice(0, 200) }, "unreadable line from Claude; kept in the transcript");
      await sink()?.append("invalid", line);
      return;
    }
    const message = parsed.message;
    if (isInitMessage(message)) facts.sessionId = message.session_id;
    else if (isResultMessage(message)) {
      facts.lastResult = message;
      facts.sessionId = message.session_id;
    } else if (isAssistantMessage(message) && message.error) facts.assistantError = message.error;
    await sink()?.append(message.type, line);
  };
}

/** The CLI run itself: files, launch, supervision, classification. Never throws: a failure is the coded error. */
async function runCli(options: RunClaudeOptions, deps: RunClaudeDeps, run: { runId: string; transcriptPath: string; maxBudgetUsd: number | undefined; model: string | undefined }, logger: Logger): Promise<CliRun> {
  const { config, redis } = deps;
  const cli: CliRun = { sink: undefined, facts: { lastResult: undefined, sessionId: undefined, assistantError: undefined }, exitCode: null, error: undefined };
  let mcpDir: string | undefined;
  try {
    cli.sink = await createRunOutputSink({ redis, taskId: options.taskId, runId: run.runId, phase: options.phase, transcriptPath: run.transcriptPath, logger, redactor: redactorFor(config) });
    mcpDir = await mkdtemp(join(tmpdir(), "fixline-mcp-"));
    const files = await writeRunFiles(options, config, mcpDir, logger);
    const launch = await prepareLaunch(options, config, { mcpDir, ...files, maxBudgetUsd: run.maxBudgetUsd, model: run.model }, logger);
    const outcome = await superviseProcess({
      bin: config.claude.bin,
      ...launch,
      cwd: options.cwd,
      prompt: options.prompt,
      timeoutMs: options.timeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      signal: options.signal,
      killGraceMs: options.killGraceMs ?? 5_000,
      logger,
      onLine: collectStream(cli.facts, () => cli.sink, logger),
    });
    cli.exitCode = outcome.termination.kind === "exited" ? outcome.termination.exitCode : null;
    const { lastResult, assistantError } = cli.facts;
    cli.error = classifyOutcome({ termination: outcome.termination, result: lastResult, assistantError, stderrTail: outcome.stderrTail, bin: config.claude.bin });
    if (cli.error && cli.error.code === "CLAUDE_CRASHED" && outcome.stderrTail.trim()) logger.warn({ stderr: outcome.stderrTail.slice(-4000) }, "Claude stderr");
  } catch (caught) {
    cli.error = toFixlineError(caught, "INTERNAL");
    logger.error({ err: caught }, "Claude run failed before it could finish");
  } finally {
    if (mcpDir) await rm(mcpDir, { recursive: true, force: true });
  }
  return cli;
}

/** The run recorded everywhere it is kept (stream, agent_runs row, metrics, log), and its outcome. */
async function finishRun(options: RunClaudeOptions, deps: RunClaudeDeps, run: { runId: string; transcriptPath: string; durationMs: number }, cli: CliRun, logger: Logger): Promise<ClaudeRunOutcome> {
  const { runId, transcriptPath, durationMs } = run;
  const { lastResult, sessionId } = cli.facts;
  const { error, exitCode } = cli;
  const tokens = lastResult ? tokensOf(lastResult) : zeroTokens();
  const costUsd = lastResult?.total_cost_usd ?? 0;
  const numTurns = lastResult?.num_turns ?? 0;
  const resultText = lastResult?.subtype === "success" ? lastResult.result : lastResult?.errors.join("\n");
  const permissionDenials = lastResult?.permission_denials ?? [];
  const outcomeLabel = error ? error.code : "ok";

  try {
    await cli.sink?.close({ runId, outcome: outcomeLabel, ...(error ? { message: error.message } : {}) });
  } catch (closeError) {
    logger.warn({ err: closeError }, "cannot finish the run's output stream");
  }
  await closeAgentRun(deps.db, runId, {
    status: error ? "failed" : "succeeded",
    errorCode: error?.code,
    errorMessage: error?.message,
    sessionId,
    numTurns,
    costUsd,
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    cacheReadTokens: tokens.cacheRead,
    cacheCreationTokens: tokens.cacheCreation,
    durationMs,
    exitCode,
    resultText,
  });
  recordMetrics(options.phase, outcomeLabel, costUsd, tokens);
  logger.info({ outcome: outcomeLabel, costUsd, numTurns, durationMs, sessionId, denials: permissionDenials.length }, "Claude run finished");

  const stats = { runId, costUsd, numTurns, tokens, durationMs, permissionDenials, exitCode, transcriptPath };
  if (!error && sessionId !== undefined && resultText !== undefined) return { ok: true, sessionId, resultText, ...stats };
  return { ok: false, error: error ?? new FixlineError("CLAUDE_CRASHED", "the Claude CLI reported success without a session id"), sessionId, resultText, ...stats };
}

/**
 * Runs the Claude Code CLI headless for one phase of a task and returns what came of it. It never throws for
 * anything the CLI does: every failure is a coded outcome, recorded as an agent_runs row, in metrics, in the
 * task's Redis stream and transcript. Whatever happens, the CLI's whole process group is gone on return.
 */
export async function runClaude(options: RunClaudeOptions, deps: RunClaudeDeps): Promise<ClaudeRunOutcome> {
  const { config, db } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const logger = deps.logger.child({ taskId: options.taskId, phase: options.phase });
  const budget = await budgetForRun(options, db, logger);
  if ("refused" in budget) return refusedOutcome(options.phase, budget.refused, now() - startedAt);

  const model = options.model ?? config.claude.model;
  // The file is named before the row exists (the row stores the path); the name only has to be unique.
  const transcriptPath = resolve(config.transcriptDir, options.taskId, `${new Date(startedAt).toISOString().replaceAll(":", "-")}-${options.phase}-${randomUUID().slice(0, 8)}.jsonl`);
  const { id: runId } = await openAgentRun(db, { taskId: options.taskId, phase: options.phase, transcriptPath, ...(model ? { model } : {}) });
  const runLogger = logger.child({ runId });
  const cli = await runCli(options, deps, { runId, transcriptPath, maxBudgetUsd: budget.maxBudgetUsd, model }, runLogger);
  return finishRun(options, deps, { runId, transcriptPath, durationMs: now() - startedAt }, cli, runLogger);
}

/** The CLI's own folders (the npm package or the native install), read-only inside the sandbox. */
function cliDirs(bin: string): string[] {
  const dirs = new Set([dirname(bin)]);
  try {
    dirs.add(dirname(realpathSync(bin)));
  } catch {
    // a dangling link: the spawn reports it
  }
  return [...dirs];
}

/** The worker's Claude login (`claude login`), copied in so the sandbox never needs the worker's HOME. */
async function copyLogin(home: string | undefined, configDir: string): Promise<void> {
  if (!home) return;
  await copyFile(join(home, ".claude", ".credentials.json"), join(configDir, ".credentials.json")).catch(() => undefined);
}

interface SuperviseOptions {
  bin: string;
  /** The sandboxed argv (undefined when FIXLINE_SANDBOX=off); notFound = the CLI is not on PATH. */
  prepared: (PreparedCommand & { notFound?: boolean }) | undefined;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  prompt: string;
  timeoutMs: number | undefined;
  idleTimeoutMs: number | undefined;
  signal: AbortSignal | undefined;
  killGraceMs: number;
  logger: Logger;
  onLine: (line: string) => Promise<void>;
}

/**
 * Spawns the CLI in its own process group, feeds stdout lines to onLine (awaiting each, which is the
 * back-pressure), and enforces the timeout, the idle timeout and cancellation by killing the whole group.
 * The group is also reaped after a normal exit, so MCP servers the CLI left behind do not outlive the run.
 */
async function superviseProcess(options: SuperviseOptions): Promise<{ termination: Termination; stderrTail: string }> {
  if (options.signal?.aborted) return { termination: { kind: "cancelled" }, stderrTail: "" };
  if (options.prepared?.notFound) return { termination: { kind: "spawn-failed", code: "ENOENT", message: `${options.bin}: command not found` }, stderrTail: "" };
  const prepared = options.prepared;
  try {
    return await supervise(options, prepared);
  } finally {
    await prepared?.dispose();
  }
}

async function supervise(options: SuperviseOptions, prepared: PreparedCommand | undefined): Promise<{ termination: Termination; stderrTail: string }> {
  const { logger } = options;
  const supervised = prepared ? watchdogCommand(prepared.file, prepared.args, process.pid) : watchdogCommand(options.bin, options.args, process.pid);
  const subprocess = execa(supervised.file, supervised.args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    // Its own process group: process.kill(-pid) then reaches Claude and every MCP server it started.
    detached: true,
    input: options.prompt,
    buffer: false,
    reject: false,
    stdout: "pipe",
    stderr: "pipe",
  });

  let stopReason: Termination | undefined;
  let killing: Promise<void> | undefined;
  const stop = (reason: Termination) => {
    stopReason ??= reason;
    if (killing || subprocess.pid === undefined) return;
    logger.warn({ reason: reason.kind }, "stopping Claude's process group");
    killing = killProcessGroup(subprocess.pid, options.killGraceMs);
  };

  const timers: NodeJS.Timeout[] = [];
  if (options.timeoutMs !== undefined) {
    const afterMs = options.timeoutMs;
    timers.push(setTimeout(() => stop({ kind: "timeout", afterMs }), afterMs));
  }
  let idleTimer: NodeJS.Timeout | undefined;
  const resetIdle = () => {
    if (options.idleTimeoutMs === undefined) return;
    const afterMs = options.idleTimeoutMs;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop({ kind: "idle-timeout", afterMs }), afterMs);
  };
  resetIdle();
  const onAbort = () => stop({ kind: "cancelled" });
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const stopWatching = prepared ? watchLimits(prepared, (limit) => stop({ kind: "limit", limit })) : () => undefined;

  let stderrTail = "";
  subprocess.stderr?.on("data", (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString("utf8")).slice(-stderrTailBytes);
  });

  // The leader's exit, not stdout's end: a grandchild holding stdout open must not keep the run alive.
  const exited = new Promise<{ exitCode: number | null; signal: string | null }>((done) => {
    subprocess.once("exit", (code, signal) => done({ exitCode: code, signal }));
  });
  void exited.then(() => {
    if (subprocess.pid !== undefined && !killing) killing = killProcessGroup(subprocess.pid, options.killGraceMs);
  });

  const reading = (async () => {
    if (!subprocess.stdout) return;
    for await (const item of splitLines(subprocess.stdout, maxStreamLineBytes)) {
      resetIdle();
      if ("oversizedBytes" in item) {
        logger.warn({ bytes: item.oversizedBytes, limit: maxStreamLineBytes }, "dropped an oversized line from Claude");
        continue;
      }
      if (item.line.trim() === "") continue;
      await options.onLine(item.line);
    }
  })();

  try {
    const result = await subprocess;
    if (result.failed && subprocess.pid === undefined) {
      const code = (result as { code?: string }).code;
      return { termination: { kind: "spawn-failed", code, message: result.shortMessage ?? result.message ?? "spawn failed" }, stderrTail };
    }
    await reading.catch((error: unknown) => logger.warn({ err: error }, "reading Claude's output failed"));
    const exit = await exited;
    await killing;
    const breach = stopReason ? undefined : await prepared?.breach();
    if (breach) return { termination: { kind: "limit", limit: breach }, stderrTail };
    if (!stopReason && isWatchdogNotFound(exit.exitCode ?? undefined, stderrTail)) {
      return { termination: { kind: "spawn-failed", code: "ENOENT", message: `${options.bin}: command not found` }, stderrTail };
    }
    return { termination: stopReason ?? { kind: "exited", ...exit }, stderrTail };
  } finally {
    for (const timer of timers) clearTimeout(timer);
    if (idleTimer) clearTimeout(idleTimer);
    stopWatching();
    options.signal?.removeEventListener("abort", onAbort);
    // Whatever path got us here, nothing of the group may survive the run.
    if (subprocess.pid !== undefined) await killProcessGroup(subprocess.pid, options.killGraceMs);
  }
}
