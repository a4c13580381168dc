import type { Requester } from "../contracts/requester";
import type { TaskContext } from "../contracts/task-context";
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

export type { Requester };
