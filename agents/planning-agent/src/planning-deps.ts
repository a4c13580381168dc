import type { Config, Logger } from "@fixline/core";
import type { FixlineDb } from "@fixline/db";
import type { Workspaces } from "@fixline/git";
import type { GitHubClient, JiraClient, SentryClient, SlackClient } from "@fixline/integrations";
import type { RedisClient } from "@fixline/queue";

export interface PlanningDeps {
  config: Config;
  db: FixlineDb;
  /** A worker-style Redis connection for BullMQ (maxRetriesPerRequest: null); duplicated for the cancel subscription. */
  connection: RedisClient;
  /** BullMQ and key prefix (tests use a unique one). */
  prefix?: string;
  /** The pool whose queue this worker consumes (issue 20; `repos.<repo>.pool`). Default `default`. */
  pool?: string;
  logger: Logger;
  workspaces: Workspaces;
  /** Needed to open the draft PR; without it every task fails with CONFIG_INVALID. */
  github: GitHubClient | undefined;
  slack?: SlackClient | undefined;
  jira?: JiraClient | undefined;
  sentry?: SentryClient | undefined;
  /** For the runner's live output stream and the per-task planning lock. */
  redis: RedisClient;
  concurrency?: number;
}
