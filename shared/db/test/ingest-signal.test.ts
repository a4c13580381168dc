import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import { ingestSignal, type IngestSignalRequest } from "@fixline/db";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});

const request = (deliveryId: string, issueId: string): IngestSignalRequest => ({
  delivery: { source: "sentry", deliveryId, event: "issue.created" },
  source: "sentry",
  sourceKey: `sentry:${issueId}`,
  repo: "acme/shop",
  title: "ReferenceError: blooopy is not defined",
  context: { sentry: { issueId } },
});

describe("ingestSignal (real Postgres)", () => {
  it("creates a task with a planning job, and a redelivery creates nothing", async () => {
    const first = await ingestSignal(t.db, request("req-1", "100"));
    expect(first.outcome).toBe("created");
    const again = await ingestSignal(t.db, request("req-1", "100"));
    expect(again).toEqual({ outcome: "duplicate", taskId: first.outcome === "created" ? first.taskId : "" });
    const jobs = await t.db.selectFrom("outbox").select("queue").where(sql<boolean>`data @> ${JSON.stringify({ taskId: (first as { taskId: string }).taskId })}::jsonb`).execute();
    expect(jobs.map((j) => j.queue).sort()).toEqual(["notify", "planning"]);
  });

  it("50 concurrent copies of one delivery make exactly one task", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => ingestSignal(t.db, request("req-storm", "200"))));
    expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
    expect(new Set(results.map((r) => r.taskId)).size).toBe(1);
    const tasks = await t.db.selectFrom("tasks").select("id").where("source_key", "=", "sentry:200").execute();
    expect(tasks).toHaveLength(1);
  });

  it("distinct deliveries for one source object update the live task's counter", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => ingestSignal(t.db, request(`req-alert-${i}`, "300"))));
    expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
    const task = await t.db.selectFrom("tasks").select(["occurrences"]).where("source_key", "=", "sentry:300").executeTakeFirstOrThrow();
    expect(task.occurrences).toBe(30);
    const planningJobs = await t.db.selectFrom("outbox").select("id").where("queue", "=", "planning").where(sql<boolean>`data @> ${JSON.stringify({ taskId: results[0]!.taskId })}::jsonb`).execute();
    expect(planningJobs).toHaveLength(1);
  });

  it("a finished task frees its source object for a new task", async () => {
    const first = await ingestSignal(t.db, request("req-a", "400"));
    await t.db.updateTable("tasks").set({ state: "completed" }).where("id", "=", first.taskId!).execute();
    const second = await ingestSignal(t.db, request("req-b", "400"));
    expect(second.outcome).toBe("created");
    expect(second.taskId).not.toBe(first.taskId);
  });
});
