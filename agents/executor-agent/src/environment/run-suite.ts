import { runTests, type TargetRequest, type TestRunResult } from "@fixline/environments";
import type { ExecutionContext } from "../workflow/execution-context";
import { qualifiedTestName } from "./qualified-test-name";

/**
 * The repository's test command in the task's worktree, through @fixline/environments (minimal env, the
 * toolchain's PATH, live output), with test names qualified by file so verification compares like with like.
 * `target` narrows it to files or tests with the runner's own selection, when the runner can (issue 19).
 */
export async function runSuite(context: ExecutionContext, target?: TargetRequest): Promise<TestRunResult> {
  const request = target ? { ...target, packageScripts: await packageScripts(context) } : undefined;
  const run = await runTests(context.testCommand, { ...context.commandContext, env: context.environment, timeoutMs: context.testTimeoutMs, ...(request ? { target: request } : {}) });
  return { ...run, tests: run.tests.map((test) => ({ ...test, name: qualifiedTestName(test) })) };
}

/** package.json's scripts as the base commit has them (the agent's edits to the test script never count). */
async function packageScripts(context: ExecutionContext): Promise<Record<string, string> | undefined> {
  const ref = context.state.baseCommit ?? "HEAD";
  const text = await context.deps.workspaces.fileAtRef(context.workspace.path, ref, "package.json").catch(() => null);
  if (!text) return undefined;
  try {
    const scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
    if (!scripts || typeof scripts !== "object") return undefined;
    return Object.fromEntries(Object.entries(scripts).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  } catch {
    return undefined;
  }
}
