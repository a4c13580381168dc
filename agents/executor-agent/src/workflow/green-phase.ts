import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { FixlineError } from "@fixline/core";
import { outcomeRepoLabel } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { agentChangedFiles } from "../environment/setup-leftovers";
import { runSuite } from "../environment/run-suite";
import { outputExcerpt } from "../evidence/output-excerpt";
import { rerunTargets } from "../verify/rerun-targets";
import { verifyGreen } from "../verify/verify-green";
import { runClaudePhase } from "./claude-phase";
import { setUpEnvironment } from "./environment-setup";
import { saveExecutionState, type ExecutionContext } from "./execution-context";
import { assertProtectedPathsUnchanged } from "./check-protected-paths";
import { greenPrompt } from "./execution-prompts";
import { restoreFiles } from "./restore-files";

/** Red test files whose content now differs from the red commit, deleted ones included. */
async function modifiedRedTestFiles(context: ExecutionContext): Promise<string[]> {
  const { deps, workspace, state } = context;
  const modified: string[] = [];
  for (const file of state.redTestFiles ?? []) {
    const atRed = await deps.workspaces.fileAtRef(workspace.path, state.redCommit!, file);
    const now = await readFile(join(workspace.path, file), "utf8").catch(() => null);
    if (atRed !== now) modified.push(file);
  }
  return modified;
}

/**
 * Green: the agent (resuming the red session) implements the fix; the harness then runs the full suite and
 * accepts only a run where everything passes, the red tests pass untouched, nothing that passed on the base
 * broke, and the suite passes flakeReruns times in a row. Then `fix:` is committed and pushed.
 */
export async function runGreenPhase(context: ExecutionContext): Promise<void> {
  const { deps, task, workspace, state, testCommand } = context;
  const started = performance.now();
  // A retry after a failed green starts from the checkpoint, which may hold a weakened test: the red tests
  // are the harness's, so they go back to the red commit before the agent resumes.
  await restoreFiles(deps.workspaces, workspace.path, state.redCommit!, state.redTestFiles ?? []);
  const prompt = greenPrompt({
    planMarkdown: context.planMarkdown,
    plan: context.plan,
    testCommand,
    quickCheckCommand: context.environment.planTestCommand,
    instructions: context.approval.instructions,
    redTests: state.redTests ?? [],
    redTestFiles: state.redTestFiles ?? [],
  });
  const outcome = await runClaudePhase(context, "green", prompt, state.sessionId);
  if (outcome.sessionId) await saveExecutionState(deps.db, task.id, state, { sessionId: outcome.sessionId });
  if (!outcome.ok) throw outcome.error;
  metrics.phaseDuration.observe({ phase: "green" }, (performance.now() - started) / 1000);

  // Verification: only test runs count, never the agent's own account of them.
  const verifyStarted = performance.now();
  // CI, the runner's configuration and the test script decide what "green" means: not the agent's to change.
  await assertProtectedPathsUnchanged(context);
  // The fix may have changed a dependency manifest: install again before the runs that decide.
  await setUpEnvironment(context);
  const modified = await modifiedRedTestFiles(context);
  const green = await runSuite(context);
  const verdict = verifyGreen({
    base: { ...state.baseRun!, output: "" },
    green,
    redTests: state.redTests ?? [],
    modifiedRedTestFiles: modified,
    allowsTestChanges: context.plan.allowsTestChanges,
  });
  context.logger.info({ verdict, exitCode: green.exitCode, counts: green.counts }, "green verification");
  if (!verdict.ok) {
    throw new FixlineError("GREEN_NOT_REACHED", verdict.reasons.join("; "), { details: { output: outputExcerpt(green.output) } });
  }

  // N passing runs in a row (the whole run above is the first), so a flaky fix is not reported as proven. The
  // reruns repeat what the fix is about (issue 19): the red tests and every test whose result differs from
  // the base; everything else already passed on the base and in the whole run. A rerun that does not show
  // each test it targeted (a name pattern missed one) is done again whole.
  const required = deps.config.file.defaults.flakeReruns;
  const targets = rerunTargets(state.baseRun!, green, state.redTests ?? []);
  let passes = 1;
  const rerunScopes = new Set<string>();
  for (let i = 1; i < required; i++) {
    let rerun = targets.length > 0 ? await runSuite(context, { tests: targets.map((t) => t.target) }) : await runSuite(context);
    if (rerun.targeted && !targets.every((t) => rerun.tests.some((r) => r.name === t.qualified))) {
      context.logger.info({ targeted: rerun.targeted }, "targeted rerun did not show every targeted test; running the suite whole");
      rerun = await runSuite(context);
    }
    rerunScopes.add(rerun.targeted ? `targeted: ${rerun.targeted}` : "whole suite");
    const mustPass = new Set([...(state.redTests ?? []), ...(rerun.targeted ? targets.map((t) => t.qualified) : [])]);
    const redOk = [...mustPass].every((name) => rerun.tests.some((t) => t.name === name && t.status === "passed"));
    if (!rerun.passed || !redOk) {
      throw new FixlineError("GREEN_NOT_REACHED", `flaky: passed ${passes} of ${i + 1} runs (${required} required in a row)`, {
        details: { output: outputExcerpt(rerun.output) },
      });
    }
    passes++;
  }
  metrics.phaseDuration.observe({ phase: "verify" }, (performance.now() - verifyStarted) / 1000);

  const summary = context.plan.summary.split("\n").find((l) => l.trim() !== "")?.trim() ?? task.title;
  const changes = await agentChangedFiles(deps.workspaces, workspace.path, "HEAD", state.setupLeftovers);
  const commit = (changes.length > 0 ? await deps.workspaces.commitAll(workspace.path, `fix: ${summary}`.slice(0, 200), { paths: changes }) : null) ?? (await deps.workspaces.headSha(workspace.path));
  await saveExecutionState(deps.db, task.id, state, {
    testRuns: { ...state.testRuns, green: "whole suite", ...(required > 1 ? { reruns: `${required - 1} × ${[...rerunScopes].join(" / ")}` } : {}) },
    greenCommit: commit,
    greenEvidence: {
      command: testCommand,
      passed: green.counts.passed,
      failed: green.counts.failed,
      skipped: green.counts.skipped,
      reruns: required - 1,
      durationMs: green.durationMs,
    },
  });
  metrics.tasksProven.inc({ repository: outcomeRepoLabel(task.repo, Object.keys(deps.config.file.repos)), phase: "green" });
  context.logger.info({ commit, passes }, "green reached");
}
