import { sql, type Kysely } from "kysely";
import type { Database } from "./schema";
import type { IngestOutcome, IngestSignalRequest } from "./ingest-signal";
import { committedJobsJson, newTaskJobs, outboxRows, type CommittedJob } from "./outbox";

/**
 * The jobs a new task gets, built and checked by the outbox's one door (outboxRows) once, with a placeholder
 * id the statement replaces by each new task's own: the same rows the one-delivery statement writes.
 */
const newTaskJobRows = JSON.stringify(outboxRows(newTaskJobs("00000000-0000-4000-8000-000000000000")).map((row, n) => ({ n, ...row })));

/** Longest title kept on a task (the one-row ingest statement cuts at the same length). */
const titleLimit = 300;

/** What the batch statement returns for each request whose delivery row it inserted. */
interface FreshRow {
  ord: number;
  id: string;
  occurrences: number;
  inserted: boolean;
  nth: number;
  alerts: number;
  /** The outbox rows of the task this row created (on its first delivery only), as inserted. */
  jobs: CommittedJob[] | null;
}

export interface IngestBatchResult {
  /** One per request, in order. */
  outcomes: IngestOutcome[];
  /** The outbox rows the statement wrote, in insert order, for the caller to enqueue (leased to it for `leaseMs`). */
  jobs: CommittedJob[];
}

/**
 * Writes a whole batch of deliveries in ONE statement, so one round trip and one commit (issue 19: the
 * batch used to run one statement per delivery, one after another on one connection, and gained nothing
 * over a commit per delivery). Returns one outcome per request, in order, exactly as if the requests had
 * been ingested one by one in that order:
 *
 * - copies of one delivery id inside the batch are folded before the statement: the first is written,
 *   the others are duplicates of it;
 * - the deliveries insert gates everything: a delivery already recorded (an earlier batch, or a batch
 *   committing beside this one: the unique index makes us wait for it) creates nothing;
 * - new deliveries for the same source object are grouped, so the task is created (or bumped) once with
 *   the group's count: the first is `created`, the n-th `updated` with occurrences as they would have been
 *   after it. The task keeps the first one's context, and `latest` is the last one's, as the sequential
 *   bumps left it;
 * - a new task gets its `received` event and planning + notify jobs in the same statement.
 *
 * Rows are inserted sorted by their unique keys so two batches in flight lock in the same order (no
 * deadlock between them). Runs on its own (autocommit): the statement is the transaction.
 *
 * `leaseMs`: the new outbox rows become due for the relays only that long after the commit, because the
 * caller enqueues them itself (outbox-send.ts); 0 leaves them to the relays at once.
 */
export async function ingestBatchStatement(db: Kysely<Database>, requests: readonly IngestSignalRequest[], leaseMs = 0): Promise<IngestBatchResult> {
  const leaderOf = new Map<string, number>();
  const copyOf: number[] = [];
  const rows: unknown[] = [];
  requests.forEach((request, ord) => {
    const key = `${request.delivery.source}\u0000${request.delivery.deliveryId}`;
    const leader = leaderOf.get(key);
    copyOf.push(leader ?? ord);
    if (leader !== undefined) return;
    leaderOf.set(key, ord);
    rows.push({
      ord,
      source: request.delivery.source,
      delivery_id: request.delivery.deliveryId,
      event: request.delivery.event,
      source_key: request.sourceKey,
      task_source: request.source,
      repo: request.repo,
      title: request.title.slice(0, titleLimit),
      context: request.context,
      requester: request.requester ?? null,
      slack_channel: request.slackChannel ?? null,
      actor: { via: request.source, ...(request.requester?.name ? { login: request.requester.name } : {}) },
      event_data: { deliveryId: request.delivery.deliveryId, event: request.delivery.event },
    });
  });

  const result = await sql<FreshRow>`/* prepared: ingest-batch */
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        ord int, source text, delivery_id text, event text, source_key text, task_source text, repo text, title text,
        context jsonb, requester jsonb, slack_channel text, actor jsonb, event_data jsonb)
    ), delivery AS (
      INSERT INTO deliveries (source, delivery_id, event, outcome, source_key)
      SELECT source, delivery_id, event, 'accepted', source_key FROM input ORDER BY source, delivery_id
      ON CONFLICT (source, delivery_id) DO NOTHING
      RETURNING source, delivery_id
    ), fresh AS (
      SELECT input.*,
             row_number() OVER (PARTITION BY input.source_key ORDER BY input.ord)::int AS nth,
             count(*) OVER (PARTITION BY input.source_key)::int AS alerts
      FROM input JOIN delivery USING (source, delivery_id)
    ), grouped AS (
      SELECT first.*, last.context AS latest
      FROM fresh first JOIN fresh last ON last.source_key = first.source_key AND last.nth = last.alerts
      WHERE first.nth = 1
    ), task AS (
      INSERT INTO tasks (source, source_key, repo, title, context, requester, slack_channel, occurrences)
      SELECT task_source, source_key, repo, title,
             CASE WHEN alerts > 1 THEN context || jsonb_build_object('latest', latest) ELSE context END,
             requester, slack_channel, alerts
      FROM grouped ORDER BY source_key
      ON CONFLICT (source_key) WHERE state IN ('received','planning','awaiting_approval','approved','executing','waiting_budget')
      DO UPDATE SET occurrences = tasks.occurrences + EXCLUDED.occurrences, last_seen_at = now(), updated_at = now(),
                    context = tasks.context || jsonb_build_object('latest', (SELECT g.latest FROM grouped g WHERE g.source_key = EXCLUDED.source_key))
      RETURNING id, source_key, occurrences, (xmax = 0) AS inserted
    ), event AS (
      INSERT INTO task_events (task_id, type, from_state, to_state, actor, data)
      SELECT task.id, 'received', NULL, 'received', grouped.actor, grouped.event_data
      FROM task JOIN grouped USING (source_key) WHERE task.inserted
    ), jobs AS (
      INSERT INTO outbox (queue, data, available_at)
      SELECT job.queue, job.data || jsonb_build_object('taskId', task.id), now() + ${leaseMs}::int * interval '1 millisecond'
      FROM task, jsonb_to_recordset(${newTaskJobRows}::jsonb) AS job(n int, queue text, data jsonb)
      WHERE task.inserted
      ORDER BY task.source_key, job.n
      RETURNING id, queue, data, job_id
    ), task_jobs AS (
      SELECT (data->>'taskId')::uuid AS task_id, ${committedJobsJson} AS jobs FROM jobs GROUP BY 1
    )
    SELECT fresh.ord, task.id, task.occurrences, task.inserted, fresh.nth, fresh.alerts, CASE WHEN fresh.nth = 1 THEN task_jobs.jobs END AS jobs
    FROM fresh JOIN task USING (source_key) LEFT JOIN task_jobs ON task_jobs.task_id = task.id`.execute(db);

  const outcomes: Array<IngestOutcome | undefined> = new Array(requests.length);
  const jobs: CommittedJob[] = [];
  for (const row of result.rows) {
    if (row.jobs) jobs.push(...row.jobs);
    outcomes[row.ord] =
      row.inserted && row.nth === 1
        ? { outcome: "created", taskId: row.id }
        : { outcome: "updated", taskId: row.id, occurrences: row.occurrences - row.alerts + row.nth };
  }
  // In insert order (rows come back in no set order), so the caller enqueues them in the order they were written.
  jobs.sort((a, b) => a.id - b.id);
  // Leaders the statement did not write were recorded before: one look-up for all of them, after the commit.
  const seenBefore = [...leaderOf.values()].filter((ord) => !outcomes[ord]);
  if (seenBefore.length > 0) {
    const taskIds = await deliveriesTaskIds(db, seenBefore.map((ord) => requests[ord]!.delivery));
    for (const ord of seenBefore) {
      const { source, deliveryId } = requests[ord]!.delivery;
      outcomes[ord] = { outcome: "duplicate", taskId: taskIds.get(`${source}\u0000${deliveryId}`) ?? null };
    }
  }
  return {
    outcomes: requests.map((_, ord) => {
      const leader = copyOf[ord]!;
      if (leader === ord) return outcomes[ord]!;
      const first = outcomes[leader]!;
      return { outcome: "duplicate", taskId: first.taskId };
    }),
    jobs,
  };
}

/**
 * The task each recorded delivery created or updated: its own link if set, else the newest task for its
 * source object that existed when it arrived (compared in SQL: a JS Date would drop the microseconds).
 */
async function deliveriesTaskIds(db: Kysely<Database>, keys: ReadonlyArray<{ source: string; deliveryId: string }>): Promise<Map<string, string | null>> {
  const result = await sql<{ source: string; delivery_id: string; id: string | null }>`
    SELECT d.source, d.delivery_id, coalesce(d.task_id, (
      SELECT t.id FROM tasks t WHERE t.source_key = d.source_key AND t.created_at <= d.received_at ORDER BY t.created_at DESC LIMIT 1
    )) AS id
    FROM deliveries d
    JOIN jsonb_to_recordset(${JSON.stringify(keys.map((k) => ({ source: k.source, delivery_id: k.deliveryId })))}::jsonb) AS k(source text, delivery_id text)
      USING (source, delivery_id)`.execute(db);
  return new Map(result.rows.map((row) => [`${row.source}\u0000${row.delivery_id}`, row.id]));
}
