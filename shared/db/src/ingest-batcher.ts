import { FixlineError, type Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import type { FixlineDb } from "./create-db";
import { isDbUnavailable } from "./create-db";
import { ingestBatchStatement } from "./ingest-batch-statement";
import { ingestSignal, ingestStatement, settleIngest, type IngestOutcome, type IngestSignalRequest } from "./ingest-signal";
import { signalOutbox, type CommittedJob } from "./outbox";
import type { OutboxSender } from "./outbox-send";

export interface IngestBatcherOptions {
  /** Most deliveries in one statement (one commit). */
  maxBatch?: number;
  /**
   * Transactions in flight at once. Deliveries that arrive while these are committing wait and go together
   * in the next one: that is the batching window, and it costs nothing when the database keeps up (a lone
   * delivery is written at once, alone). Kept small so batches form under load.
   */
  maxInFlight?: number;
  /** Deliveries waiting for a transaction beyond which new ones are refused (INGEST_OVERLOADED -> 503). */
  maxPending?: number;
  /**
   * Load shedding before latency runs away: while the oldest waiting delivery has waited longer than this,
   * new ones are refused (INGEST_OVERLOADED -> 503 + Retry-After) even below `maxPending`. A count bound
   * alone lets latency climb as far as the database slows down. Default 5,000 ms: half of GitHub's 10 s
   * delivery timeout (GitHub does not retry a 503, so shedding too early loses deliveries a slow answer
   * would have saved; on this 2-core machine under load a 1 s bound shed a legitimate burst of 1,000).
   */
  maxQueueWaitMs?: number;
  /**
   * Enqueues each commit's jobs from this process (enqueue after commit); without it the outbox relays
   * send them, woken by a signal.
   */
  sender?: OutboxSender | undefined;
  /** Monotonic clock for the queue wait (injectable in tests). */
  nowMs?: () => number;
  logger?: Logger;
}

export interface IngestBatcher {
  /** Resolves only after the commit that holds this delivery. */
  ingest(request: IngestSignalRequest): Promise<IngestOutcome>;
  /** Deliveries waiting for a transaction. */
  pending(): number;
  /** Waits for what was accepted; refuses nothing already accepted. */
  close(): Promise<void>;
}

interface Waiting {
  request: IngestSignalRequest;
  queuedAtMs: number;
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for webhook ingest (issue 19). One commit per delivery tops out at what Postgres can fsync
 * (pgbench here: ~1,700 commits/s at best, and far less beside the load generator); ten deliveries per commit
 * reached ~6,500/s. So deliveries that arrive together are written by ONE statement (`ingestBatchStatement`:
 * deliveries, tasks, events and outbox rows for the whole batch), which is one round trip and one commit.
 * Dedupe stays exact: the statement answers each delivery as if they had been ingested one by one in
 * arrival order (a copy inside the batch is a duplicate of the first; a second alert for the same issue
 * bumps the task the first one created). Each request is answered only after the commit that holds it.
 *
 * The batching window is bounded and costs nothing when the database keeps up: a delivery waits only
 * while `maxInFlight` statements are committing (then goes with up to `maxBatch` others in the next); a
 * lone delivery is written at once, alone.
 *
 * If a batch fails as a whole (one malformed row), its deliveries are retried one by one, so one bad
 * delivery fails alone. Postgres being down fails them all at once (503).
 */
export function createIngestBatcher(db: FixlineDb, options: IngestBatcherOptions = {}): IngestBatcher {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.maxInFlight ?? 2;
  const maxPending = options.maxPending ?? 5_000;
  const maxQueueWaitMs = options.maxQueueWaitMs ?? 5_000;
  const nowMs = options.nowMs ?? (() => performance.now());
  const queue: Waiting[] = [];
  const inFlight = new Set<Promise<void>>();
  const sender = options.sender;
  const leaseMs = sender?.leaseMs ?? 0;

  /** After a commit: its jobs go out from here, or the relays are woken for them. */
  function sendJobs(jobs: readonly CommittedJob[], requests: readonly IngestSignalRequest[], outcomes: readonly IngestOutcome[]): void {
    if (jobs.length === 0) return;
    if (!sender) {
      signalOutbox(db);
      return;
    }
    const repoOf = new Map<string, string>();
    outcomes.forEach((outcome, i) => {
      if (outcome.outcome === "created") repoOf.set(outcome.taskId, requests[i]!.repo);
    });
    sender.send(jobs, (taskId) => repoOf.get(taskId));
  }

  /** One delivery alone: the one-row statement commits by itself (one round trip instead of BEGIN, statement, COMMIT). */
  async function ingestOne(request: IngestSignalRequest): Promise<IngestOutcome> {
    if (!sender) return ingestSignal(db, request);
    const row = await ingestStatement(db, request, leaseMs);
    const outcome = await settleIngest(db, request, row, { signal: false });
    sendJobs(row?.jobs ?? [], [request], [outcome]);
    return outcome;
  }

  function pump(): void {
    while (inFlight.size < maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      const running = runBatch(batch).finally(() => {
        inFlight.delete(running);
        pump();
      });
      inFlight.add(running);
    }
  }

  async function runBatch(batch: Waiting[]): Promise<void> {
    metrics.ingestBatchSize.observe(batch.length);
    if (batch.length === 1) {
      const [only] = batch as [Waiting];
      await ingestOne(only.request).then(only.resolve, only.reject);
      return;
    }
    const requests = batch.map((waiting) => waiting.request);
    let outcomes: IngestOutcome[];
    try {
      const result = await ingestBatchStatement(db, requests, leaseMs);
      outcomes = result.outcomes;
      sendJobs(result.jobs, requests, outcomes);
    } catch (error) {
      if (isDbUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      options.logger?.warn({ deliveries: batch.length, err: (error as Error).message }, "ingest batch failed as a whole; writing its deliveries one by one");
      // In order, so dedupe inside the failed batch stays what it would have been (a copy after its first is a duplicate).
      for (const waiting of batch) await ingestOne(waiting.request).then(waiting.resolve, waiting.reject);
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(outcomes[i]!));
  }

  return {
    ingest(request) {
      const now = nowMs();
      if (queue.length >= maxPending) {
        return Promise.reject(new FixlineError("INGEST_OVERLOADED", `${queue.length} deliveries are already waiting for the database; retry shortly`));
      }
      const oldestWaitMs = queue.length > 0 ? now - queue[0]!.queuedAtMs : 0;
      if (oldestWaitMs > maxQueueWaitMs) {
        return Promise.reject(new FixlineError("INGEST_OVERLOADED", `deliveries have waited ${Math.round(oldestWaitMs)} ms for the database (limit ${maxQueueWaitMs} ms); retry shortly`));
      }
      return new Promise<IngestOutcome>((resolve, reject) => {
        queue.push({ request, queuedAtMs: now, resolve, reject });
        pump();
      });
    },
    pending: () => queue.length,
    async close() {
      while (inFlight.size > 0 || queue.length > 0) {
        pump();
        await Promise.all([...inFlight]);
      }
      await sender?.close();
    },
  };
}
