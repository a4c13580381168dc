import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import { ingestBatchStatement, ingestSignal, type FixlineDb, type IngestOutcome, type IngestSignalRequest } from "@fixline/db";

/**
 * Issue 19: a whole batch is one statement. It must answer, and leave the database, exactly as ingesting
 * the same requests one by one in the same order does. Two fresh databases get the same history; then one
 * ingests a mixed batch request by request (ingestSignal, the one-statement-per-delivery path), the other
 * in one ingestBatchStatement call, and everything is compared.
 */
let sequential: TestDatabase;
let batched: TestDatabase;
beforeAll(async () => {
  [sequential, batched] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([sequential?.destroy(), batched?.destroy()]);
});

const request = (deliveryId: string, issue: string, extra: Partial<IngestSignalRequest> = {}): IngestSignalRequest => ({
  delivery: { source: "sentry", deliveryId, event: "issue.created" },
  source: "sentry",
  sourceKey: `sentry:${issue}`,
  repo: "acme/shop",
  title: `bug ${issue}`,
  context: { sentry: { issueId: issue, count: deliveryId } },
  requester: { via: "sentry", name: "sentry" },
  ...extra,
});

/** Before the batch: a live task bumped by the batch, a finished one the batch must not bump, a delivery the batch redelivers. */
async function history(db: FixlineDb): Promise<void> {
  await ingestSignal(db, request("old-live", "live"));
  await ingestSignal(db, request("old-done", "done"));
  await sql`UPDATE tasks SET state = 'completed' WHERE source_key = 'sentry:done'`.execute(db);
  await ingestSignal(db, request("old-redelivered", "redelivered"));
}

const batch: IngestSignalRequest[] = [
  request("a-1", "a"),
  request("b-1", "b", { title: "x".repeat(400), slackChannel: "C123", requester: null }),
  request("a-1", "a"), // a copy right after its first
  request("a-2", "a"), // a second alert for a task created in this batch
  request("live-1", "live"), // bumps the task from before
  request("done-1", "done"), // the old task is finished: a new one
  request("old-redelivered", "redelivered"), // recorded before: nothing
  request("a-3", "a"),
  request("live-2", "live"),
  request("a-1", "a"), // a copy far from its first
  request("old-redelivered", "redelivered"),
  { ...request("gh-1", "a"), delivery: { source: "github", deliveryId: "a-1", event: "issues.labeled" } }, // same id, other source: not a copy
];

/** Task ids differ between the databases: name each task by its source key and creation rank instead. */
async function taskNames(db: FixlineDb): Promise<Map<string, string>> {
  const rows = await db.selectFrom("tasks").select(["id", "source_key"]).orderBy("created_at").orderBy("id").execute();
  const seen = new Map<string, number>();
  return new Map(
    rows.map((row) => {
      const n = (seen.get(row.source_key) ?? 0) + 1;
      seen.set(row.source_key, n);
      return [row.id, `${row.source_key}#${n}`];
    }),
  );
}

async function picture(db: FixlineDb, outcomes: IngestOutcome[]) {
  const names = await taskNames(db);
  const name = (id: string | null) => (id === null ? null : (names.get(id) ?? `unknown ${id}`));
  const tasks = await db.selectFrom("tasks").select(["id", "source_key", "title", "state", "occurrences", "context", "requester", "slack_channel"]).execute();
  const events = await db.selectFrom("task_events").select(["task_id", "type", "to_state", "actor", "data"]).execute();
  const jobs = await db.selectFrom("outbox").select(["queue", "data"]).execute();
  const deliveries = await db.selectFrom("deliveries").select(["source", "delivery_id", "event", "outcome", "source_key"]).execute();
  const sorted = <T>(items: T[]) => items.map((item) => JSON.stringify(item)).sort();
  return {
    outcomes: outcomes.map((o) => ({ ...o, taskId: name(o.taskId) })),
    tasks: sorted(tasks.map(({ id, ...rest }) => ({ ...rest, name: name(id) }))),
    events: sorted(events.map(({ task_id, ...rest }) => ({ ...rest, task: name(task_id) }))),
    jobs: sorted(jobs.map((job) => ({ queue: job.queue, data: { ...(job.data as object), taskId: name((job.data as { taskId: string }).taskId) } }))),
    deliveries: sorted(deliveries),
  };
}

describe("ingestBatchStatement: one statement for a batch (real Postgres)", () => {
  it("answers and writes exactly what one-by-one ingest in the same order does", async () => {
    await Promise.all([history(sequential.db), history(batched.db)]);
    const one: IngestOutcome[] = [];
    for (const r of batch) one.push(await ingestSignal(sequential.db, r));
    const { outcomes: all } = await ingestBatchStatement(batched.db, batch);

    const expected = await picture(sequential.db, one);
    const actual = await picture(batched.db, all);
    expect(actual).toEqual(expected);
    // And what that is, so the comparison cannot pass by both being wrong the same way.
    expect(actual.outcomes.map((o) => o.outcome)).toEqual(["created", "created", "duplicate", "updated", "updated", "created", "duplicate", "updated", "updated", "duplicate", "duplicate", "updated"]);
    expect(actual.outcomes.map((o) => ("occurrences" in o ? o.occurrences : null))).toEqual([null, null, null, 2, 2, null, null, 3, 3, null, null, 4]);
    expect(actual.outcomes[2]!.taskId).toBe("sentry:a#1");
    expect(actual.outcomes[6]!.taskId).toBe("sentry:redelivered#1");
    expect(actual.outcomes[5]!.taskId).toBe("sentry:done#2");
    const a = (await batched.db.selectFrom("tasks").select(["occurrences", "context", "title"]).where("source_key", "=", "sentry:a").executeTakeFirstOrThrow());
    expect(a.occurrences).toBe(4);
    // The first alert's context, with the last one's as `latest`.
    expect(a.context).toEqual({ sentry: { issueId: "a", count: "a-1" }, latest: { sentry: { issueId: "a", count: "gh-1" } } });
    // 3 new tasks from the batch (a, b, done#2) + 3 from history: each with one event and two jobs.
    expect(actual.events).toHaveLength(6);
    expect(actual.jobs).toHaveLength(12);
  });

  it("creates one task for 500 alerts of one issue and 500 copies of one delivery in one statement", async () => {
    const alerts = Array.from({ length: 500 }, (_, i) => request(`many-${i}`, "many"));
    const copies = Array.from({ length: 500 }, () => request("copied", "copied"));
    const { outcomes, jobs } = await ingestBatchStatement(batched.db, [...alerts, ...copies], 60_000);
    expect(outcomes.filter((o) => o.outcome === "created")).toHaveLength(2);
    // The jobs it returns are the outbox rows it wrote, leased for a minute to the caller that enqueues them.
    const rows = await batched.db.selectFrom("outbox").select(["id", "queue", "data", "job_id", sql<boolean>`available_at > now() + interval '50 seconds'`.as("leased")]).where("id", "in", jobs.map((job) => String(job.id))).orderBy("id").execute();
    expect(jobs.map((job) => ({ id: job.id, queue: job.queue, data: job.data, jobId: job.jobId, leased: true }))).toEqual(rows.map((row) => ({ id: Number(row.id), queue: row.queue, data: row.data, jobId: row.job_id, leased: row.leased })));
    const created = outcomes.filter((o) => o.outcome === "created").map((o) => o.taskId);
    expect(jobs.map((job) => `${job.queue}:${created.indexOf((job.data as { taskId: string }).taskId)}`).sort()).toEqual(["notify:0", "notify:1", "planning:0", "planning:1"]);
    expect(outcomes.filter((o) => o.outcome === "updated")).toHaveLength(499);
    expect(outcomes.filter((o) => o.outcome === "duplicate")).toHaveLength(499);
    expect(new Set(outcomes.slice(0, 500).map((o) => o.taskId)).size).toBe(1);
    expect(new Set(outcomes.slice(500).map((o) => o.taskId)).size).toBe(1);
    const tasks = await batched.db.selectFrom("tasks").select(["source_key", "occurrences"]).where("source_key", "in", ["sentry:many", "sentry:copied"]).orderBy("source_key").execute();
    expect(tasks).toEqual([
      { source_key: "sentry:copied", occurrences: 1 },
      { source_key: "sentry:many", occurrences: 500 },
    ]);
  });
});
