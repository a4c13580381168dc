import type { Config, Logger } from "@fixline/core";
import type { FixlineDb, TaskRecord } from "@fixline/db";
import type { GitHubClient, JiraClient, SentryClient, SlackClient } from "@fixline/integrations";
import type { NotifyDetails, NotifyEvent } from "@fixline/queue";

/** The clients a notifier may use; a missing client means that channel is off. */
export interface NotifyDeps {
  config: Config;
  db: FixlineDb;
  logger: Logger;
  github?: GitHubClient | undefined;
  slack?: SlackClient | undefined;
  jira?: JiraClient | undefined;
  sentry?: SentryClient | undefined;
}

/** An announcement: the event and its facts, typed together (the job catalog's notify schema). */
export type NotifyMessage = { [E in NotifyEvent]: { event: E; details: NotifyDetails<E> } }[NotifyEvent];

/** One notify job, resolved: the task as it is now, the event and a key unique to this announcement. */
export type NotifyRequest = NotifyMessage & {
  task: TaskRecord;
  /** Identifies this announcement in the notifications ledger (the job id: a redelivery reuses it). */
  key: string;
};

/**
 * Ledger names. Slack's thread and a slash command's response_url, and a Jira comment and its transition,
 * are separate entries so one succeeding is never repeated when the other is retried.
 */
export type ChannelName = "slack" | "slack_response" | "jira" | "jira_transition" | "github" | "sentry";

/** What a channel would send for a request; `send` does it and returns the provider's id for the message. */
export interface ChannelMessage {
  channel: ChannelName;
  /** Where it goes, for logs and dry-run records: a Slack channel, a Jira key, `owner/repo#12`... */
  target: string;
  /** A plain-text rendering, for logs and dry-run records. */
  text: string;
  send(): Promise<string | null>;
}

/** Decides whether, where and what a channel sends for a request; undefined = nothing for this one. */
export type Channel = (request: NotifyRequest, deps: NotifyDeps) => ChannelMessage | undefined;
