import type { RedisClient } from "@fixline/queue";
import type { Config, Logger } from "@fixline/core";
import type { GitHubClient, SlackClient } from "@fixline/integrations";
import type { FixlineDb, IngestBatcher } from "@fixline/db";
import type { Workspaces } from "@fixline/git";
import type { JobQueues } from "@fixline/queue";
import type { PermissionChecker } from "@fixline/tasks";

/**
 * Everything the HTTP app needs, injected so tests run it against real infrastructure with their own
 * prefixes and a fake permission checker, and the CLI wires the real clients.
 */
export interface AppDeps {
  config: Config;
  db: FixlineDb;
  /** Group commit for webhook ingest; buildApp makes one over `db` when not given. */
  ingest?: IngestBatcher;
  /** A producer-style connection (fails fast while Redis is down): publishes cancellations, pings for /ready. */
  redis: RedisClient;
  queues: JobQueues;
  logger: Logger;
  /** Repository permission of a GitHub login; decides every approve/reject/retry/cancel. */
  checkPermission: PermissionChecker;
  /** The GitHub client, when configured (the REST API and dashboard may use it). */
  github?: GitHubClient;
  /** The Slack client, when configured. */
  slack?: SlackClient;
  /** The workers' workspaces, when this process shares their directory: GET/DELETE /api/workspaces (503 without). */
  workspaces?: Workspaces;
  /** Injectable clock for signature timestamp windows. */
  nowMs?: () => number;
}
