import { runTests, type TestRunResult } from "@fixline/environments";
import type { ExecutionContext } from "../workflow/execution-context";
import { qualifiedTestName } from "./qualified-test-name";

/**
 * The repository's test command in the task's worktree, through @fixline/environments (minimal env, the
 * toolchain's PATH, live output), with test names qualified by file so verification compares like with like.
 */
export async function runSuite(context: ExecutionContext): Promise<TestRunResult> {
  const run = await runTests(context.testCommand, { ...context.commandContext, env: context.environment, timeoutMs: context.testTimeoutMs });
  return { ...run, tests: run.tests.map((test) => ({ ...test, name: qualifiedTestName(test) })) };
}
