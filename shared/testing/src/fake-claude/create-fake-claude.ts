import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FakeClaudeCall, FakeClaudeScenario } from "./scenario";

/** The fake CLI itself; tests normally use the wrapper createFakeClaude() writes. */
export const fakeClaudeScript = fileURLToPath(new URL("./fake-claude.mjs", import.meta.url));
const fixturesDir = fileURLToPath(new URL("../../fixtures/claude/", import.meta.url));

export interface FakeClaude {
  /** An executable to use as CLAUDE_BIN: a shell wrapper that runs the fake with the scenario baked in. */
  bin: string;
  /** The temp dir holding the wrapper, the scenario, its run counter and the call log. */
  dir: string;
  scenarioPath: string;
  /** Every invocation so far, in order. */
  calls(): Promise<FakeClaudeCall[]>;
  /** Replaces the scenario (and restarts the run sequence). */
  setScenario(scenario: FakeClaudeScenario): Promise<void>;
  cleanup(): Promise<void>;
}

export interface CreateFakeClaudeOptions {
  scenario: FakeClaudeScenario;
  /** Parent of the temp dir; defaults to the OS temp dir. */
  tmpRoot?: string;
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Writes a scenario and a wrapper script that execs the fake with it. The scenario path is baked into the
 * wrapper because the runner gives the CLI a minimal environment: variables the test sets never arrive.
 */
export async function createFakeClaude(options: CreateFakeClaudeOptions): Promise<FakeClaude> {
  const dir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), "fake-claude-"));
  const scenarioPath = join(dir, "scenario.json");
  const bin = join(dir, "claude");
  const setScenario = async (scenario: FakeClaudeScenario) => {
    await writeFile(scenarioPath, JSON.stringify(scenario, null, 2));
    await rm(`${scenarioPath}.counter`, { force: true });
  };
  await setScenario(options.scenario);
  // Self-contained, like an installed CLI: the sandbox shows the CLI's own folder, not this repository.
  const script = join(dir, "fake-claude.mjs");
  await copyFile(fakeClaudeScript, script);
  await mkdir(join(dir, "fixtures"));
  for (const name of ["help-2.1.330.txt", "not-logged-in.stream.jsonl"]) await copyFile(join(fixturesDir, name), join(dir, "fixtures", name));
  await writeFile(
    bin,
    `#!/bin/sh\nFAKE_CLAUDE_SCENARIO=${shellQuote(scenarioPath)} FAKE_CLAUDE_FIXTURES=${shellQuote(join(dir, "fixtures"))} exec ${shellQuote(process.execPath)} ${shellQuote(script)} "$@"\n`,
  );
  await chmod(bin, 0o755);
  return {
    bin,
    dir,
    scenarioPath,
    setScenario,
    async calls() {
      const text = await readFile(join(dir, "calls.jsonl"), "utf8").catch(() => "");
      return text
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as FakeClaudeCall);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
