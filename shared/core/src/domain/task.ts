import type { SentryFacts } from "./sentry-facts";
import type { TaskSource, TaskState } from "./task-state";

/** A task as the rest of the system sees it (the db maps rows to this). */
export interface Task {
  id: string;
  source: TaskSource;
  /** Dedup key of the source object, e.g. `sentry:1170820242`, `jira:ED-1`, `github:acme/shop#12`. */
  sourceKey: string;
  repo: string;
  title: string;
  state: TaskState;
  /** The untrusted signal: what the webhook or person said. Rendered into prompts only as fenced data. */
  context: TaskContext;
  requester: Requester | null;
  branch: string | null;
  prNumber: number | null;
  prUrl: string | null;
  planSha: string | null;
  feedback: string | null;
  occurrences: number;
  costUsd: number;
  errorCode: string | null;
  errorMessage: string | null;
  slackChannel: string | null;
  slackThreadTs: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastSeenAt: Date;
}

export interface Requester {
  via: TaskSource;
  id?: string;
  name?: string;
  /** Slack's response_url for the command that created the task, for progress replies. */
  responseUrl?: string;
  channel?: string;
}

/** Source-specific facts gathered at ingest. Every field is optional: each source fills what it has. */
export interface TaskContext {
  description?: string;
  sentry?: SentryFacts;
  jira?: { key: string; projectKey?: string; summary?: string; descriptionText?: string; url?: string; reporter?: string };
  github?: { issueNumber: number; title?: string; body?: string; url?: string; author?: string };
  slack?: { text: string; userId: string; userName?: string; channelId?: string; teamId?: string };
  [key: string]: unknown;
}
