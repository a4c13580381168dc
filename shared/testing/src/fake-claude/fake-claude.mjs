#!/usr/bin/env node
// A stand-in for the Claude Code CLI (`claude`) that speaks its real stream-json protocol and plays a
// scripted scenario. Plain ESM with node built-ins only, so it starts fast and needs no tsx.
//
// The scenario file is named by FAKE_CLAUDE_SCENARIO, which the wrapper script made by createFakeClaude()
// bakes in: the runner gives the CLI a minimal environment, so nothing the test sets in its own env arrives.
// Argument parsing, validation errors and the not-logged-in output copy @anthropic-ai/claude-code 2.1.330
// (see ../../fixtures/claude/README.md).
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const VERSION = "2.1.330";
const here = dirname(fileURLToPath(import.meta.url));
// The wrapper copies the fake and its fixtures into one folder (a sandbox shows the CLI's folder, not this repo).
const fixturesDir = process.env.FAKE_CLAUDE_FIXTURES ?? resolve(here, "../../fixtures/claude");
/** Variables the wrapper sets for the fake itself; they are not part of the environment under test. */
const ownVariables = new Set(["FAKE_CLAUDE_SCENARIO", "FAKE_CLAUDE_FIXTURES"]);
const watchedVariables = [
  "PATH", "HOME", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN",
  "GITHUB_TOKEN", "SLACK_BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "JIRA_API_TOKEN", "SENTRY_AUTH_TOKEN",
];
const permissionModes = ["acceptEdits", "auto", "bypassPermissions", "manual", "dontAsk", "plan"];
const outputFormats = ["text", "json", "stream-json"];

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

// ---------------------------------------------------------------------------------------------------------
// Arguments, parsed the way commander parses the real CLI's: variadic options take every following word
// that does not start with "-", so a prompt placed after them is swallowed.
const valueOptions = {
  "--output-format": "outputFormat",
  "--permission-mode": "permissionMode",
  "--max-turns": "maxTurns",
  "--max-budget-usd": "maxBudgetUsd",
  "--model": "model",
  "--session-id": "sessionId",
  "--append-system-prompt": "appendSystemPrompt",
  "--system-prompt": "systemPrompt",
  "--input-format": "inputFormat",
  "--settings": "settings",
  "--setting-sources": "settingSources",
  "--fallback-model": "fallbackModel",
};
const variadicOptions = {
  "--mcp-config": "mcpConfig",
  "--allowedTools": "allowedTools",
  "--allowed-tools": "allowedTools",
  "--disallowedTools": "disallowedTools",
  "--disallowed-tools": "disallowedTools",
  "--add-dir": "addDir",
  "--tools": "tools",
};
const flagOptions = {
  "-p": "print",
  "--print": "print",
  "--verbose": "verbose",
  "--strict-mcp-config": "strictMcpConfig",
  "--restricted": "restricted",
  "--dangerously-skip-permissions": "dangerouslySkipPermissions",
  "--include-partial-messages": "includePartialMessages",
  "--no-session-persistence": "noSessionPersistence",
  "-v": "version",
  "--version": "version",
  "-h": "help",
  "--help": "help",
};

function parseArgs(argv) {
  const options = { mcpConfig: [], allowedTools: [], disallowedTools: [], addDir: [], tools: [] };
  const positionals = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let inlineValue;
    if (arg.startsWith("--") && arg.includes("=")) {
      inlineValue = arg.slice(arg.indexOf("=") + 1);
      arg = arg.slice(0, arg.indexOf("="));
    }
    if (arg === "-r" || arg === "--resume") {
      // --resume [value]: the value is optional; without one the real CLI opens a picker.
      const next = inlineValue ?? argv[i + 1];
      if (inlineValue === undefined && next !== undefined && !next.startsWith("-")) i++;
      if (next === undefined || next.startsWith("-")) fail("Error: --resume without a session id opens an interactive picker, which needs a terminal.");
      options.resume = next;
    } else if (arg in flagOptions) {
      options[flagOptions[arg]] = true;
    } else if (arg in valueOptions) {
      const value = inlineValue ?? argv[++i];
      if (value === undefined) fail(`error: option '${arg} <value>' argument missing`);
      options[valueOptions[arg]] = value;
    } else if (arg in variadicOptions) {
      const key = variadicOptions[arg];
      if (inlineValue !== undefined) options[key].push(inlineValue);
      while (i + 1 < argv.length && !argv[i + 1].startsWith("-")) options[key].push(argv[++i]);
      if (options[key].length === 0) fail(`error: option '${arg} <values...>' argument missing`);
    } else if (arg.startsWith("-")) {
      fail(`error: unknown option '${arg}'`);
    } else {
      positionals.push(arg);
    }
  }
  // "Comma or space-separated list of tool names".
  options.allowedTools = options.allowedTools.flatMap((t) => t.split(/,(?![^(]*\))/)).map((t) => t.trim()).filter(Boolean);
  return { options, positionals };
}

function isUuid(value) {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function readStdin() {
  try {
    return readFileSync(0, "utf8");
  } catch {
    return "";
  }
}

function loadMcpServers(configs) {
  const servers = {};
  for (const config of configs) {
    let text = config;
    if (!config.trim().startsWith("{")) {
      if (!existsSync(config)) fail(`Error: Invalid MCP configuration:\nMCP config file not found: ${resolve(config)}`);
      text = readFileSync(config, "utf8");
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      fail(`Error: Invalid MCP configuration:\nMCP config is not a valid JSON`);
    }
    Object.assign(servers, parsed.mcpServers ?? {});
  }
  return servers;
}

// ---------------------------------------------------------------------------------------------------------
// The scenario and the record of each invocation.

function loadScenario() {
  const path = process.env.FAKE_CLAUDE_SCENARIO;
  if (!path) return { path: undefined, scenario: { runs: [{ steps: [{ type: "text", text: "ok" }, { type: "result" }] }] } };
  return { path, scenario: JSON.parse(readFileSync(path, "utf8")) };
}

/** Unmatched runs play in order; a state file next to the scenario counts them (the last one repeats). */
function nextSequenceIndex(scenarioPath) {
  if (!scenarioPath) return 0;
  const counterPath = `${scenarioPath}.counter`;
  const current = existsSync(counterPath) ? Number(readFileSync(counterPath, "utf8")) || 0 : 0;
  writeFileSync(counterPath, String(current + 1));
  return current;
}

function pickRun(scenario, scenarioPath, prompt, resume) {
  const runs = scenario.runs ?? [];
  const matched = runs.find((run) => {
    if (run.match === undefined && run.resume === undefined) return false;
    if (run.match !== undefined && !new RegExp(run.match, "s").test(prompt)) return false;
    if (run.resume !== undefined && run.resume !== Boolean(resume)) return false;
    return true;
  });
  if (matched) return matched;
  const sequence = runs.filter((run) => run.match === undefined && run.resume === undefined);
  if (sequence.length === 0) return { steps: [{ type: "result" }] };
  const index = nextSequenceIndex(scenarioPath);
  return sequence[Math.min(index, sequence.length - 1)];
}

function loadSettings(options) {
  const known = ["user", "project", "local"];
  const sources = options.settingSources === undefined ? known : options.settingSources.split(",").map((s) => s.trim()).filter(Boolean);
  for (const source of sources) if (!known.includes(source)) fail(`Error: Invalid setting source: ${source}. Valid options are: ${known.join(", ")}`);
  const configDir = process.env.CLAUDE_CONFIG_DIR ?? join(process.env.HOME ?? "/nonexistent", ".claude");
  const paths = { user: join(configDir, "settings.json"), project: join(process.cwd(), ".claude", "settings.json"), local: join(process.cwd(), ".claude", "settings.local.json") };
  const files = [];
  const documents = [];
  for (const source of sources) {
    if (!existsSync(paths[source])) continue;
    files.push(paths[source]);
    documents.push(JSON.parse(readFileSync(paths[source], "utf8")));
  }
  if (options.settings !== undefined) {
    const text = options.settings.trim().startsWith("{") ? options.settings : readFileSync(options.settings, "utf8");
    files.push(options.settings.trim().startsWith("{") ? "(inline)" : options.settings);
    documents.push(JSON.parse(text));
  }
  const disabled = documents.some((doc) => doc.disableAllHooks === true);
  const sessionStartHooks = disabled
    ? []
    : documents.flatMap((doc) => (doc.hooks?.SessionStart ?? []).flatMap((matcher) => (matcher.hooks ?? []).filter((h) => h.type === "command").map((h) => h.command)));
  const skillsDir = join(process.cwd(), ".claude", "skills");
  const skills = sources.includes("project") && existsSync(skillsDir) ? readdirSync(skillsDir).filter((name) => existsSync(join(skillsDir, name, "SKILL.md"))) : [];
  return { sources, files, sessionStartHooks, skills };
}

function recordCall(scenarioPath, entry) {
  if (!scenarioPath) return;
  appendFileSync(join(dirname(scenarioPath), "calls.jsonl"), `${JSON.stringify(entry)}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// stream-json output.

let writeBlocked = Promise.resolve();
function emit(message) {
  return emitRaw(JSON.stringify(message));
}
function emitRaw(line) {
  const ok = process.stdout.write(`${line}\n`);
  if (!ok) writeBlocked = new Promise((done) => process.stdout.once("drain", done));
  return writeBlocked;
}

function usage(input, output, extra = {}) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: extra.cacheCreation ?? 0,
    cache_read_input_tokens: extra.cacheRead ?? 0,
    output_tokens: output,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: "standard",
    cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: extra.cacheCreation ?? 0 },
  };
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === "auth" && argv[1] === "status") return authStatus();
  const { options, positionals } = parseArgs(argv);
  if (options.version) {
    process.stdout.write(`${VERSION} (Claude Code)\n`);
    return;
  }
  if (options.help) {
    process.stdout.write(readFileSync(join(fixturesDir, "help-2.1.330.txt"), "utf8").replace(/^npm warn.*\n/, ""));
    return;
  }
  if (!options.print) fail("fake-claude: only --print (-p) mode is simulated; the interactive UI needs a terminal.");
  const outputFormat = options.outputFormat ?? "text";
  if (!outputFormats.includes(outputFormat)) {
    fail(`error: option '--output-format <format>' argument '${outputFormat}' is invalid. Allowed choices are ${outputFormats.join(", ")}.`);
  }
  if (outputFormat === "stream-json" && !options.verbose) fail("Error: When using --print, --output-format=stream-json requires --verbose");
  if (options.permissionMode !== undefined && !permissionModes.includes(options.permissionMode)) {
    fail(`error: option '--permission-mode <mode>' argument '${options.permissionMode}' is invalid. Allowed choices are ${permissionModes.join(", ")}.`);
  }
  const bypass = options.dangerouslySkipPermissions || options.permissionMode === "bypassPermissions";
  if (bypass && process.getuid?.() === 0 && process.env.IS_SANDBOX !== "1") {
    fail("--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons");
  }
  if (options.sessionId !== undefined && !isUuid(options.sessionId)) fail("Error: Invalid session ID. Must be a valid UUID.");
  if (options.maxTurns !== undefined && !/^\d+$/.test(options.maxTurns)) fail(`error: option '--max-turns <turns>' argument '${options.maxTurns}' is invalid.`);
  if (options.maxBudgetUsd !== undefined && !(Number(options.maxBudgetUsd) > 0)) {
    fail(`error: option '--max-budget-usd <amount>' argument '${options.maxBudgetUsd}' is invalid. Must be a positive number.`);
  }
  const mcpServers = loadMcpServers(options.mcpConfig);

  const prompt = positionals.length > 0 ? positionals.join(" ") : readStdin();
  if (!prompt.trim()) fail("Error: Input must be provided either through stdin or as a prompt argument when using --print");

  const { path: scenarioPath, scenario } = loadScenario();
  const env = process.env;
  const envKeys = Object.keys(env).filter((k) => !ownVariables.has(k)).sort();
  recordCall(scenarioPath, {
    argv,
    cwd: process.cwd(),
    pid: process.pid,
    envKeys,
    envPresent: Object.fromEntries(watchedVariables.map((name) => [name, Boolean(env[name])])),
    prompt,
    settingSources: loadSettings(options).sources,
    settingsFiles: loadSettings(options).files,
    skills: loadSettings(options).skills,
    mcpConfigs: options.mcpConfig.map((p) => ({ path: p, content: existsSync(p) ? readFileSync(p, "utf8") : null })),
    at: new Date().toISOString(),
  });

  // Settings as the help describes them: --setting-sources picks among user, project and local (all three when
  // absent), --settings adds one more file or JSON. Their SessionStart hooks run, as the real CLI's do.
  const settings = loadSettings(options);
  for (const command of settings.sessionStartHooks) spawnSync("sh", ["-c", command], { cwd: process.cwd(), env: process.env, stdio: "ignore" });

  const run = pickRun(scenario, scenarioPath, prompt, options.resume);
  const sessionId = options.resume ?? options.sessionId ?? run.sessionId ?? scenario.sessionId ?? randomUUID();
  const model = options.model ?? "claude-sonnet-4-5";
  const state = {
    sessionId,
    model,
    turns: 0,
    costUsd: 0,
    usage: { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 },
    denials: [],
    exitCode: undefined,
    startedAt: Date.now(),
    allowedTools: options.allowedTools,
    permissionMode: options.permissionMode ?? "default",
    // Issue 21: what each assistant turn costs, and --max-budget-usd enforced as the real CLI does it: checked
    // before each new turn, so a run ends at most one turn past its budget.
    costPerTurnUsd: run.costPerTurnUsd ?? scenario.costPerTurnUsd ?? 0.0125,
    maxBudgetUsd: options.maxBudgetUsd !== undefined ? Number(options.maxBudgetUsd) : undefined,
  };

  const steps = run.steps ?? [];
  if (run.init !== false && steps[0]?.type !== "not-logged-in") {
    await emit({
      type: "system",
      subtype: "init",
      cwd: process.cwd(),
      session_id: sessionId,
      tools: ["Task", "Bash", "Edit", "Glob", "Grep", "Read", "Skill", "TodoWrite", "WebFetch", "Write"],
      mcp_servers: Object.keys(mcpServers).map((name) => ({ name, status: "connected" })),
      model,
      permissionMode: state.permissionMode,
      slash_commands: [],
      apiKeySource: env.ANTHROPIC_API_KEY ? "ANTHROPIC_API_KEY" : "none",
      claude_code_version: VERSION,
      output_style: "default",
      agents: ["general-purpose"],
      // Project skills load from <cwd>/.claude/skills when the project source is on, as the real CLI's do.
      skills: settings.skills,
      plugins: [],
      uuid: randomUUID(),
    });
  }
  try {
    for (const step of steps) await play(step, state);
  } catch (error) {
    if (error !== budgetReached) throw error;
    await emit(resultLine(state, { subtype: "error_max_budget_usd", errors: [`Reached maximum budget ($${state.maxBudgetUsd})`] }));
    state.exitCode = 1;
  }
  process.exitCode = state.exitCode ?? 0;
}

/** Thrown by a turn that would start with the budget already spent; main ends the run with the budget result. */
const budgetReached = Symbol("budget reached");

function assistant(state, content, extra = {}) {
  if (state.maxBudgetUsd !== undefined && state.costUsd >= state.maxBudgetUsd) throw budgetReached;
  state.turns++;
  const input = 1200 + state.turns * 10;
  const output = 40 + state.turns;
  state.usage.input += input;
  state.usage.output += output;
  state.usage.cacheRead += 800;
  state.costUsd += state.costPerTurnUsd;
  return emit({
    type: "assistant",
    message: {
      id: `msg_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
      type: "message",
      role: "assistant",
      model: state.model,
      content,
      stop_reason: null,
      stop_sequence: null,
      usage: usage(input, output, { cacheRead: 800 }),
    },
    parent_tool_use_id: null,
    session_id: state.sessionId,
    uuid: randomUUID(),
    ...extra,
  });
}

function toolResult(state, toolUseId, content, isError = false) {
  return emit({
    type: "user",
    message: { role: "user", content: [{ type: "tool_result", tool_use_id: toolUseId, content, is_error: isError }] },
    parent_tool_use_id: null,
    session_id: state.sessionId,
    uuid: randomUUID(),
  });
}

function toolAllowed(state, tool, input) {
  // acceptEdits lets file edits through; Bash needs an allow-list entry such as "Bash" or "Bash(npm test:*)".
  if (state.permissionMode === "bypassPermissions") return true;
  if (tool !== "Bash" && (state.permissionMode === "acceptEdits" || state.allowedTools.includes(tool))) return true;
  return state.allowedTools.some((entry) => {
    if (entry === tool) return true;
    const m = /^(\w+)\((.*)\)$/.exec(entry);
    if (!m || m[1] !== tool) return false;
    const pattern = m[2].replace(/:\*$/, "*");
    const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return re.test(input.command ?? "");
  });
}

async function useTool(state, tool, input, perform) {
  const id = `toolu_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
  await assistant(state, [{ type: "tool_use", id, name: tool, input }]);
  if (!toolAllowed(state, tool, input)) {
    state.denials.push({ tool_name: tool, tool_use_id: id, tool_input: input });
    await toolResult(state, id, `Claude requested permissions to use ${tool}, but you haven't granted it yet.`, true);
    return;
  }
  const { content, isError } = perform();
  await toolResult(state, id, content, isError);
}

function resultLine(state, step) {
  const subtype = step.subtype ?? "success";
  const isError = step.isError ?? subtype !== "success";
  const turns = step.numTurns ?? Math.max(1, state.turns);
  const u = step.usage ?? {};
  const usageBlock = usage(u.input ?? state.usage.input, u.output ?? state.usage.output, {
    cacheRead: u.cacheRead ?? state.usage.cacheRead,
    cacheCreation: u.cacheCreation ?? state.usage.cacheCreation,
  });
  const terminalReason =
    step.terminalReason ??
    (subtype === "error_max_turns" ? "max_turns" : subtype === "error_max_budget_usd" ? "budget_exhausted" : isError ? "api_error" : "completed");
  const line = {
    type: "result",
    subtype,
    is_error: isError,
    duration_ms: Date.now() - state.startedAt,
    duration_api_ms: Math.max(0, Date.now() - state.startedAt - 5),
    num_turns: turns,
    stop_reason: isError ? null : "end_turn",
    session_id: state.sessionId,
    total_cost_usd: step.costUsd ?? Number(state.costUsd.toFixed(6)),
    usage: usageBlock,
    modelUsage: {
      [state.model]: {
        inputTokens: usageBlock.input_tokens,
        outputTokens: usageBlock.output_tokens,
        cacheReadInputTokens: usageBlock.cache_read_input_tokens,
        cacheCreationInputTokens: usageBlock.cache_creation_input_tokens,
        webSearchRequests: 0,
        costUSD: step.costUsd ?? Number(state.costUsd.toFixed(6)),
        contextWindow: 200000,
        maxOutputTokens: 64000,
      },
    },
    permission_denials: step.permissionDenials ?? state.denials,
    terminal_reason: terminalReason,
    uuid: randomUUID(),
  };
  if (subtype === "success") line.result = step.result ?? "Done.";
  else line.errors = step.errors ?? [];
  if (step.apiErrorStatus !== undefined) line.api_error_status = step.apiErrorStatus;
  return line;
}

async function play(step, state) {
  switch (step.type) {
    case "text":
      await assistant(state, [{ type: "text", text: step.text }]);
      return;
    case "write":
      await useTool(state, "Write", { file_path: resolve(step.path), content: step.content }, () => {
        mkdirSync(dirname(resolve(step.path)), { recursive: true });
        writeFileSync(resolve(step.path), step.content);
        return { content: `File created successfully at: ${resolve(step.path)}`, isError: false };
      });
      return;
    case "bash":
      await useTool(state, "Bash", { command: step.command, description: step.description ?? "Run a command" }, () => {
        const r = spawnSync("sh", ["-c", step.command], { encoding: "utf8", cwd: process.cwd(), env: process.env });
        const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.slice(-30000);
        return { content: r.status === 0 ? output : `Exit code ${r.status}\n${output}`, isError: r.status !== 0 };
      });
      return;
    case "result": {
      await emit(resultLine(state, step));
      if (state.exitCode === undefined) state.exitCode = step.exitCode ?? (step.isError ?? (step.subtype ?? "success") !== "success" ? 1 : 0);
      return;
    }
    case "not-logged-in": {
      // Byte for byte what 2.1.330 printed with no credentials; it exits 1 with empty stderr.
      process.stdout.write(readFileSync(join(fixturesDir, "not-logged-in.stream.jsonl")));
      state.exitCode = 1;
      return;
    }
    case "api-error": {
      const status = step.status ?? 529;
      const message = step.message ?? `API Error: ${status} {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`;
      await assistant(state, [{ type: "text", text: message }], { error: step.error ?? "server_error", is_api_error_message: true });
      await emit({ ...resultLine(state, { isError: true, result: message, terminalReason: "api_error" }), api_error_status: status });
      state.exitCode = 1;
      return;
    }
    case "raw":
      await emitRaw(step.line);
      return;
    case "stderr":
      process.stderr.write(`${step.text}\n`);
      return;
    case "big-line": {
      const text = "x".repeat(Math.max(0, step.bytes - 200));
      await assistant(state, [{ type: "text", text }]);
      return;
    }
    case "flood": {
      // Many ordinary assistant lines; write() back-pressure keeps the fake's own memory flat.
      const lineBytes = step.lineBytes ?? 8192;
      const filler = "y".repeat(Math.max(0, lineBytes - 400));
      let written = 0;
      while (written < step.bytes) {
        const line = JSON.stringify({
          type: "assistant",
          message: { id: "msg_flood", type: "message", role: "assistant", model: state.model, content: [{ type: "text", text: filler }], stop_reason: null, stop_sequence: null, usage: usage(1, 1) },
          parent_tool_use_id: null,
          session_id: state.sessionId,
          uuid: randomUUID(),
        });
        written += line.length + 1;
        await emitRaw(line);
      }
      return;
    }
    case "sleep":
      await sleep(step.ms);
      return;
    case "hang":
      // Keeps the event loop alive without printing; only a signal ends it.
      setInterval(() => {}, 1 << 30);
      await new Promise(() => {});
      return;
    case "ignore-sigterm":
      process.on("SIGTERM", () => {});
      return;
    case "spawn-stubborn-child": {
      // Stands in for an MCP server that ignores SIGTERM: only SIGKILL to the process group ends it.
      const child = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1 << 30);"], {
        stdio: "ignore",
      });
      writeFileSync(step.pidFile, String(child.pid));
      child.unref();
      return;
    }
    case "exit":
      process.exit(step.code ?? 0);
      return;
    default:
      fail(`fake-claude: unknown scenario step ${JSON.stringify(step)}`, 2);
  }
}

function authStatus() {
  const env = process.env;
  const method = env.ANTHROPIC_API_KEY ? "api_key" : env.CLAUDE_CODE_OAUTH_TOKEN || env.ANTHROPIC_AUTH_TOKEN ? "oauth_token" : "none";
  const status = { loggedIn: method !== "none", authMethod: method, apiProvider: "firstParty" };
  if (method === "api_key") status.apiKeySource = "ANTHROPIC_API_KEY";
  process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  process.exitCode = method === "none" ? 1 : 0;
}

main().catch((error) => {
  process.stderr.write(`fake-claude crashed: ${error?.stack ?? error}\n`);
  process.exit(70);
});
