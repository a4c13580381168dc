import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, startTestPgbouncer, type TestDatabase, type TestPgbouncer } from "@fixline/testing";
import { createDb, ingestBatchStatement, ingestSignal, type FixlineDb, type IngestSignalRequest } from "@fixline/db";

/**
 * Issue 19: the two ingest statements run as named prepared statements (parsed and planned once per
 * connection), and behind a pooler in transaction mode, where a named statement does not survive from one
 * use to the next, they still run: the pool notices and sends them unnamed.
 */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});

const request = (deliveryId: string, issue: string): IngestSignalRequest => ({
  delivery: { source: "sentry", deliveryId, event: "issue.created" },
  source: "sentry",
  sourceKey: `sentry:${issue}`,
  repo: "acme/shop",
  title: `bug ${issue}`,
  context: {},
});

async function preparedNames(db: FixlineDb): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT name FROM pg_prepared_statements ORDER BY name`.execute(db);
  return rows.rows.map((row) => row.name);
}

describe("named prepared statements for ingest (real Postgres)", () => {
  it("prepares each ingest statement once on the connection and gives the same answers", async () => {
    // One connection, so the session asked is the one that ran the statements.
    const db = await createDb({ databaseUrl: t.url, maxConnections: 1 });
    try {
      expect(await preparedNames(db)).toEqual([]);
      expect((await ingestSignal(db, request("p-1", "p1"))).outcome).toBe("created");
      expect((await ingestSignal(db, request("p-1", "p1"))).outcome).toBe("duplicate");
      expect((await ingestSignal(db, request("p-2", "p1"))).outcome).toBe("updated");
      const { outcomes } = await ingestBatchStatement(db, [request("p-3", "p3"), request("p-3", "p3"), request("p-4", "p1")]);
      expect(outcomes.map((o) => o.outcome)).toEqual(["created", "duplicate", "updated"]);
      const again = await ingestBatchStatement(db, [request("p-5", "p5"), request("p-6", "p5")]);
      expect(again.outcomes.map((o) => o.outcome)).toEqual(["created", "updated"]);
      expect(await preparedNames(db)).toEqual(["ingest-batch", "ingest-one"]);
      const task = await db.selectFrom("tasks").select("occurrences").where("source_key", "=", "sentry:p1").executeTakeFirstOrThrow();
      expect(task.occurrences).toBe(3);
    } finally {
      await db.destroy();
    }
  });

  it("leaves unmarked statements unnamed", async () => {
    const db = await createDb({ databaseUrl: t.url, maxConnections: 1 });
    try {
      await db.selectFrom("tasks").select("id").limit(1).execute();
      await sql`SELECT 1`.execute(db);
      expect(await preparedNames(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

describe("named prepared statements behind pgbouncer in transaction mode (real pgbouncer)", () => {
  let bouncer: TestPgbouncer;
  beforeAll(async () => {
    bouncer = await startTestPgbouncer();
  });
  afterAll(async () => {
    await bouncer?.stop();
  });

  it("falls back to unnamed statements when the pooler does not keep them, and loses no delivery", async () => {
    // Two pools through the pooler, each with several connections, writing at once: their statements land on
    // server connections the other prepared (42P05) or that never saw them (26000).
    const pools = await Promise.all([1, 2].map(() => createDb({ databaseUrl: bouncer.through(t.url), maxConnections: 4 })));
    try {
      const writes = pools.flatMap((db, p) =>
        Array.from({ length: 40 }, (_, i) =>
          i % 2 === 0
            ? ingestSignal(db, request(`b-${p}-${i}`, `b-${p}-${i}`)).then((o) => [o.outcome])
            : ingestBatchStatement(db, [request(`b-${p}-${i}`, `b-${p}-${i}`), request(`b-${p}-${i}-x`, `b-${p}-${i}`)]).then((r) => r.outcomes.map((o) => o.outcome)),
        ),
      );
      const outcomes = (await Promise.all(writes)).flat();
      expect(outcomes.filter((o) => o === "created")).toHaveLength(80);
      expect(outcomes.filter((o) => o === "updated")).toHaveLength(40);
      const tasks = await t.db.selectFrom("tasks").select(sql<number>`count(*)::int`.as("n")).where("source_key", "like", "sentry:b-%").executeTakeFirstOrThrow();
      expect(tasks.n).toBe(80);
      const deliveries = await t.db.selectFrom("deliveries").select(sql<number>`count(*)::int`.as("n")).where("delivery_id", "like", "b-%").executeTakeFirstOrThrow();
      expect(deliveries.n).toBe(120);
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
  });
});
