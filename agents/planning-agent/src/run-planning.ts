import { parsePlan, planFile, validatePlan } from "@fixline/core";
import { randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runClaude, type ClaudeRunOutcome, type RunClaudeOptions } from "@fixline/claude";
import { estimateExecutionCost, FixlineError, redactorFor, repoSettings, taskBranchName, withCostEstimate, type Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import { appendTaskEvent, getTask, outcomeRepoLabel, repoSpentTodayUsd, taskSpentUsd, transition, updateTaskFields, type TaskRecord } from "@fixline/db";
import type { Workspace } from "@fixline/git";
import { renderPullRequestBody, type TaskSources } from "@fixline/integrations";
import { buildPlanningPrompt, buildRepairPrompt } from "./build-planning-prompt";
import { gatherContext } from "./gather-context";
import { detectPlanningEnvironment, withEnvironmentNotes } from "./plan-environment";
import type { PlanningDeps } from "./planning-deps";
import { planningAllowedTools, planningSkills } from "./planning-tools";
import { recordDryRun } from "./record-dry-run";

export type PlanningResult =
  | { outcome: "skipped"; reason: string }
  | { outcome: "plan_ready"; planSha: string; prNumber: number; prUrl: string; createdPullRequest: boolean }
  /** A dry run: the plan is committed locally and nothing left the machine (see `data.wouldHaveSent`). */
  | { outcome: "plan_ready_dry_run"; planSha: string };

/**
 * The `pr_number` a dry-run plan is recorded with: the column is an integer and plan_ready needs one, and 0 is
 * never a real GitHub number, so 0 means "no PR: dry run". The PR the run would have opened is in
 * `data.dryRunPullRequest`.
 */
export const dryRunPrNumber = 0;

/** States in which a planning job has nothing left to do: the plan is out, or the task is over. */
const pastPlanning = new Set(["awaiting_approval", "approved", "executing", "waiting_budget", "completed", "failed", "rejected", "cancelled"]);

const pullRequestLabel = "fixline";

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new FixlineError("CLAUDE_CANCELLED", "planning was stopped");
}

export function taskSourcesOf(task: TaskRecord): TaskSources {
  const { context } = task;
  const sources: TaskSources = {};
  if (context.sentry) sources.sentry = { issueId: context.sentry.issueId, ...(context.sentry.shortId ? { shortId: context.sentry.shortId } : {}), permalink: context.sentry.permalink ?? null };
  if (context.jira) sources.jira = { key: context.jira.key, ...(context.jira.url ? { url: context.jira.url } : {}) };
  if (context.github) sources.github = { issueNumber: context.github.issueNumber, ...(context.github.url ? { url: context.github.url } : {}) };
  if (context.slack) sources.slack = { userId: context.slack.userId, ...(context.slack.userName ? { userName: context.slack.userName } : {}), ...(context.slack.channelId ? { channelId: context.slack.channelId } : {}) };
  return sources;
}

/**
 * One planning job, idempotent at every step: a task past planning is left alone; a task already in
 * planning (its worker died) is resumed; the branch, PR, label and PLAN.md commit are found and reused.
 * Throws coded errors; the worker decides between retrying and failing the task.
 */
export async function runPlanning(job: { taskId: string; feedback?: string | undefined }, deps: PlanningDeps, run: { signal: AbortSignal; logger: Logger }): Promise<PlanningResult> {
  const { db, config, redis } = deps;
  const { signal } = run;
  const found = await getTask(db, job.taskId);
  if (!found) return { outcome: "skipped", reason: "no such task" };
  if (pastPlanning.has(found.state)) return { outcome: "skipped", reason: `task is ${found.state}` };

  // Two deliveries of planning for one task must not race on the same branch: one plans, the other
  // steps aside (if the holder dies, BullMQ hands its stalled job to another worker).
  const lockKey = `${deps.prefix ?? "fixline"}:planning-lock:${found.id}`;
  const token = randomUUID();
  const lockMs = (config.file.defaults.timeouts.planningSeconds * 2 + 120) * 1000;
  if ((await redis.set(lockKey, token, "PX", lockMs, "NX")) !== "OK") return { outcome: "skipped", reason: "another worker is planning this task" };
  try {
    return await planTask(found, job.feedback, deps, run, signal);
  } finally {
    await redis
      .eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, lockKey, token)
      .catch(() => {});
  }
}

async function planTask(found: TaskRecord, jobFeedback: string | undefined, deps: PlanningDeps, run: { logger: Logger }, signal: AbortSignal): Promise<PlanningResult> {
  const { db, config, workspaces, redis } = deps;
  const log = run.logger.child({ repo: found.repo });
  let task = found;
  if (task.state === "received" || task.state === "planning") {
    if (task.state === "planning") log.info("task was already planning (an earlier worker stopped); resuming");
    task = await transition(db, { taskId: task.id, expected: task.state, event: { type: "plan_started" }, actor: { via: "system" } });
  }
  const settings = repoSettings(config, task.repo);

  const spentToday = await repoSpentTodayUsd(db, task.repo);
  if (spentToday >= settings.budgets.perRepoPerDayUsd) {
    throw new FixlineError("BUDGET_EXHAUSTED", `${task.repo} has spent $${spentToday.toFixed(2)} today, its daily budget is $${settings.budgets.perRepoPerDayUsd.toFixed(2)}`);
  }
  const spentTask = await taskSpentUsd(db, task.id);
  if (spentTask >= settings.budgets.perTaskUsd) {
    throw new FixlineError("BUDGET_EXHAUSTED", `the task has spent $${spentTask.toFixed(2)} of its $${settings.budgets.perTaskUsd.toFixed(2)} budget`);
  }

  // A dry run reads (the repository, the issue) but writes nothing outside this machine, so it needs
  // neither GitHub credentials nor push access: that is how a repository is tried out first.
  const { dryRun } = settings;
  const github = deps.github;
  if (!github && !dryRun) throw new FixlineError("CONFIG_INVALID", "GitHub is not configured (GITHUB_TOKEN or GITHUB_APP_ID), so no pull request can be opened");
  const remote = github ? await github.getRepo(task.repo) : undefined;
  if (remote && !remote.permissions.push) {
    if (!dryRun) throw new FixlineError("REPO_NOT_FOUND", `the GitHub credentials can read ${task.repo} but not push to it`);
    log.warn("dry run: the GitHub credentials cannot push to this repository; a real run would fail with REPO_NOT_FOUND");
  }
  const baseBranch = settings.defaultBranch ?? remote?.defaultBranch;

  const context = await gatherContext(task, { github, jira: deps.jira, sentry: deps.sentry, logger: log });
  throwIfAborted(signal);

  // The branch name is published and slugged from a title a stranger wrote: from the redacted title (issue 14).
  const branch = task.branch ?? taskBranchName(task.id, redactorFor(config).redact(task.title));
  let workspace: Workspace;
  try {
    workspace = await workspaces.prepare({ taskId: task.id, repo: task.repo, branch, ...(baseBranch ? { baseBranch } : {}) });
  } catch (error) {
    if (error instanceof FixlineError && (error.code === "CLONE_FAILED" || error.code === "REPO_NOT_FOUND")) throw error;
    throw new FixlineError("CLONE_FAILED", `could not prepare the workspace for ${task.repo}: ${(error as Error).message}`, { cause: error });
  }
  if (task.branch !== branch) await updateTaskFields(db, task.id, { branch });
  const path = workspace.path;
  const headBefore = workspace.headSha;
  // Leftovers of a run that died mid-way are not part of any plan.
  await workspaces.discardChangesExcept(path, []);
  const environment = await detectPlanningEnvironment(path, task.repo, settings, log);

  const feedback = jobFeedback ?? task.feedback ?? undefined;
  const previousPlan = task.planSha ? (task.planMarkdown ?? (await workspaces.fileAtRef(path, "HEAD", planFile)) ?? undefined) : undefined;
  const prompt = buildPlanningPrompt({
    taskId: task.id,
    repo: task.repo,
    title: task.title,
    baseBranch: workspace.baseBranch,
    context,
    testCommand: settings.test,
    environment,
    feedback: feedback?.trim() ? feedback : undefined,
    previousPlan,
  });

  const timeouts = config.file.defaults.timeouts;
  const claudeOptions: Omit<RunClaudeOptions, "phase" | "prompt"> = {
    taskId: task.id,
    cwd: path,
    skills: planningSkills,
    allowedTools: planningAllowedTools,
    // --restricted: the read tools are confined to the worktree by the CLI too, not only by the sandbox.
    restrictedTools: [...new Set(planningAllowedTools.map((tool) => tool.replace(/\(.*$/, "")))],
    permissionMode: "acceptEdits",
    maxTurns: config.file.defaults.maxTurns.planning,
    budgetUsd: settings.budgets.perTaskUsd,
    timeoutMs: timeouts.planningSeconds * 1000,
    idleTimeoutMs: timeouts.idleSeconds * 1000,
    signal,
    ...(config.claude.model ? { model: config.claude.model } : {}),
  };
  const claudeDeps = { config, db, redis, logger: log };
  const started = await runClaude({ ...claudeOptions, phase: "planning", prompt }, claudeDeps);
  const first = requireSuccess(started, signal);
  let planningCostUsd = started.costUsd;
  await keepOnlyPlan(deps, task.id, path, headBefore, "planning", log);

  let markdown = await readPlan(path);
  let validation = validatePlan(markdown);
  if (!validation.ok) {
    log.warn({ missing: validation.missing, problems: validation.problems }, "PLAN.md is incomplete; one repair run");
    await appendTaskEvent(db, { taskId: task.id, type: "plan_repair", data: { missing: validation.missing, problems: validation.problems }, state: "planning" });
    const repaired = await runClaude({ ...claudeOptions, phase: "plan_repair", prompt: buildRepairPrompt(validation.missing, validation.problems), resumeSessionId: first.sessionId }, claudeDeps);
    requireSuccess(repaired, signal);
    planningCostUsd += repaired.costUsd;
    await keepOnlyPlan(deps, task.id, path, headBefore, "plan_repair", log);
    markdown = await readPlan(path);
    validation = validatePlan(markdown);
    if (!validation.ok) {
      const what = [...validation.missing.map((s) => `missing "## ${s}"`), ...validation.problems].join("; ");
      throw new FixlineError("PLAN_INVALID", `${planFile} is still invalid after a repair run: ${what}`, { details: { missing: validation.missing, problems: validation.problems } });
    }
  }
  throwIfAborted(signal);
  if (environment) {
    const withNotes = withEnvironmentNotes(markdown as string, environment);
    if (withNotes !== markdown) await writeFile(join(path, planFile), withNotes);
    markdown = withNotes;
  }
  // Issue 21: the estimate approving grants as the execution budget, from this planning's cost and the plan's
  // size (the method is in @fixline/core's cost-estimate.ts and the README). Fixline's section, never the agent's.
  const estimated = withCostEstimate(markdown as string, estimateExecutionCost({ planningCostUsd, plan: parsePlan(markdown as string) }));
  await writeFile(join(path, planFile), estimated);
  markdown = estimated;
  // PLAN.md is published (the commit, the PR, Slack, the dashboard): what the agent wrote of a secret goes (issue 14).
  const redacted = redactorFor(config).redact(markdown as string);
  if (redacted !== markdown) {
    log.warn("PLAN.md held secret values or token shapes; they are [redacted] in what Fixline commits");
    await writeFile(join(path, planFile), redacted);
    markdown = redacted;
  }
  const plan = parsePlan(markdown as string);

  const subject = task.title.replace(/\s+/g, " ").slice(0, 72);
  const committed = await workspaces.commitAll(path, `fixline: plan for ${subject}\n\nFixline task ${task.id}`, { paths: [planFile] });
  const planSha = committed ?? (await workspaces.headSha(path));
  if (!dryRun) await workspaces.push(path, branch);

  const costUsd = await taskSpentUsd(db, task.id);
  const body = renderPullRequestBody({
    taskId: task.id,
    title: task.title,
    sources: taskSourcesOf(task),
    planSummary: plan.summary,
    costUsd,
    taskUrl: `${config.publicUrl.replace(/\/+$/, "")}/tasks/${task.id}`,
  });
  const title = `fixline: ${task.title}`.slice(0, 250);
  if (dryRun || !github) return finishDryRun({ deps, task, log, branch, baseBranch: workspace.baseBranch, planSha, markdown: markdown as string, plan, title, body, costUsd });
  const { pullRequest, created } = await github.ensureDraftPullRequest({ repo: task.repo, head: branch, base: workspace.baseBranch, title, body });
  if (!created) await github.updatePullRequest({ repo: task.repo, number: pullRequest.number, title, body });
  await github.addLabels(task.repo, pullRequest.number, [pullRequestLabel]);
  await updateTaskFields(db, task.id, {
    prNumber: pullRequest.number,
    prUrl: pullRequest.url,
    planMarkdown: markdown as string,
    data: { plan, baseBranch: workspace.baseBranch, planCommit: planSha },
  });

  await transition(db, {
    taskId: task.id,
    expected: "planning",
    event: { type: "plan_ready", planSha, prNumber: pullRequest.number },
    actor: { via: "system" },
    data: { prUrl: pullRequest.url, costUsd },
    jobs: [{ queue: "notify", data: { taskId: task.id, event: "plan_ready", details: { planSha, prNumber: pullRequest.number } } }],
  });
  // Issue 21 truth metrics: every published plan, and the time to the first draft PR.
  const repository = outcomeRepoLabel(task.repo, Object.keys(config.file.repos));
  metrics.tasksPlanned.inc({ repository });
  if (created) metrics.timeToDraftPr.observe({ repository }, Math.max(0, (Date.now() - task.createdAt.getTime()) / 1000));
  log.info({ planSha, pr: pullRequest.number, created, costUsd }, "plan ready for approval");
  return { outcome: "plan_ready", planSha, prNumber: pullRequest.number, prUrl: pullRequest.url, createdPullRequest: created };
}

/**
 * The end of a dry-run plan: the push, draft PR and label are recorded instead of made, the PR body kept on
 * the task for the dashboard, and the task waits for approval like any other (approved from the dashboard,
 * API or CLI, since there is no PR to comment on). The notify worker records its messages the same way.
 */
async function finishDryRun(input: {
  deps: PlanningDeps;
  task: TaskRecord;
  log: Logger;
  branch: string;
  baseBranch: string;
  planSha: string;
  markdown: string;
  plan: ReturnType<typeof parsePlan>;
  title: string;
  body: string;
  costUsd: number;
}): Promise<PlanningResult> {
  const { deps, task, log, branch, baseBranch, planSha, title } = input;
  const { db } = deps;
  const short = planSha.slice(0, 7);
  await recordDryRun(db, task.id, { channel: "git", action: "push", target: `${task.repo}:${branch}`, summary: `push ${branch} at ${short} (adds ${planFile})` }, log);
  await recordDryRun(db, task.id, { channel: "github", action: "open_draft_pr", target: `${task.repo}:${branch} -> ${baseBranch}`, summary: `open a draft PR "${title}" for ${short}` }, log);
  await recordDryRun(db, task.id, { channel: "github", action: "add_labels", target: `${task.repo}:${branch}`, summary: `label the draft PR "${pullRequestLabel}"` }, log);
  await updateTaskFields(db, task.id, {
    prNumber: dryRunPrNumber,
    planMarkdown: input.markdown,
    data: { plan: input.plan, baseBranch, planCommit: planSha, dryRunPullRequest: { title, body: input.body } },
  });
  await transition(db, {
    taskId: task.id,
    expected: "planning",
    event: { type: "plan_ready", planSha, prNumber: dryRunPrNumber },
    actor: { via: "system" },
    data: { prUrl: null, costUsd: input.costUsd, dryRun: true },
    jobs: [{ queue: "notify", data: { taskId: task.id, event: "plan_ready", details: { planSha, prNumber: dryRunPrNumber } } }],
  });
  log.info({ planSha, dryRun: true, costUsd: input.costUsd }, "dry run: plan committed locally and ready for approval; nothing was pushed");
  return { outcome: "plan_ready_dry_run", planSha };
}

function requireSuccess(outcome: ClaudeRunOutcome, signal: AbortSignal): Extract<ClaudeRunOutcome, { ok: true }> {
  if (outcome.ok) return outcome;
  throwIfAborted(signal);
  throw outcome.error;
}

async function readPlan(worktree: string): Promise<string | null> {
  return readFile(join(worktree, planFile), "utf8").catch(() => null);
}

/** Planning may write PLAN.md only: anything else the agent changed or committed is thrown away and noted. */
async function keepOnlyPlan(deps: PlanningDeps, taskId: string, path: string, headBefore: string, phase: string, log: Logger): Promise<void> {
  const { workspaces, db } = deps;
  const head = await workspaces.headSha(path);
  const others = (await workspaces.changedFiles(path, headBefore)).filter((file) => file !== planFile);
  if (others.length === 0 && head === headBefore) return;
  await workspaces.discardChangesExcept(path, [planFile], head !== headBefore ? { resetTo: headBefore } : {});
  log.warn({ files: others, agentCommitted: head !== headBefore }, "the planning agent changed files other than PLAN.md; discarded");
  await appendTaskEvent(db, { taskId, type: "agent_changes_discarded", data: { phase, files: others, agentCommitted: head !== headBefore }, state: "planning" });
  const current = await getTask(db, taskId);
  const earlier = Array.isArray(current?.data.discardedFiles) ? (current.data.discardedFiles as string[]) : [];
  await updateTaskFields(db, taskId, { data: { discardedFiles: [...new Set([...earlier, ...others])] } });
}
