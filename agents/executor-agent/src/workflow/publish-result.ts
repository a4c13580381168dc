import { FixlineError } from "@fixline/core";
import { listAgentRuns, markNotified, transition, updateTaskFields, wasNotified } from "@fixline/db";
import { completedJiraComment, completedMessage } from "@fixline/integrations";
import { metrics } from "@fixline/observability";
import { buildEvidence, type ExecutionEvidence } from "../evidence/build-evidence";
import { withEvidenceSection } from "../evidence/evidence-section";
import { renderEvidenceSection } from "../evidence/render-evidence-section";
import { filesOutsideScope } from "../verify/check-scope";
import { saveExecutionState, type ExecutionContext } from "./execution-context";

/**
 * Scope check against PLAN.md's Affected files: outside files are flagged on the PR (warn) or stop the push
 * (block, SCOPE_VIOLATION). Runs before the fix is pushed.
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
  const body = [
    "⚠️ **Fixline scope warning**: the fix changed files that PLAN.md's *Affected files* does not list:",
    "",
    ...outside.map((f) => `- \`${f.replace(/`/g, "")}\``),
    "",
    "Review these changes with extra care (scopePolicy: warn).",
  ].join("\n");
  await deps.github.ensureComment(task.repo, task.prNumber!, `scope-warning/${task.planSha}`, body);
  return outside;
}

export async function buildTaskEvidence(context: ExecutionContext): Promise<ExecutionEvidence> {
  const { deps, task, state, environment, settings } = context;
  const base = state.baseRun!;
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
    },
  });
}

/**
 * Push, evidence on the task and the PR, ready for review, Slack/Jira, and the move to completed. Each step
 * is idempotent, so a redelivered job that died half-way through simply does them again.
 */
export async function publishResult(context: ExecutionContext, jobId: string): Promise<ExecutionEvidence> {
  const { deps, task, workspace, state } = context;
  await checkScope(context);
  await deps.workspaces.push(workspace.path, workspace.branch);
  await saveExecutionState(deps.db, task.id, state, { lastProvenPhase: "green" });

  const evidence = await buildTaskEvidence(context);
  await updateTaskFields(deps.db, task.id, { evidence: evidence as unknown as Record<string, unknown> });
  const pr = await deps.github.getPullRequest(task.repo, task.prNumber!);
  await deps.github.updatePullRequest({ repo: task.repo, number: pr.number, body: withEvidenceSection(pr.body, renderEvidenceSection(evidence)) });
  if (pr.draft) await deps.github.markReadyForReview(task.repo, pr.number);

  await notifyCompletion(context, evidence, pr.url);

  const done = await transition(deps.db, {
    taskId: task.id,
    expected: "executing",
    event: { type: "execution_succeeded" },
    actor: { via: "system", login: "executor" },
    data: { jobId, redCommit: state.redCommit, greenCommit: state.greenCommit },
    jobs: [{ queue: "notify", data: { taskId: task.id, event: "completed", details: { prUrl: pr.url } } }],
  });
  metrics.tasksCompleted.inc({ status: "completed" });
  metrics.taskDuration.observe({ status: "completed" }, (Date.now() - done.createdAt.getTime()) / 1000);
  return evidence;
}

/** Slack thread and Jira comment, when those clients are given; each once per task (the notifications ledger). */
async function notifyCompletion(context: ExecutionContext, evidence: ExecutionEvidence, prUrl: string): Promise<void> {
  const { deps, task } = context;
  const cost = evidence.usage.reduce((sum, u) => sum + u.costUsd, 0);
  const channel = task.slackChannel ?? deps.config.slack.channel;
  if (deps.slack && channel && !(await wasNotified(deps.db, task.id, "completed", "slack"))) {
    try {
      const message = completedMessage({ taskId: task.id, title: task.title, repo: task.repo, prUrl, costUsd: cost, evidence });
      const posted = await deps.slack.postMessage({ channel, ...message, ...(task.slackThreadTs ? { threadTs: task.slackThreadTs } : {}) });
      await markNotified(deps.db, task.id, "completed", "slack", posted.ts);
    } catch (error) {
      context.logger.warn({ err: error }, "Slack completion message failed; the task completes anyway");
    }
  }
  const jiraKey = task.context.jira?.key;
  if (deps.jira && jiraKey && !(await wasNotified(deps.db, task.id, "completed", "jira"))) {
    try {
      const comment = await deps.jira.addComment(jiraKey, completedJiraComment({ taskId: task.id, prUrl, evidence }));
      const target = deps.config.file.defaults.jiraTransitionOnDone;
      if (target) await deps.jira.transition(jiraKey, target);
      await markNotified(deps.db, task.id, "completed", "jira", comment.id);
    } catch (error) {
      context.logger.warn({ err: error }, "Jira completion comment failed; the task completes anyway");
    }
  }
}
