import { FixlineError, planFile, repoSettings, type Logger } from "@fixline/core";
import { getTask, outcomeRepoLabel, taskSpentUsd, type TaskRecord } from "@fixline/db";
import { renderPullRequestBody, type TaskSources } from "@fixline/integrations";
import { runAgentJob } from "@fixline/queue";
import { buildPlanningPrompt } from "./build-planning-prompt";
import { failTask } from "./fail-task";
import { gatherContext } from "./gather-context";
import { publishDraftPullRequest, pushPlan, type PlanningOutbound } from "./outbound";
import { detectPlanningEnvironment } from "./plan-environment";
import type { PlanningDeps } from "./planning-deps";
import { isPlanningState, planningStates } from "./planning-states";
import { checkBudgets, checkRemote, prepareWorkspace, startPlanning } from "./prepare-planning";
import { recordPlanReady, type PlanningResult } from "./record-plan-ready";
import { throwIfAborted, writePlan } from "./write-plan";

export type { PlanningResult } from "./record-plan-ready";

export interface PlanningRun {
  signal: AbortSignal;
  logger: Logger;
  /** The BullMQ job id: owns the task's planning lock, so the same job recovered after a crash takes it over. */
  jobId: string;
  /** False while BullMQ has attempts left: a retryable failure is then retried instead of failing the task. */
  finalAttempt: boolean;
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
 * Runs in the shared agent-job skeleton: two deliveries for one task never race on its branch (one plans,
 * the other steps aside), and a failure is retried or ends the task failed, decided there.
 */
export async function runPlanning(job: { taskId: string; feedback?: string | undefined }, deps: PlanningDeps, run: PlanningRun): Promise<PlanningResult> {
  const found = await getTask(deps.db, job.taskId);
  if (!found) return { outcome: "skipped", reason: "no such task" };
  if (!isPlanningState(found.state)) return { outcome: "skipped", reason: `task is ${found.state}` };
  const task = { ...found, state: found.state };
  return runAgentJob<PlanningResult>({
    name: "planning",
    signal: run.signal,
    finalAttempt: run.finalAttempt,
    logger: run.logger,
    lock: { redis: deps.redis, key: `${deps.prefix ?? "fixline"}:planning-lock:${found.id}`, owner: `job:${run.jobId}` },
    busy: async () => ({ outcome: "skipped", reason: "another worker is planning this task" }),
    states: planningStates,
    readState: async () => (await getTask(deps.db, found.id))?.state,
    run: () => planTask(task, job.feedback, deps, run),
    stepAside: ({ state, aborted }) => (aborted && state === "cancelled" ? { outcome: "cancelled" } : { outcome: "skipped", reason: `task is ${state ?? "gone"}` }),
    fail: async (error, cause) => {
      await failTask(deps.db, found.id, error, run.logger);
      // The task is failed and told; the job ends failed too, without another attempt.
      throw new FixlineError(error.code, error.message, { cause, retryable: false });
    },
  });
}

/** The phases of one plan: checks, context, workspace, the agent's PLAN.md, the commit, and out through one door. */
async function planTask(found: TaskRecord & { state: "received" | "planning" }, jobFeedback: string | undefined, deps: PlanningDeps, run: PlanningRun): Promise<PlanningResult> {
  const { db, config, workspaces } = deps;
  const { signal } = run;
  const log = run.logger.child({ repo: found.repo });
  const task = await startPlanning(deps, found, log);
  const settings = repoSettings(config, task.repo);
  await checkBudgets(deps, task, settings);
  const { baseBranch } = await checkRemote(deps, task, settings, log);

  const context = await gatherContext(task, { github: deps.github, jira: deps.jira, sentry: deps.sentry, logger: log });
  throwIfAborted(signal);
  const { workspace, branch } = await prepareWorkspace(deps, task, baseBranch);
  const path = workspace.path;
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
  const { markdown, plan } = await writePlan({ deps, task, settings, worktree: path, headBefore: workspace.headSha, environment, signal, log }, prompt);

  const subject = task.title.replace(/\s+/g, " ").slice(0, 72);
  const committed = await workspaces.commitAll(path, `fixline: plan for ${subject}\n\nFixline task ${task.id}`, { paths: [planFile] });
  const planSha = committed ?? (await workspaces.headSha(path));
  // One door out (outbound.ts): a dry run records what a real run sends, and both end the same way.
  const outbound: PlanningOutbound = { deps, task, github: settings.dryRun ? undefined : deps.github, branch, baseBranch: workspace.baseBranch, logger: log };
  await pushPlan(outbound, path, planSha);

  const costUsd = await taskSpentUsd(db, task.id);
  const taskUrl = `${config.publicUrl.replace(/\/+$/, "")}/tasks/${task.id}`;
  const body = renderPullRequestBody({ taskId: task.id, title: task.title, sources: taskSourcesOf(task), planSummary: plan.summary, costUsd, taskUrl });
  const title = `fixline: ${task.title}`.slice(0, 250);
  const pr = await publishDraftPullRequest(outbound, { title, body, planSha });
  const repository = outcomeRepoLabel(task.repo, Object.keys(config.file.repos));
  return recordPlanReady(db, { taskId: task.id, planSha, markdown, plan, baseBranch: workspace.baseBranch, title, body, costUsd, repository, taskCreatedAt: task.createdAt }, pr, log);
}
