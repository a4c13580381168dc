import type { RedisClient } from "@fixline/queue";
import { budgetTopUpUsd, formatUsd, isFixlineError, parseBudgetAmount, planCostEstimateUsd, type Actor, type BudgetRequest, type Logger } from "@fixline/core";
import { approvePlan, currentApproval, getTask, outcomeRepoLabel, transition, transitionWith, appendTaskEvent, recordBudgetGrant, type FixlineDb, type TaskRecord } from "@fixline/db";
import { canCommand, type RepoPermission } from "@fixline/integrations";
import { metrics } from "@fixline/observability";
import { publishCancellation, type JobRequest } from "@fixline/queue";

/**
 * What the approver saw (issue 16): the plan SHA shown to them (dashboard, API, CLI, Slack button), or the
 * moment they wrote (a GitHub comment approves the plan that was current when the comment was created).
 */
export type SeenPlan = { planSha: string } | { at: Date };

/** `budget=…` on an approval (issue 21); `invalid` keeps what was written, so the reply can quote it. */
export type BudgetArgument = BudgetRequest | { kind: "invalid"; text: string };

export type TaskCommand =
  | { kind: "approve"; instructions?: string | undefined; seen?: SeenPlan | undefined; budget?: BudgetArgument | undefined }
  | { kind: "reject"; feedback?: string | undefined; seen?: SeenPlan | undefined }
  | { kind: "retry" }
  | { kind: "cancel"; reason?: string | undefined };

export type PermissionChecker = (repo: string, login: string) => Promise<RepoPermission>;

export interface TaskCommandDeps {
  db: FixlineDb;
  checkPermission: PermissionChecker;
  logger: Logger;
  /** Publishes cancellations to workers running the task (channel `fixline:cancel`). */
  redis?: RedisClient | undefined;
  /** FIXLINE_CONFIG operator.mayApprove: whether the shared API token may approve and reject plans. */
  operatorMayApprove?: boolean | undefined;
  /** FIXLINE_CONFIG's repositories: the only values of the truth metrics' repository label ("other" otherwise). */
  knownRepos?: readonly string[] | undefined;
}

/** The one refusal text for an approval of a plan that is no longer the current one. */
export const planChangedMessage = "the plan changed; review the new one";

export type TaskCommandOutcome =
  | { outcome: "applied"; task: TaskRecord; approvalId?: string }
  | { outcome: "refused"; task: TaskRecord; permission: RepoPermission; message: string }
  | { outcome: "conflict"; task: TaskRecord; message: string; planChanged?: true }
  | { outcome: "not_found"; message: string };

/**
 * The one place a human decision about a task is applied, whatever door it came through (PR comment,
 * Slack button, REST API, CLI). Permission is checked before anything counts: only `admin` or `write`
 * on the task's repository. A refused command leaves an event on the task and a polite reply, and
 * moves nothing.
 */
export async function applyTaskCommand(
  deps: TaskCommandDeps,
  request: { taskId: string; command: TaskCommand; actor: Actor & { login: string } },
): Promise<TaskCommandOutcome> {
  const { db, logger } = deps;
  const { command, actor } = request;
  const task = await getTask(db, request.taskId);
  if (!task) return { outcome: "not_found", message: `no task ${request.taskId}` };
  const log = logger.child({ taskId: task.id, command: command.kind, via: actor.via });

  const decidesPlan = command.kind === "approve" || command.kind === "reject";
  if (actor.role === "operator") {
    // The shared token is an operator credential, not a person: it may cancel and retry; plan decisions
    // only where the operator config says so (issue 16).
    if (decidesPlan && !deps.operatorMayApprove) {
      const message = `The operator token cannot ${command.kind} plans (operator.mayApprove is off in FIXLINE_CONFIG); sign in with GitHub or use a personal API token.`;
      await appendTaskEvent(db, { taskId: task.id, type: "command_refused", actor: { ...actor }, data: { command: command.kind, permission: "operator" }, state: task.state });
      log.warn("command refused: the operator token may not decide plans");
      metrics.errors.inc({ type: "FORBIDDEN" });
      return { outcome: "refused", task, permission: "none", message };
    }
  } else {
    const permission = await deps.checkPermission(task.repo, actor.login);
    if (!canCommand(permission)) {
      // The PR comment reply already opens with "@login " (shared/notify), so on GitHub the text says "you".
      const message =
        actor.via === "github"
          ? `you need write access to ${task.repo} to ${command.kind} this task (you have ${permission}); nothing was changed.`
          : `@${actor.login} needs write access to ${task.repo} to ${command.kind} this task (they have ${permission}); nothing was changed.`;
      await appendTaskEvent(db, { taskId: task.id, type: "command_refused", actor: { ...actor }, data: { command: command.kind, permission }, state: task.state });
      log.warn({ permission }, "command refused: insufficient repository permission");
      metrics.errors.inc({ type: "FORBIDDEN" });
      return { outcome: "refused", task, permission, message };
    }
  }

  if (decidesPlan && task.state === "awaiting_approval" && !seenCurrentPlan(task, command.seen)) {
    await appendTaskEvent(db, { taskId: task.id, type: "command_refused", actor: { ...actor }, data: { command: command.kind, reason: "plan_changed", ...seenData(command.seen) }, state: task.state });
    log.warn({ seen: seenData(command.seen) }, "command refused: it was for another plan");
    const message = command.seen ? planChangedMessage : `say which plan you reviewed: ${command.kind} needs the plan SHA shown with it (${task.planSha?.slice(0, 12)}…)`;
    return { outcome: "conflict", task, message, planChanged: true };
  }

  try {
    switch (command.kind) {
      case "approve": {
        const budget = command.budget;
        if (budget?.kind === "invalid") {
          return { outcome: "conflict", task, message: `budget=${budget.text.slice(0, 40)} is not an amount; write budget=$8 to grant $8, or budget=+$5 to add $5 (at most $1000 at a time). Nothing was changed.` };
        }
        if (task.state === "waiting_budget") return await addBudget(deps, task, actor, budget, command.seen);
        if (task.state !== "awaiting_approval" || !task.planSha) {
          return { outcome: "conflict", task, message: `task is ${task.state}; only a plan awaiting approval can be approved` };
        }
        const grant = initialGrant(task, budget);
        const { task: moved, approval } = await approvePlan(db, {
          taskId: task.id,
          planSha: task.planSha,
          actor,
          instructions: command.instructions ?? null,
          // The approval grants its execution budget (issue 21), in its transaction.
          ...(grant ? { grant } : {}),
          jobs: (approvalId) => [
            { queue: "execution", data: { taskId: task.id, approvalId } },
            { queue: "notify", data: { taskId: task.id, event: "approved", details: { by: actor.login, via: actor.via } } },
          ],
        });
        metrics.approvals.inc({ via: actor.via, decision: "approve" });
        if (task.planReadyAt) metrics.approvalWait.observe((Date.now() - task.planReadyAt.getTime()) / 1000);
        // Issue 21 truth metrics, labelled by configured repository only (bounded).
        const repository = outcomeRepoLabel(task.repo, deps.knownRepos ?? []);
        metrics.tasksApproved.inc({ repository });
        if (task.planReadyAt) metrics.timeToApproval.observe({ repository }, Math.max(0, (Date.now() - task.planReadyAt.getTime()) / 1000));
        return { outcome: "applied", task: moved, approvalId: approval.id };
      }
      case "reject": {
        const feedback = command.feedback?.trim();
        const jobs: JobRequest[] = feedback
          ? [
              { queue: "planning", data: { taskId: task.id, feedback } },
              { queue: "notify", data: { taskId: task.id, event: "plan_rejected", details: { by: actor.login, replanning: true } } },
            ]
          : [{ queue: "notify", data: { taskId: task.id, event: "plan_rejected", details: { by: actor.login, replanning: false } } }];
        const moved = await transition(db, { taskId: task.id, expected: "awaiting_approval", event: { type: "reject", ...(feedback ? { feedback } : {}) }, actor, jobs });
        metrics.approvals.inc({ via: actor.via, decision: "reject" });
        return { outcome: "applied", task: moved };
      }
      case "retry": {
        if (task.state !== "failed") return { outcome: "conflict", task, message: `task is ${task.state}; only a failed task can be retried` };
        // Resume from the last proven phase: with a standing approval of the current plan, execution again.
        const approval = task.planSha ? await currentApproval(db, task.id, task.planSha) : undefined;
        const jobs: JobRequest[] = approval
          ? [{ queue: "execution", data: { taskId: task.id, approvalId: approval.id } }]
          : [{ queue: "planning", data: { taskId: task.id } }];
        const moved = await transition(db, { taskId: task.id, expected: "failed", event: { type: "retry" }, actor, jobs });
        return { outcome: "applied", task: moved };
      }
      case "cancel": {
        const moved = await transition(db, {
          taskId: task.id,
          expected: task.state,
          event: { type: "cancel", ...(command.reason ? { reason: command.reason } : {}) },
          actor,
          jobs: [{ queue: "notify", data: { taskId: task.id, event: "cancelled", details: { by: actor.login } } }],
        });
        // Workers running this task abort their Claude run (and its process group) at once.
        if (deps.redis) await publishCancellation(deps.redis, task.id).catch((error: unknown) => log.warn({ err: (error as Error).message }, "could not publish cancellation"));
        return { outcome: "applied", task: moved };
      }
      default: {
        const never: never = command;
        throw new Error(`unknown command ${JSON.stringify(never)}`);
      }
    }
  } catch (error) {
    if (isFixlineError(error, "ILLEGAL_TRANSITION") || isFixlineError(error, "STALE_STATE")) {
      return { outcome: "conflict", task: (await getTask(db, task.id)) ?? task, message: error.message };
    }
    throw error;
  }
}

/**
 * What an approval grants for execution (issue 21): `budget=$8` exactly that, `budget=+$5` the plan's estimate
 * plus that, no budget the estimate PLAN.md carries. A plan without an estimate (written before issue 21)
 * with no explicit budget grants nothing: its runs are bounded by the per-task cap alone, as before.
 */
function initialGrant(task: TaskRecord, budget: BudgetRequest | undefined): { kind: "estimate" | "explicit"; amountUsd: number } | undefined {
  const estimate = planCostEstimateUsd(task.planMarkdown);
  if (budget?.kind === "set") return { kind: "explicit", amountUsd: budget.usd };
  if (budget?.kind === "add") return { kind: "explicit", amountUsd: (estimate ?? 0) + budget.usd };
  return estimate !== undefined && estimate > 0 ? { kind: "estimate", amountUsd: estimate } : undefined;
}

/**
 * `@agent approve budget=+$5` on a task waiting for budget: the top-up is written in the transaction of the
 * guarded waiting_budget -> executing transition, with the execution job that resumes from the checkpoint.
 * A second copy of the command (redelivered, or another writer at the same moment) finds the task executing
 * and adds nothing. The approval stays bound to the plan commit it approved; a dashboard or API request that
 * names another plan is refused like any approval of a stale plan.
 */
async function addBudget(
  deps: TaskCommandDeps,
  task: TaskRecord,
  actor: Actor & { login: string },
  budget: BudgetRequest | undefined,
  seen: SeenPlan | undefined,
): Promise<TaskCommandOutcome> {
  const { db } = deps;
  if (budget?.kind !== "add") {
    return { outcome: "conflict", task, message: `task is waiting for budget; write \`@agent approve budget=+$${budgetTopUpUsd}\` to add $${budgetTopUpUsd} and continue from where it stopped.` };
  }
  if (seen && "planSha" in seen && (!task.planSha || seen.planSha.toLowerCase() !== task.planSha.toLowerCase())) {
    return { outcome: "conflict", task, message: planChangedMessage, planChanged: true };
  }
  const approval = task.planSha ? await currentApproval(db, task.id, task.planSha) : undefined;
  if (!approval) return { outcome: "conflict", task, message: "the plan has no standing approval any more; approve the current PLAN.md again" };
  const { task: moved } = await transitionWith(db, { taskId: task.id, expected: "waiting_budget", event: { type: "budget_granted", addedUsd: budget.usd }, actor }, async (trx) => {
    // The top-up counts only if this copy of the command moved the task (rolled back with a stale one).
    await recordBudgetGrant(trx, { taskId: task.id, approvalId: approval.id, kind: "top_up", amountUsd: budget.usd, actor });
    return {
      value: undefined,
      data: { approvalId: approval.id },
      jobs: [
        { queue: "execution", data: { taskId: task.id, approvalId: approval.id } },
        { queue: "notify", data: { taskId: task.id, event: "command_ack", details: { by: actor.login, message: `Budget raised by ${formatUsd(budget.usd)}${actor.login ? ` by ${actor.login}` : ""}; continuing from the last checkpoint.` } } },
      ],
    };
  });
  metrics.approvals.inc({ via: actor.via, decision: "budget" });
  return { outcome: "applied", task: moved, approvalId: approval.id };
}

/**
 * Whether the decision was made on the plan that is current now. No binding at all counts as not seen:
 * every door must say which plan it showed.
 */
export function seenCurrentPlan(task: Pick<TaskRecord, "planSha" | "planReadyAt">, seen: SeenPlan | undefined): boolean {
  if (!seen || !task.planSha) return false;
  if ("planSha" in seen) return seen.planSha.toLowerCase() === task.planSha.toLowerCase();
  if (!task.planReadyAt) return false;
  // GitHub stamps comments to the second and its clock is not ours: a few seconds of slack. A comment on an
  // older plan predates the new one by a whole planning run (minutes), so the slack lets none of them through.
  return seen.at.getTime() >= Math.floor(task.planReadyAt.getTime() / 1000) * 1000 - commentClockSlackMs;
}

/** See seenCurrentPlan. */
export const commentClockSlackMs = 5_000;

function seenData(seen: SeenPlan | undefined): Record<string, string> {
  if (!seen) return {};
  return "planSha" in seen ? { seenPlanSha: seen.planSha } : { seenAt: seen.at.toISOString() };
}

/**
 * The text of a comment that is the author's own words: fenced and indented code blocks, inline code and
 * `>` quotes removed, so quoting or showing `@agent approve` is never a command (issue 16).
 */
export function commandText(body: string): string {
  const withoutFences = body.replace(/^[ \t]*(```|~~~)[^\n]*\n[\s\S]*?(^[ \t]*\1[^\n]*$|(?![\s\S]))/gm, "");
  return withoutFences
    .split("\n")
    .filter((line) => !/^[ \t]*>/.test(line) && !/^( {4}|\t)/.test(line))
    .join("\n")
    .replace(/`[^`\n]*`/g, "");
}

/** Parses `@agent <verb> [text]` from a PR comment body; anything else is not a command. */
export function parseAgentComment(body: string): TaskCommand | undefined {
  const match = /^\s*@agent\s+(approve|reject|retry|cancel)\b[ \t]*([\s\S]*)$/im.exec(commandText(body));
  if (!match) return undefined;
  const verb = match[1]!.toLowerCase();
  const rest = (match[2] ?? "").trim();
  switch (verb) {
    case "approve": {
      // `budget=$8` / `budget=+$5` anywhere in the text (issue 21); the rest are the instructions.
      const budgetMatch = /(?:^|\s)budget=(\S*)/i.exec(rest);
      const instructions = budgetMatch ? `${rest.slice(0, budgetMatch.index)} ${rest.slice(budgetMatch.index + budgetMatch[0].length)}`.trim() : rest;
      const budget: BudgetArgument | undefined = budgetMatch ? (parseBudgetAmount(budgetMatch[1]!) ?? { kind: "invalid", text: budgetMatch[1]! }) : undefined;
      return { kind: "approve", ...(instructions ? { instructions } : {}), ...(budget ? { budget } : {}) };
    }
    case "reject":
      return { kind: "reject", ...(rest ? { feedback: rest } : {}) };
    case "retry":
      return { kind: "retry" };
    default:
      return { kind: "cancel", ...(rest ? { reason: rest } : {}) };
  }
}
