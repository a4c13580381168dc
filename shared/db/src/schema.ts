import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { StoredJobData } from "@fixline/queue";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric comes back from pg as a string; we convert at the repository edge. */
type Numeric = ColumnType<string, number | string | undefined, number | string>;
type Json<T = unknown> = ColumnType<T, T | string | undefined, T | string>;

export interface DeliveriesTable {
  id: Generated<string>;
  source: string;
  delivery_id: string;
  event: string;
  outcome: string;
  task_id: string | null;
  source_key: string | null;
  received_at: Generated<Date>;
}

export interface TasksTable {
  id: Generated<string>;
  source: string;
  source_key: string;
  repo: string;
  title: string;
  state: string;
  context: Json<Record<string, unknown>>;
  requester: Json<Record<string, unknown> | null>;
  branch: string | null;
  pr_number: number | null;
  pr_url: string | null;
  plan_sha: string | null;
  plan_markdown: string | null;
  feedback: string | null;
  evidence: Json<Record<string, unknown> | null>;
  /** Free-form per-feature facts (dry-run records, scope warnings, last proven phase...). */
  data: Json<Record<string, unknown>>;
  occurrences: Generated<number>;
  error_code: string | null;
  error_message: string | null;
  slack_channel: string | null;
  slack_thread_ts: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  plan_ready_at: Timestamp | null;
  ended_at: Timestamp | null;
  /** Issue 21: merged, closed_unmerged or reverted; null until GitHub says. */
  outcome: string | null;
  outcome_at: Timestamp | null;
  merged_at: Timestamp | null;
  merge_commit_sha: string | null;
  /** The commit (or revert PR `#n`) that reverted the fix. */
  reverted_by: string | null;
}

export interface TaskEventsTable {
  id: Generated<string>;
  task_id: string;
  type: string;
  from_state: string | null;
  to_state: string | null;
  actor: Json<Record<string, unknown> | null>;
  data: Json<Record<string, unknown> | null>;
  created_at: Generated<Date>;
  hooks_dispatched_at: Timestamp | null;
}

export interface ApprovalsTable {
  id: Generated<string>;
  task_id: string;
  plan_sha: string;
  via: string;
  login: string;
  instructions: string | null;
  created_at: Generated<Date>;
  voided_at: Timestamp | null;
}

/** Issue 21: money granted for an approval's execution (migration 0007_budget_grants). */
export interface BudgetGrantsTable {
  id: Generated<string>;
  task_id: string;
  approval_id: string;
  kind: "estimate" | "explicit" | "top_up";
  amount_usd: Numeric;
  via: string;
  login: string;
  created_at: Generated<Date>;
}

export interface AgentRunsTable {
  id: Generated<string>;
  task_id: string;
  phase: string;
  status: string;
  model: string | null;
  session_id: string | null;
  num_turns: number | null;
  cost_usd: Numeric;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  cache_read_tokens: Generated<number>;
  cache_creation_tokens: Generated<number>;
  duration_ms: number | null;
  exit_code: number | null;
  error_code: string | null;
  error_message: string | null;
  result_text: string | null;
  transcript_path: string | null;
  started_at: Generated<Date>;
  ended_at: Timestamp | null;
}

export interface OutboxTable {
  id: Generated<string>;
  queue: string;
  /** Written only through insertOutboxJobs / outboxRows, which check it against the queue's schema. */
  data: Json<StoredJobData>;
  job_id: ColumnType<string, never, never>;
  created_at: Generated<Date>;
  available_at: Generated<Date>;
  sent_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface NotificationsTable {
  task_id: string;
  key: string;
  channel: string;
  external_id: string | null;
  sent_at: Generated<Date>;
}

export interface UserSessionsTable {
  id: Generated<string>;
  secret_hash: string;
  /** "github" (a verified GitHub login) or "operator" (signed in with FIXLINE_API_TOKEN). */
  kind: string;
  login: string | null;
  github_id: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  token_hash: string;
  login: string;
  github_id: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  name: string;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface BaseTestRunsTable {
  key: string;
  repo: string;
  base_commit: string;
  environment_hash: string;
  test_command: string;
  run: Json<Record<string, unknown>>;
  task_id: string | null;
  created_at: Generated<Date>;
}

export interface Database {
  deliveries: DeliveriesTable;
  tasks: TasksTable;
  task_events: TaskEventsTable;
  approvals: ApprovalsTable;
  agent_runs: AgentRunsTable;
  outbox: OutboxTable;
  notifications: NotificationsTable;
  user_sessions: UserSessionsTable;
  api_tokens: ApiTokensTable;
  base_test_runs: BaseTestRunsTable;
  budget_grants: BudgetGrantsTable;
}

export type TaskRow = Selectable<TasksTable>;
export type NewTaskRow = Insertable<TasksTable>;
export type TaskEventRow = Selectable<TaskEventsTable>;
export type ApprovalRow = Selectable<ApprovalsTable>;
export type AgentRunRow = Selectable<AgentRunsTable>;
export type OutboxRow = Selectable<OutboxTable>;
