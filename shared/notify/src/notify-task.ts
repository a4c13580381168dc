import { repoSettings, toFixlineError, type FixlineError } from "@fixline/core";
import { appendWouldHaveSent, markNotified, wasNotified } from "@fixline/db";
import { metrics } from "@fixline/observability";
import { githubChannel } from "./channels/github-channel";
import { jiraChannel, jiraTransitionChannel } from "./channels/jira-channel";
import { sentryChannel } from "./channels/sentry-channel";
import { slackChannel, slackResponseChannel } from "./channels/slack-channel";
import type { Channel, ChannelName, NotifyDeps, NotifyRequest } from "./notify-types";

/** In the order they are sent: the Slack thread first, since later channels may link to it. */
export const channels: readonly Channel[] = [slackChannel, slackResponseChannel, jiraChannel, jiraTransitionChannel, githubChannel, sentryChannel];

export interface NotifyOutcome {
  sent: ChannelName[];
  /** Already sent by an earlier delivery of the same job. */
  skipped: ChannelName[];
  /** Refused by the provider (4xx): logged and counted, never retried. */
  rejected: ChannelName[];
  /** Recorded in the task's data.wouldHaveSent instead (dry run). */
  dryRun: ChannelName[];
  /** Outages (retryable): the job should be retried; the channels that succeeded are not sent again. */
  failed: Array<{ channel: ChannelName; error: FixlineError }>;
}

/**
 * Sends one announcement on every channel that has something to say, each at most once per
 * (task, key, channel) thanks to the notifications ledger. A channel's outage never stops the others.
 */
export async function notifyTask(request: NotifyRequest, deps: NotifyDeps): Promise<NotifyOutcome> {
  const { db, config } = deps;
  const log = deps.logger.child({ taskId: request.task.id, event: request.event, key: request.key });
  const outcome: NotifyOutcome = { sent: [], skipped: [], rejected: [], dryRun: [], failed: [] };
  const dryRun = repoSettings(config, request.task.repo).dryRun;

  for (const channel of channels) {
    const message = channel(request, deps);
    if (!message) continue;
    const name = message.channel;
    if (await wasNotified(db, request.task.id, request.key, name)) {
      outcome.skipped.push(name);
      continue;
    }
    if (dryRun) {
      await recordWouldHaveSent(deps, request, { channel: name, target: message.target, text: message.text });
      await markNotified(db, request.task.id, request.key, name, "dry-run");
      metrics.notifications.inc({ channel: name, outcome: "dry_run" });
      outcome.dryRun.push(name);
      continue;
    }
    try {
      const externalId = await message.send();
      await markNotified(db, request.task.id, request.key, name, externalId);
      metrics.notifications.inc({ channel: name, outcome: "sent" });
      log.info({ channel: name, target: message.target }, "notification sent");
      outcome.sent.push(name);
    } catch (caught) {
      const error = toFixlineError(caught, "INTEGRATION_FAILED");
      if (error.retryable) {
        metrics.notifications.inc({ channel: name, outcome: "failed" });
        log.warn({ channel: name, code: error.code, err: error.message }, "notification failed; the job will retry it");
        outcome.failed.push({ channel: name, error });
      } else {
        // A 4xx (bad scope, unknown channel, expired response_url) will not get better by retrying, and
        // must never fail the task: record it so a retry for another channel does not repeat it.
        metrics.notifications.inc({ channel: name, outcome: "rejected" });
        log.warn({ channel: name, code: error.code, err: error.message, hint: error.hint }, "notification refused by the provider; skipped");
        await markNotified(db, request.task.id, request.key, name, `rejected: ${error.code}`);
        outcome.rejected.push(name);
      }
    }
  }
  return outcome;
}

/** Dry run: what would have gone out, appended to the task's data.wouldHaveSent for the dashboard and tests. */
async function recordWouldHaveSent(deps: NotifyDeps, request: NotifyRequest, entry: { channel: ChannelName; target: string; text: string }): Promise<void> {
  await appendWouldHaveSent(deps.db, request.task.id, { channel: entry.channel, action: "message", target: entry.target, summary: entry.text, event: request.event });
}
