import { FixlineError } from "@fixline/core";
import { listAgentRuns, outcomeRepoLabel, transition, updateTaskFields } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { buildEvidence, fixDiffMaxChars, type ExecutionEvidence } from "../evidence/build-evidence";
import { withEvidenceSection } from "../evidence/evidence-section";
import { renderEvidenceSection } from "../evidence/render-evidence-section";
import { filesOutsideScope } from "../verify/check-scope";
import { saveExecutionState, type ExecutionContext } from "./execution-context";
import { publishOnPullRequest, pushBranch } from "./outbound";

/**
 * Scope check against PLAN.md's Affected files: outside files are flagged in the PR body's evidence (warn)
 * or stop the push (block, SCOPE_VIOLATION). Runs before the fix is pushed.
 */
export async function checkScope(context: ExecutionContext): Promise<string[]> {
  const { deps, task, workspace, state, settings } = context;
  const changed = await deps.workspaces.changedFiles(workspace.path, state.baseCommit!, "HEAD");
  const outside = filesOutsideScope(changed, context.plan.affectedFiles);
  await saveExecutionState(deps.db, task.id, state, { scopeWarnings: outside });
  if (outside.length === 0) return outside;
  if (settings.scopePolicy === "block") {
    throw new FixlineError("SCOPE_VIOLATION", `the change touches files outside the plan's Affected files: ${outside.join(", ")}`, { details: { outside } });
  }
  // Warned in the PR body's evidence section; messages to people are the notify worker's (issue 15).
  context.logger.warn({ outside }, "the change touches files outside the plan's Affected files (scopePolicy: warn)");
  return outside;
}

export async function buildTaskEvidence(context: ExecutionContext): Promise<ExecutionEvidence> {
  const { deps, task, state, environment, settings } = context;
  const base = state.baseRun!;
  // The dashboard shows the fix beside its proof (issue 17): red commit -> green commit, the fix alone.
  const fixDiff =
    state.redCommit && state.greenCommit
      ? await deps.workspaces.diff(context.workspace.path, state.redCommit, state.greenCommit).then(
          (diff) => (diff.length > fixDiffMaxChars ? `${diff.slice(0, fixDiffMaxChars)}\n… (cut at ${fixDiffMaxChars} characters)` : diff),
          () => undefined,
        )
      : undefined;
  return buildEvidence({
    red: state.redEvidence,
    green: state.greenEvidence,
    runs: await listAgentRuns(deps.db, task.id),
    environment: {
      testCommand: context.testCommand,
      detected: environment.detected,
      setupCommands: environment.setup,
      setupMs: Math.round(context.setup.durationMs),
      ...(context.setup.cacheHit !== undefined ? { cacheHit: context.setup.cacheHit } : {}),
    },
    baseline: {
      commit: state.baseCommit!,
      passed: base.counts.passed,
      failed: base.counts.failed,
      preExistingFailures: base.tests.filter((t) => t.status === "failed").map((t) => t.name),
    },
    extra: {
      ...(state.redCommit ? { redCommit: state.redCommit } : {}),
      ...(state.greenCommit ? { greenCommit: state.greenCommit } : {}),
      ...(state.revertedInRed?.length ? { revertedInRed: state.revertedInRed } : {}),
      ...(state.scopeWarnings?.length ? { scope: { policy: settings.scopePolicy, outside: state.scopeWarnings } } : {}),
      ...(state.agentFindings?.length ? { agentFindings: state.agentFindings } : {}),
      ...(fixDiff ? { fixDiff } : {}),
      ...(state.testRuns ? { testRuns: state.testRuns } : {}),
    },
  });
}

/**
 * Push, evidence on the task and the PR, ready for review, and the move to completed. Slack and Jira hear
 * about it from the notify worker (the `completed` job queued with the transition), so each message is sent
 * once, from one place. Each step is idempotent, so a redelivered job that died half-way simply does them again.
 */
export async function publishResult(context: ExecutionContext, jobId: string): Promise<ExecutionEvidence> {
  const { deps, task, state } = context;
  await checkScope(context);
  await pushBranch(context);
  await saveExecutionState(deps.db, task.id, state, { lastProvenPhase: "green" });

  const evidence = await buildTaskEvidence(context);
  await updateTaskFields(deps.db, task.id, { evidence });
  const prUrl = await publishOnPullRequest(context, (body) => withEvidenceSection(body, renderEvidenceSection(evidence)));

  const done = await transition(deps.db, {
    taskId: task.id,
    expected: "executing",
    event: { type: "execution_succeeded" },
    actor: { via: "system", login: "executor" },
    data: { jobId, redCommit: state.redCommit, greenCommit: state.greenCommit },
    jobs: [{ queue: "notify", data: { taskId: task.id, event: "completed", details: { prUrl } } }],
  });
  metrics.tasksCompleted.inc({ status: "completed" });
  const repository = outcomeRepoLabel(task.repo, Object.keys(deps.config.file.repos));
  metrics.executionsFinished.inc({ repository, status: "completed" });
  metrics.timeToReady.observe({ repository }, Math.max(0, (Date.now() - done.createdAt.getTime()) / 1000));
  metrics.taskDuration.observe({ status: "completed" }, (Date.now() - done.createdAt.getTime()) / 1000);
  return evidence;
}
