import type { StoredEvidence } from "@fixline/core";
import { updateTaskFields } from "@fixline/db";
import { budgetTopUpUsd } from "@fixline/core";
import {
  budgetNeededMessage,
  completedMessage,
  escapeSlack,
  failedMessage,
  planReadyMessage,
  taskStartedMessage,
  type Evidence,
  type SlackRendered,
} from "@fixline/integrations";
import { eventText, failureOf, taskUrl } from "../event-text";
import type { Channel, NotifyDeps, NotifyRequest } from "../notify-types";
import { planFactsOf } from "../plan-facts";

/** The renderers' part of the task's evidence; evidence without usage renders as "see the pull request". */
export function evidenceOf(evidence: StoredEvidence | null): Evidence {
  if (!evidence?.usage) return { usage: [] };
  return { ...(evidence.red ? { red: evidence.red } : {}), ...(evidence.green ? { green: evidence.green } : {}), usage: evidence.usage };
}

export function sourceLabel(request: NotifyRequest): string | undefined {
  const { context } = request.task;
  if (context.sentry) return `Sentry ${context.sentry.shortId ?? context.sentry.issueId}`;
  if (context.jira) return `Jira ${context.jira.key}`;
  if (context.github) return `GitHub #${context.github.issueNumber}`;
  if (context.slack) return `Slack${context.slack.userName ? `, ${context.slack.userName}` : ""}`;
  return undefined;
}

/** Block Kit for the events that have a dedicated rendering; plain text for the rest. */
export function renderSlack(request: NotifyRequest, deps: NotifyDeps): SlackRendered | undefined {
  const { task, event, details } = request;
  const ref = { taskId: task.id, title: task.title, repo: task.repo, taskUrl: taskUrl(deps.config.publicUrl, task.id) };
  switch (event) {
    case "task_received": {
      const label = sourceLabel(request);
      return taskStartedMessage({ ...ref, phase: "planning", ...(label ? { sourceLabel: label } : {}) });
    }
    case "execution_started":
      return taskStartedMessage({ ...ref, phase: "execution" });
    case "plan_ready":
      if (!task.prUrl) return undefined;
      return planReadyMessage({
        ...ref,
        planSummary: planFactsOf(task)?.summary ?? "",
        ...(task.planSha ? { planSha: task.planSha } : {}),
        prUrl: task.prUrl,
        ...(task.prNumber !== null ? { prNumber: task.prNumber } : {}),
        costUsd: task.costUsd,
      });
    case "completed":
      if (!task.prUrl) return undefined;
      return completedMessage({ ...ref, prUrl: task.prUrl, costUsd: task.costUsd, evidence: evidenceOf(task.evidence) });
    case "failed": {
      const failure = failureOf(task, details);
      return failedMessage({ ...ref, code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}), ...(task.prUrl ? { prUrl: task.prUrl } : {}) });
    }
    case "approved":
    case "plan_rejected":
    case "cancelled": {
      const text = escapeSlack(eventText(task, request));
      return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
    }
    case "budget_needed":
      return budgetNeededMessage({
        ...ref,
        question: eventText(task, request),
        ...(task.planSha ? { planSha: task.planSha } : {}),
        topUpUsd: details.topUpUsd ?? budgetTopUpUsd,
      });
    // Refusals and acknowledgements are answered where the command was given (the webhook's own reply, a PR comment).
    case "command_refused":
    case "command_ack":
      return undefined;
    default: {
      const never: never = event;
      return never;
    }
  }
}

/**
 * The task's Slack thread: the first message in SLACK_CHANNEL (or the requester's channel) starts it and its
 * ts is stored on the task; every later message is a reply in it.
 */
export const slackChannel: Channel = (request, deps) => {
  const { slack, config, db } = deps;
  if (!slack) return undefined;
  const { task } = request;
  const channel = task.slackChannel ?? config.slack.channel ?? task.requester?.channel ?? task.context.slack?.channelId;
  if (!channel) return undefined;
  const rendered = renderSlack(request, deps);
  if (!rendered) return undefined;
  const threadTs = task.slackChannel === channel ? (task.slackThreadTs ?? undefined) : undefined;
  return {
    channel: "slack",
    target: threadTs ? `${channel} (thread ${threadTs})` : channel,
    text: rendered.text,
    async send() {
      const posted = await slack.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, ...(threadTs ? { threadTs } : {}) });
      if (!threadTs) {
        await updateTaskFields(db, task.id, { slackChannel: posted.channel, slackThreadTs: posted.ts });
        task.slackChannel = posted.channel;
        task.slackThreadTs = posted.ts;
      }
      return posted.ts;
    },
  };
};

const respondEvents = new Set(["task_received", "plan_ready", "failed", "completed", "cancelled"]);

/**
 * Progress for a task started with a Slack command: replies through its response_url (valid 30 minutes,
 * five uses), seen only by the requester. An expired URL answers 404, which is skipped like any 4xx.
 */
export const slackResponseChannel: Channel = (request, deps) => {
  const { slack } = deps;
  const responseUrl = request.task.requester?.responseUrl;
  if (!slack || !responseUrl || !respondEvents.has(request.event)) return undefined;
  const text = eventText(request.task, request);
  return {
    channel: "slack_response",
    target: "response_url",
    text,
    async send() {
      await slack.respond(responseUrl, { response_type: "ephemeral", replace_original: false, text: escapeSlack(text) });
      return null;
    },
  };
};
