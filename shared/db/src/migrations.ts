import { sql, type Kysely, type Migration, type MigrationProvider } from "kysely";

/**
 * Migrations live in code (not files) so PGlite and Postgres, tests and the CLI, run exactly the same
 * list. Append new ones; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<unknown>) {
      await sql`
        CREATE TABLE deliveries (
          id bigserial PRIMARY KEY,
          source text NOT NULL,
          delivery_id text NOT NULL,
          event text NOT NULL,
          outcome text NOT NULL,
          task_id uuid,
          received_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (source, delivery_id)
        )`.execute(db);
      await sql`
        CREATE TABLE tasks (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          source text NOT NULL,
          source_key text NOT NULL,
          repo text NOT NULL,
          title text NOT NULL,
          state text NOT NULL DEFAULT 'received',
          context jsonb NOT NULL DEFAULT '{}',
          requester jsonb,
          branch text,
          pr_number integer,
          pr_url text,
          plan_sha text,
          plan_markdown text,
          feedback text,
          evidence jsonb,
          data jsonb NOT NULL DEFAULT '{}',
          occurrences integer NOT NULL DEFAULT 1,
          error_code text,
          error_message text,
          slack_channel text,
          slack_thread_ts text,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          last_seen_at timestamptz NOT NULL DEFAULT now(),
          plan_ready_at timestamptz,
          ended_at timestamptz
        )`.execute(db);
      // One live task per source object: repeated alerts update it instead of creating another.
      await sql`CREATE UNIQUE INDEX tasks_one_live_per_source ON tasks (source_key)
                WHERE state IN ('received','planning','awaiting_approval','approved','executing')`.execute(db);
      await sql`CREATE INDEX tasks_state_created ON tasks (state, created_at DESC)`.execute(db);
      await sql`CREATE INDEX tasks_repo_pr ON tasks (repo, pr_number)`.execute(db);
      await sql`CREATE INDEX tasks_created ON tasks (created_at DESC)`.execute(db);
      await sql`
        CREATE TABLE task_events (
          id bigserial PRIMARY KEY,
          task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
          type text NOT NULL,
          from_state text,
          to_state text,
          actor jsonb,
          data jsonb,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`CREATE INDEX task_events_task ON task_events (task_id, id)`.execute(db);
      await sql`
        CREATE TABLE approvals (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
          plan_sha text NOT NULL,
          via text NOT NULL,
          login text NOT NULL,
          instructions text,
          created_at timestamptz NOT NULL DEFAULT now(),
          voided_at timestamptz
        )`.execute(db);
      // An approval is bound to one PLAN.md commit; at most one standing approval per plan.
      await sql`CREATE UNIQUE INDEX approvals_one_per_plan ON approvals (task_id, plan_sha) WHERE voided_at IS NULL`.execute(db);
      await sql`
        CREATE TABLE agent_runs (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
          phase text NOT NULL,
          status text NOT NULL DEFAULT 'running',
          model text,
          session_id text,
          num_turns integer,
          cost_usd numeric(12,6) NOT NULL DEFAULT 0,
          input_tokens bigint NOT NULL DEFAULT 0,
          output_tokens bigint NOT NULL DEFAULT 0,
          cache_read_tokens bigint NOT NULL DEFAULT 0,
          cache_creation_tokens bigint NOT NULL DEFAULT 0,
          duration_ms integer,
          exit_code integer,
          error_code text,
          error_message text,
          result_text text,
          transcript_path text,
          started_at timestamptz NOT NULL DEFAULT now(),
          ended_at timestamptz
        )`.execute(db);
      await sql`CREATE INDEX agent_runs_task ON agent_runs (task_id, started_at)`.execute(db);
      await sql`
        CREATE TABLE outbox (
          id bigserial PRIMARY KEY,
          queue text NOT NULL,
          data jsonb NOT NULL,
          -- Derived from the row, so a relay that re-sends a row is a no-op in BullMQ.
          job_id text GENERATED ALWAYS AS ('ob-' || id::text) STORED UNIQUE,
          created_at timestamptz NOT NULL DEFAULT now(),
          available_at timestamptz NOT NULL DEFAULT now(),
          sent_at timestamptz,
          attempts integer NOT NULL DEFAULT 0,
          last_error text
        )`.execute(db);
      await sql`CREATE INDEX outbox_pending ON outbox (available_at, id) WHERE sent_at IS NULL`.execute(db);
      await sql`
        CREATE TABLE notifications (
          task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
          key text NOT NULL,
          channel text NOT NULL,
          external_id text,
          sent_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (task_id, key, channel)
        )`.execute(db);
    },
  },
  "0002_hook_dispatch": {
    async up(db: Kysely<unknown>) {
      // Lifecycle hooks are dispatched from task_events. A "dispatched" mark per row (not a cursor on the
      // id) is exact even when transactions commit out of id order.
      await sql`ALTER TABLE task_events ADD COLUMN hooks_dispatched_at timestamptz`.execute(db);
      await sql`UPDATE task_events SET hooks_dispatched_at = now()`.execute(db);
      await sql`CREATE INDEX task_events_hooks_pending ON task_events (id) WHERE hooks_dispatched_at IS NULL`.execute(db);
    },
  },
  "0003_delivery_source_key": {
    async up(db: Kysely<unknown>) {
      // Ingest records the delivery and creates the task in one statement, where the delivery row cannot
      // be updated with the new task's id (data-modifying CTEs do not see each other's rows); the source
      // key links a delivery to its task instead.
      await sql`ALTER TABLE deliveries ADD COLUMN source_key text`.execute(db);
    },
  },
  "0004_identity": {
    async up(db: Kysely<unknown>) {
      // Who did it is proven (issue 16): dashboard sessions and personal API tokens, each a row that can be
      // revoked. Only a SHA-256 of the secret is kept, so a database dump signs nobody in.
      await sql`
        CREATE TABLE user_sessions (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          secret_hash text NOT NULL UNIQUE,
          kind text NOT NULL,
          login text,
          github_id bigint,
          created_at timestamptz NOT NULL DEFAULT now(),
          expires_at timestamptz NOT NULL,
          last_seen_at timestamptz,
          revoked_at timestamptz
        )`.execute(db);
      await sql`CREATE INDEX user_sessions_login ON user_sessions (login) WHERE revoked_at IS NULL`.execute(db);
      await sql`
        CREATE TABLE api_tokens (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          token_hash text NOT NULL UNIQUE,
          login text NOT NULL,
          github_id bigint,
          name text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          last_used_at timestamptz,
          revoked_at timestamptz
        )`.execute(db);
      await sql`CREATE INDEX api_tokens_login ON api_tokens (login, created_at)`.execute(db);
    },
  },
  "0005_base_test_runs": {
    async up(db: Kysely<unknown>) {
      // Issue 19: the suite on an unfixed base commit, recorded once and read by every task on that base
      // (a storm of tasks on one repository runs the base suite once). Keyed by a hash of (repository, base
      // commit, environment hash, test command); the run is the executor's StoredRun (no output).
      await sql`
        CREATE TABLE base_test_runs (
          key text PRIMARY KEY,
          repo text NOT NULL,
          base_commit text NOT NULL,
          environment_hash text NOT NULL,
          test_command text NOT NULL,
          run jsonb NOT NULL,
          task_id uuid,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`CREATE INDEX base_test_runs_created ON base_test_runs (created_at)`.execute(db);
    },
  },
  "0006_task_outcomes": {
    async up(db: Kysely<unknown>) {
      // Issue 21: what happened to a completed task's PR. Real columns (not task data) so the reconcile
      // can find completed tasks without an outcome by index, and each fact is written by one guarded UPDATE.
      await sql`
        ALTER TABLE tasks
          ADD COLUMN outcome text,
          ADD COLUMN outcome_at timestamptz,
          ADD COLUMN merged_at timestamptz,
          ADD COLUMN merge_commit_sha text,
          ADD COLUMN reverted_by text`.execute(db);
      await sql`CREATE INDEX tasks_awaiting_outcome ON tasks (ended_at) WHERE state = 'completed' AND outcome IS NULL`.execute(db);
      await sql`CREATE INDEX tasks_merged ON tasks (repo, merged_at) WHERE outcome = 'merged'`.execute(db);
    },
  },
  "0007_budget_grants": {
    async up(db: Kysely<unknown>) {
      // Issue 21: the execution budget bound to an approval. The approval's own grant (the plan's estimate or
      // `budget=$N`) is one row, each `budget=+$N` after a pause another; the budget is their sum. A row per
      // grant (not a column that is increased) keeps who granted what, and a redelivered command finds its
      // delivery already used before it could add a second row.
      await sql`
        CREATE TABLE budget_grants (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          task_id uuid NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
          approval_id uuid NOT NULL REFERENCES approvals(id) ON DELETE CASCADE,
          kind text NOT NULL CHECK (kind IN ('estimate', 'explicit', 'top_up')),
          amount_usd numeric(12,6) NOT NULL CHECK (amount_usd > 0),
          via text NOT NULL,
          login text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`.execute(db);
      await sql`CREATE UNIQUE INDEX budget_grants_one_initial ON budget_grants (approval_id) WHERE kind <> 'top_up'`.execute(db);
      await sql`CREATE INDEX budget_grants_task ON budget_grants (task_id)`.execute(db);
      // A task waiting for budget still holds its source object: a new alert for it updates it (ingest-signal.ts).
      await sql`DROP INDEX tasks_one_live_per_source`.execute(db);
      await sql`CREATE UNIQUE INDEX tasks_one_live_per_source ON tasks (source_key)
                WHERE state IN ('received','planning','awaiting_approval','approved','executing','waiting_budget')`.execute(db);
    },
  },
  "0008_outbox_pending_by_id": {
    async up(db: Kysely<unknown>) {
      // Issue 19: the relay claims pending rows in id order. The old index led with available_at, so Postgres
      // either read every pending entry and sorted them, or walked the primary key through every row ever
      // sent: 9 ms a claim under a webhook storm, the relay's query then being Postgres's largest cost. An
      // index on id over pending rows only is read in order and stops after the batch.
      await sql`DROP INDEX outbox_pending`.execute(db);
      await sql`CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
