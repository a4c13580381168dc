import { budgetTopUpUsd, errorCodes, type ErrorCode } from "@fixline/core";
import type { TaskRecord } from "@fixline/db";
import type { FailedDetails, NotifyDetails } from "@fixline/queue";
import type { NotifyMessage } from "./notify-types";

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** The failure facts of a `failed` event: its details first, then what the task row recorded. */
export function failureOf(task: TaskRecord, details: FailedDetails): { code: string; message: string; hint: string | undefined } {
  const code = str(details.code) ?? task.errorCode ?? "INTERNAL";
  const message = str(details.message) ?? task.errorMessage ?? "the task failed";
  const hint = str(details.hint) ?? (code in errorCodes ? errorCodes[code as ErrorCode].hint : undefined);
  return { code, message, hint };
}

/** Who did it, for "approved by octocat". */
export function byWhom(details: { by?: string | undefined; login?: string | undefined }): string {
  const who = str(details.by) ?? str(details.login);
  return who ? ` by ${who}` : "";
}

/** A one-paragraph plain-text rendering of any event; channels with richer formats override some. */
export function eventText(task: TaskRecord, message: NotifyMessage): string {
  const { event, details } = message;
  const pr = task.prUrl ? ` (${task.prUrl})` : "";
  switch (event) {
    case "task_received":
      return `Fixline received "${task.title}" and is planning a fix in ${task.repo}.`;
    case "plan_ready":
      return `The plan for "${task.title}" is ready for approval${pr}.`;
    case "plan_rejected":
      return details.replanning === false
        ? `The plan was rejected${byWhom(details)}; the task is closed.`
        : `The plan was rejected${byWhom(details)}; re-planning with the feedback on the same pull request.`;
    case "approved":
      return `The plan was approved${byWhom(details)}; writing the test-first fix.`;
    case "execution_started":
      return `Executing the approved plan for "${task.title}".`;
    case "completed":
      return `Fixed "${task.title}": the fix is proven by a test and ready for review${pr}.`;
    case "failed": {
      const failure = failureOf(task, details);
      const kept = str(details.wipRef) ? ` The unverified work is kept in ${str(details.wipRef)} for @agent retry.` : "";
      return `Task failed: ${failure.code}: ${failure.message}${failure.hint ? ` — ${failure.hint}` : ""}${kept}`;
    }
    case "cancelled":
      return `The task was cancelled${byWhom(details)}${str(details.reason) ? `: ${str(details.reason)}` : ""}.`;
    case "command_refused":
      return str(details.message) ?? `The command was refused${details.login ? ` for ${details.login}` : ""}.`;
    case "command_ack":
      return str(details.message) ?? `Command received${byWhom(details)}.`;
    case "budget_needed":
      return budgetQuestion(details);
    default: {
      const never: never = event;
      return String(never);
    }
  }
}

function usd(value: unknown): string {
  return typeof value === "number" && Number.isFinite(value) ? `$${value.toFixed(2)}` : "?";
}

/**
 * The one question a paused task asks (issue 21), the same words on the PR and in Slack. Only the numbers the
 * executor measured go in; the suggested top-up is Fixline's constant, never text from a payload.
 */
export function budgetQuestion(details: NotifyDetails<"budget_needed">): string {
  const topUp = details.topUpUsd ?? budgetTopUpUsd;
  return (
    `Execution paused: ${usd(details.spentUsd)} of the ${usd(details.grantedUsd)} execution budget is spent (${details.lastProvenPhase ?? "nothing"} proven so far). ` +
    `Continue with +$${topUp}? A writer comments \`@agent approve budget=+$${topUp}\` to add it; the work resumes from its checkpoint.`
  );
}

/** A link to the task in the dashboard. */
export function taskUrl(publicUrl: string, taskId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/tasks/${taskId}`;
}
