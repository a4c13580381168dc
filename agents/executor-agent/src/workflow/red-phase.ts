import { access } from "node:fs/promises";
import { join } from "node:path";
import { FixlineError } from "@fixline/core";
import { outcomeRepoLabel } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { agentChangedFiles } from "../environment/setup-leftovers";
import { runSuite } from "../environment/run-suite";
import { outputExcerpt } from "../evidence/output-excerpt";
import { isTestFile } from "../verify/is-test-file";
import { verifyRed, type RedVerdict } from "../verify/verify-red";
import { runClaudePhase } from "./claude-phase";
import { saveExecutionState, type ExecutionContext } from "./execution-context";
import { assertProtectedPathsUnchanged } from "./check-protected-paths";
import { pushBranch } from "./outbound";
import { redPrompt, redRetryPrompt } from "./execution-prompts";
import { restoreFiles } from "./restore-files";

/**
 * Red: the agent writes the plan's failing test; the harness keeps only test-file changes, runs the suite and
 * requires new tests that fail on the unfixed code by an assertion. One corrective run if not, then
 * RED_WRONG_REASON (they failed by an error: load, syntax, import, type, reference, timeout, crash) or
 * RED_NOT_PROVEN (they did not fail).
 * On success the test is committed and pushed, and the task remembers red as proven.
 */
export async function runRedPhase(context: ExecutionContext): Promise<void> {
  const { deps, task, workspace, state, testCommand } = context;
  const baseCommit = state.baseCommit!;
  const started = performance.now();
  const prompt = redPrompt({ planMarkdown: context.planMarkdown, plan: context.plan, testCommand, quickCheckCommand: context.environment.planTestCommand, instructions: context.approval.instructions });

  let outcome = await runClaudePhase(context, "red", prompt, state.sessionId);
  if (outcome.sessionId) await saveExecutionState(deps.db, task.id, state, { sessionId: outcome.sessionId });
  if (!outcome.ok) throw outcome.error;

  const reverted = new Set<string>();
  let verdict: RedVerdict | undefined;
  let redRun;
  let testFiles: string[] = [];
  for (let attempt = 1; ; attempt++) {
    // Setup's own writes (a generated lockfile) are not the agent's; only what the agent changed is judged.
    const changed = (await agentChangedFiles(deps.workspaces, workspace.path, baseCommit, state.setupLeftovers)).filter((f) => f !== "PLAN.md");
    const nonTest = changed.filter((f) => !isTestFile(f));
    if (nonTest.length > 0) {
      context.logger.warn({ files: nonTest }, "red phase changed non-test files; reverting them");
      await restoreFiles(deps.workspaces, workspace.path, baseCommit, nonTest);
      for (const f of nonTest) reverted.add(f);
    }
    testFiles = changed.filter(isTestFile);
    // A runner configuration inside a test directory is still the runner's configuration.
    await assertProtectedPathsUnchanged(context);
    // Only the new test files (issue 19): the base run already says what failed before. A runner that cannot
    // select files runs whole; verification reads the same things either way.
    const present = await existingFiles(workspace.path, testFiles);
    redRun = await runSuite(context, present.length > 0 ? { files: present } : undefined);
    // A bug that is a crash may be reproduced by that crash, when the approved plan quotes it.
    const expectedFailure = [context.plan.rootCause, context.plan.failingTest.asserts ?? ""].join("\n");
    verdict = verifyRed({ base: { ...state.baseRun!, output: "" }, red: redRun, testFilesChanged: testFiles, expectedFailure });
    context.logger.info({ attempt, verdict, exitCode: redRun.exitCode }, "red verification");
    if (verdict.ok || attempt >= 2) break;
    outcome = await runClaudePhase(context, "red", redRetryPrompt(verdict.reasons, testCommand), outcome.sessionId ?? state.sessionId);
    if (outcome.sessionId) await saveExecutionState(deps.db, task.id, state, { sessionId: outcome.sessionId });
    if (!outcome.ok) throw outcome.error;
  }
  metrics.phaseDuration.observe({ phase: "red" }, (performance.now() - started) / 1000);
  if (!verdict.ok) {
    // Failed, but by an error rather than an assertion (issue 15): a different code, with the error itself.
    const code = verdict.failingNewTests.length === 0 && verdict.wrongReason.length > 0 ? "RED_WRONG_REASON" : "RED_NOT_PROVEN";
    throw new FixlineError(code, verdict.reasons.join("; "), { details: { testFiles, reverted: [...reverted], wrongReason: verdict.wrongReason, output: outputExcerpt(redRun.output) } });
  }

  const failing = verdict.failingNewTests;
  const label = failing[0] ?? testFiles[0] ?? "reproduce the bug";
  // Only the test files: setup leftovers stay out of the branch.
  const commit = (await deps.workspaces.commitAll(workspace.path, `test: ${label}`.slice(0, 200), { paths: testFiles })) ?? (await deps.workspaces.headSha(workspace.path));
  await pushBranch(context);
  await saveExecutionState(deps.db, task.id, state, {
    lastProvenPhase: "red",
    redCommit: commit,
    redTests: failing,
    redTestFiles: testFiles,
    revertedInRed: [...reverted],
    testRuns: { ...state.testRuns, red: redRun.targeted ? `targeted: ${redRun.targeted}` : "whole suite" },
    redEvidence: {
      command: testCommand,
      exitCode: redRun.exitCode,
      failingTests: failing,
      outputExcerpt: outputExcerpt(redRun.output),
      durationMs: redRun.durationMs,
    },
  });
  metrics.tasksProven.inc({ repository: outcomeRepoLabel(task.repo, Object.keys(deps.config.file.repos)), phase: "red" });
  context.logger.info({ commit, failing }, "red proven");
}

/** The changed test files still in the worktree (a deleted one cannot be run). */
async function existingFiles(worktree: string, files: readonly string[]): Promise<string[]> {
  const present: string[] = [];
  for (const file of files) if (await access(join(worktree, file)).then(() => true, () => false)) present.push(file);
  return present;
}
