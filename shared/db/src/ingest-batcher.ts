import { FixlineError, type Logger } from "@fixline/core";
import { metrics } from "@fixline/observability";
import type { FixlineDb } from "./create-db";
import { isDbUnavailable } from "./create-db";
import { ingestSignal, ingestStatement, settleIngest, type IngestOutcome, type IngestRow, type IngestSignalRequest } from "./ingest-signal";

export interface IngestBatcherOptions {
  /** Most deliveries in one transaction (one commit). */
  maxBatch?: number;
  /**
   * Transactions in flight at once. Deliveries that arrive while these are committing wait and go together
   * in the next one: that is the batching window, and it costs nothing when the database keeps up (a lone
   * delivery is written at once, alone). Kept small so batches form under load.
   */
  maxInFlight?: number;
  /** Deliveries waiting for a transaction beyond which new ones are refused (INGEST_OVERLOADED -> 503). */
  maxPending?: number;
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
  resolve: (outcome: IngestOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for webhook ingest (issue 19). One commit per delivery tops out at what Postgres can fsync
 * (pgbench here: ~1,700 commits/s at best, and far less beside the load generator); ten deliveries per commit
 * reached ~6,500/s. So deliveries that arrive together share a transaction: each runs the same single
 * ingest statement as before, in arrival order, so dedupe stays exact (a redelivery inside the same batch
 * sees the first copy's row; a second alert for the same issue bumps the task the first one created), and
 * each request is answered only after its commit.
 *
 * If a batch fails as a whole (a deadlock with another batch, one malformed row), its deliveries are retried
 * one by one, so one bad delivery fails alone. Postgres being down fails them all at once (503).
 */
export function createIngestBatcher(db: FixlineDb, options: IngestBatcherOptions = {}): IngestBatcher {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.maxInFlight ?? 2;
  const maxPending = options.maxPending ?? 5_000;
  const queue: Waiting[] = [];
  const inFlight = new Set<Promise<void>>();

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
      // Alone: the statement commits by itself (one round trip instead of BEGIN, statement, COMMIT).
      const [only] = batch as [Waiting];
      await ingestSignal(db, only.request).then(only.resolve, only.reject);
      return;
    }
    let rows: Array<IngestRow | undefined>;
    try {
      rows = await db.transaction().execute(async (trx) => {
        const written: Array<IngestRow | undefined> = [];
        for (const waiting of batch) written.push(await ingestStatement(trx, waiting.request));
        return written;
      });
    } catch (error) {
      if (isDbUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      options.logger?.warn({ deliveries: batch.length, err: (error as Error).message }, "ingest batch failed as a whole; writing its deliveries one by one");
      await Promise.all(batch.map((waiting) => ingestSignal(db, waiting.request).then(waiting.resolve, waiting.reject)));
      return;
    }
    await Promise.all(batch.map((waiting, i) => settleIngest(db, waiting.request, rows[i]).then(waiting.resolve, waiting.reject)));
  }

  return {
    ingest(request) {
      if (queue.length >= maxPending) {
        return Promise.reject(new FixlineError("INGEST_OVERLOADED", `${queue.length} deliveries are already waiting for the database; retry shortly`));
      }
      return new Promise<IngestOutcome>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        pump();
      });
    },
    pending: () => queue.length,
    async close() {
      while (inFlight.size > 0 || queue.length > 0) {
        pump();
        await Promise.all([...inFlight]);
      }
    },
  };
}
