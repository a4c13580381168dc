import type { SlackBlock } from "../slack/slack-types";
import { escapeSlack, slackLink, truncate } from "./escape-slack";
import { evidenceSummary } from "./evidence-table";
import { formatUsd } from "./format-numbers";
import type { Evidence } from "./render-types";

/** A Slack message ready for postMessage/updateMessage/respond: fallback text plus Block Kit blocks. */
export interface SlackRendered {
  text: string;
  blocks: SlackBlock[];
}

export const slackActionIds = { approve: "fixline_approve", reject: "fixline_reject", addBudget: "fixline_add_budget" } as const;

/**
 * A plan button's value: `<task id>:<plan SHA>`, so a click approves the plan the message showed, not
 * whatever plan is current when it arrives (issue 16). The one place this protocol is written and read.
 */
export function slackButtonValue(taskId: string, planSha: string | undefined): string {
  return planSha ? `${taskId}:${planSha}` : taskId;
}

export function parseSlackButtonValue(value: string): { taskId: string; planSha: string | undefined } {
  const [taskId = "", planSha] = value.split(":", 2);
  return { taskId, planSha: planSha && /^[0-9a-f]{7,64}$/i.test(planSha) ? planSha : undefined };
}

interface TaskRef {
  taskId: string;
  title: string;
  repo: string;
  /** The task in the dashboard. */
  taskUrl?: string;
}

export interface PlanReadyMessageInput extends TaskRef {
  planSummary: string;
  /** The PLAN.md commit the message shows; the buttons carry it. */
  planSha?: string;
  prUrl: string;
  prNumber?: number;
  costUsd: number;
}

export interface TaskStartedMessageInput extends TaskRef {
  phase: "planning" | "execution";
  /** Where the task came from, e.g. `Sentry SHOP-1A` or `Jira ED-1`. */
  sourceLabel?: string;
}

export interface CompletedMessageInput extends TaskRef {
  prUrl: string;
  costUsd: number;
  evidence: Evidence;
}

export interface FailedMessageInput extends TaskRef {
  code: string;
  message: string;
  hint?: string;
  prUrl?: string;
}

function header(text: string): SlackBlock {
  // Header blocks are plain_text (no mrkdwn to escape) and capped at 150 characters.
  return { type: "header", text: { type: "plain_text", text: truncate(text, 150), emoji: true } };
}

function section(mrkdwn: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(mrkdwn, 3000) } };
}

function context(mrkdwn: string): SlackBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(mrkdwn, 2000) }] };
}

function footer(ref: TaskRef, extra: string[] = []): SlackBlock {
  const task = ref.taskUrl ? slackLink(ref.taskUrl, `task ${ref.taskId}`) : `task \`${escapeSlack(ref.taskId)}\``;
  return context([escapeSlack(ref.repo), task, ...extra].join(" · "));
}

function prLabel(prUrl: string, prNumber?: number): string {
  return slackLink(prUrl, prNumber === undefined ? "pull request" : `PR #${prNumber}`);
}

/** "Plan ready": the plan in brief, its PR and cost, with Approve / Reject buttons carrying the task id. */
export function planReadyMessage(input: PlanReadyMessageInput): SlackRendered {
  const title = escapeSlack(input.title);
  return {
    text: `Plan ready for approval: ${title} (${escapeSlack(input.repo)})`,
    blocks: [
      header(`📝 Plan ready: ${input.title}`),
      section(`*Plan*\n${escapeSlack(input.planSummary.trim() || "See PLAN.md on the pull request.")}`),
      section(`*Pull request:* ${prLabel(input.prUrl, input.prNumber)}\n*Cost so far:* ${formatUsd(input.costUsd)}`),
      {
        type: "actions",
        block_id: `fixline_plan_${input.taskId}`.slice(0, 255),
        elements: [
          { type: "button", action_id: slackActionIds.approve, style: "primary", value: slackButtonValue(input.taskId, input.planSha), text: { type: "plain_text", text: "Approve" } },
          { type: "button", action_id: slackActionIds.reject, style: "danger", value: slackButtonValue(input.taskId, input.planSha), text: { type: "plain_text", text: "Reject" } },
        ],
      },
      footer(input, ["only people with write access can approve"]),
    ],
  };
}

export function taskStartedMessage(input: TaskStartedMessageInput): SlackRendered {
  const doing = input.phase === "planning" ? "Planning a fix for" : "Fixing";
  const from = input.sourceLabel ? ` (from ${escapeSlack(input.sourceLabel)})` : "";
  const line = `${doing} *${escapeSlack(input.title)}*${from}`;
  return {
    text: `${doing} ${escapeSlack(input.title)}${from}`,
    blocks: [section(`${input.phase === "planning" ? "🔎" : "🛠️"} ${line}`), footer(input)],
  };
}

export function completedMessage(input: CompletedMessageInput): SlackRendered {
  const summary = evidenceSummary(input.evidence);
  return {
    text: `Fixed: ${escapeSlack(input.title)}, ready for review: ${input.prUrl}`,
    blocks: [
      header(`✅ Fixed: ${input.title}`),
      section(`The fix is proven by a test and ready for review: ${prLabel(input.prUrl)}\n*Evidence:* ${escapeSlack(summary || "see the pull request")}`),
      footer(input, [`cost ${formatUsd(input.costUsd)}`]),
    ],
  };
}

export function failedMessage(input: FailedMessageInput): SlackRendered {
  const retry = input.prUrl
    ? `Comment \`@agent retry\` on ${prLabel(input.prUrl)} (or \`@agent reject <feedback>\` to re-plan).`
    : input.taskUrl
      ? `Use Retry on ${slackLink(input.taskUrl, "the task page")}.`
      : `Retry with \`POST /api/tasks/${escapeSlack(input.taskId)}/retry\`.`;
  const hint = input.hint ? `\n_${escapeSlack(input.hint)}_` : "";
  return {
    text: `Failed: ${escapeSlack(input.title)}: ${escapeSlack(input.code)}`,
    blocks: [
      header(`❌ Failed: ${input.title}`),
      section(`*${escapeSlack(input.code)}*: ${escapeSlack(input.message)}${hint}`),
      section(`*To retry:* ${retry}`),
      footer(input),
    ],
  };
}

export interface BudgetNeededMessageInput extends TaskRef {
  /** The question, as the notify package words it for every channel. */
  question: string;
  planSha?: string;
  topUpUsd: number;
}

/**
 * Issue 21: the one question a task paused at 80% of its execution budget asks in Slack, with a button that
 * adds the suggested top-up (a linked writer only: the command path checks it like an Approve click).
 */
export function budgetNeededMessage(input: BudgetNeededMessageInput): SlackRendered {
  const text = escapeSlack(input.question);
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "actions",
        elements: [
          { type: "button", action_id: slackActionIds.addBudget, style: "primary", value: slackButtonValue(input.taskId, input.planSha), text: { type: "plain_text", text: `Continue with +$${input.topUpUsd}` } },
        ],
      },
    ],
  };
}
