/**
 * The scenario language of the fake Claude CLI (fake-claude.mjs). A scenario is JSON: a list of runs, each a
 * list of steps the fake plays in order. Steps that touch the worktree really do it (files are written,
 * commands run in the CLI's cwd), so agents under test change real code.
 */
export type FakeClaudeStep =
  /** An assistant text block. */
  | { type: "text"; text: string }
  /** A Write tool_use, the file really written (path relative to the cwd), then its tool_result. */
  | { type: "write"; path: string; content: string }
  /** A Bash tool_use, the command really run with `sh -c` in the cwd (unless the allow-list denies it), then its tool_result. */
  | { type: "bash"; command: string; description?: string }
  /**
   * The closing `result` line. Defaults: subtype success, cost/usage/turns accumulated from earlier steps,
   * permission_denials collected from denied tool uses; exit 1 when it is an error, else 0.
   */
  | {
      type: "result";
      subtype?: "success" | "error_during_execution" | "error_max_turns" | "error_max_budget_usd" | "error_max_structured_output_retries";
      isError?: boolean;
      result?: string;
      errors?: string[];
      costUsd?: number;
      numTurns?: number;
      usage?: { input?: number; output?: number; cacheRead?: number; cacheCreation?: number };
      permissionDenials?: Array<{ tool_name: string; tool_use_id: string; tool_input: Record<string, unknown> }>;
      terminalReason?: string;
      apiErrorStatus?: number | null;
      exitCode?: number;
    }
  /** The captured output of the real CLI without credentials, byte for byte, and exit 1. */
  | { type: "not-logged-in" }
  /** A synthetic API-error assistant message and an is_error result carrying api_error_status; exit 1. */
  | { type: "api-error"; status?: number; message?: string; error?: string }
  /** A line printed as is (garbage, partial JSON...). */
  | { type: "raw"; line: string }
  | { type: "stderr"; text: string }
  /** One assistant line of about `bytes` bytes. */
  | { type: "big-line"; bytes: number }
  /** About `bytes` of ordinary assistant lines, written with back-pressure. */
  | { type: "flood"; bytes: number; lineBytes?: number }
  | { type: "sleep"; ms: number }
  /** Prints nothing more and never exits by itself. */
  | { type: "hang" }
  /** The fake itself ignores SIGTERM from here on (only SIGKILL ends it). */
  | { type: "ignore-sigterm" }
  /** Starts a child (like an MCP server) that ignores SIGTERM and writes its pid to pidFile. */
  | { type: "spawn-stubborn-child"; pidFile: string }
  /** Exits at once with this code (no result line unless one came before). */
  | { type: "exit"; code?: number };

export interface FakeClaudeRun {
  /**
   * A regular expression tested against the prompt (dotAll). Runs with `match` or `resume` are picked when
   * they fit; the other runs play in order, one per invocation, the last one repeating.
   */
  match?: string;
  /** Pick this run only when --resume was (true) or was not (false) given. */
  resume?: boolean;
  /** The session id to report when neither --resume nor --session-id gives one. */
  sessionId?: string;
  /** false: no system/init line first. */
  init?: boolean;
  /** What each assistant turn of this run costs (default: the scenario's, else $0.0125). */
  costPerTurnUsd?: number;
  steps: FakeClaudeStep[];
}

export interface FakeClaudeScenario {
  sessionId?: string;
  /**
   * What each assistant turn costs (issue 21). The fake enforces --max-budget-usd as the CLI does: before each
   * new turn, so a run ends with error_max_budget_usd at most one turn past its budget.
   */
  costPerTurnUsd?: number;
  runs: FakeClaudeRun[];
}

/** One invocation of the fake, as it recorded it: never env values, only names and which watched ones were set. */
export interface FakeClaudeCall {
  argv: string[];
  cwd: string;
  pid: number;
  envKeys: string[];
  /** PATH, HOME, Claude auth, GITHUB_TOKEN, SLACK_BOT_TOKEN, DATABASE_URL, REDIS_URL, ... -> set or not. */
  envPresent: Record<string, boolean>;
  prompt: string;
  /** Each --mcp-config argument and the file's content while the CLI ran (null when it was not a file). */
  mcpConfigs: Array<{ path: string; content: string | null }>;
  /** --setting-sources as parsed (all three when the flag is absent) and the settings files that were read. */
  settingSources: string[];
  settingsFiles: string[];
  /** Project skills the CLI found in <cwd>/.claude/skills. */
  skills: string[];
  at: string;
}

/** Ready-made scenarios for the failure modes the runner must classify. */
export const fakeScenarios = {
  success(text = "All done.", costUsd?: number): FakeClaudeScenario {
    return { runs: [{ steps: [{ type: "text", text }, { type: "result", result: text, ...(costUsd === undefined ? {} : { costUsd }) }] }] };
  },
  notLoggedIn(): FakeClaudeScenario {
    return { runs: [{ init: false, steps: [{ type: "not-logged-in" }] }] };
  },
  maxTurns(turns = 3): FakeClaudeScenario {
    const steps: FakeClaudeStep[] = Array.from({ length: turns }, (_, i) => ({ type: "text", text: `turn ${i + 1}` }) as const);
    return { runs: [{ steps: [...steps, { type: "result", subtype: "error_max_turns", numTurns: turns + 1, errors: [`Reached maximum number of turns (${turns})`] }] }] };
  },
  budgetExceeded(costUsd = 0.5): FakeClaudeScenario {
    return { runs: [{ steps: [{ type: "text", text: "working" }, { type: "result", subtype: "error_max_budget_usd", costUsd, errors: [`Reached maximum budget ($${costUsd})`] }] }] };
  },
  apiError(status = 529): FakeClaudeScenario {
    return { runs: [{ steps: [{ type: "api-error", status }] }] };
  },
  crash(): FakeClaudeScenario {
    return { runs: [{ steps: [{ type: "text", text: "starting" }, { type: "stderr", text: "TypeError: cannot read properties of undefined" }, { type: "exit", code: 1 }] }] };
  },
  hang(): FakeClaudeScenario {
    return { runs: [{ steps: [{ type: "text", text: "thinking" }, { type: "hang" }] }] };
  },
  /** A CLI and an MCP-server-like child that both ignore SIGTERM, then silence. */
  stubbornHang(pidFile: string): FakeClaudeScenario {
    return { runs: [{ steps: [{ type: "spawn-stubborn-child", pidFile }, { type: "ignore-sigterm" }, { type: "text", text: "working" }, { type: "hang" }] }] };
  },
  flood(bytes: number): FakeClaudeScenario {
    return { runs: [{ steps: [{ type: "flood", bytes }, { type: "result" }] }] };
  },
  garbage(): FakeClaudeScenario {
    return {
      runs: [
        {
          steps: [
            { type: "raw", line: "not json at all" },
            { type: "raw", line: '{"type":"assistant", "truncated' },
            { type: "big-line", bytes: 2 * 1024 * 1024 },
            { type: "raw", line: "[1,2,3]" },
            { type: "text", text: "still here" },
            { type: "result", result: "survived" },
          ],
        },
      ],
    };
  },
} satisfies Record<string, (...args: never[]) => FakeClaudeScenario>;
