import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import {
  dispatchTaskEvents,
  forgetDelivery,
  hasLiveTask,
  listTaskStates,
  recordDelivery,
  setDeliveryOutcome,
  taskCreatedAtText,
  transition,
} from "@fixline/db";
import { seedTask } from "./seed-task";

// Issue 18: the queries the webhook server and the hook dispatcher used to write themselves, now in shared/db.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});


describe("task lookups", () => {
  it("hasLiveTask is true while the source object's task is unfinished, false after", async () => {
    const key = `sentry:LIVE-${Date.now()}`;
    expect(await hasLiveTask(t.db, key)).toBe(false);
    const id = await seedTask(t.db, key);
    expect(await hasLiveTask(t.db, key)).toBe(true);
    await transition(t.db, { taskId: id, expected: "received", event: { type: "cancel" } });
    expect(await hasLiveTask(t.db, key)).toBe(false);
  });

  it("listTaskStates answers for task ids and skips names that are not uuids instead of failing the query", async () => {
    const id = await seedTask(t.db);
    const rows = await listTaskStates(t.db, [id, "not-a-uuid'; DROP TABLE tasks; --", "00000000-0000-0000-0000-000000000000"]);
    expect(rows).toEqual([{ id, state: "received", repo: "acme/shop" }]);
    expect(await listTaskStates(t.db, ["lost+found"])).toEqual([]);
  });

  it("taskCreatedAtText keeps the microseconds a Date would drop", async () => {
    const id = await seedTask(t.db);
    const text = await taskCreatedAtText(t.db, id);
    const exact = await sql<{ same: boolean }>`SELECT created_at = ${text}::timestamptz AS same FROM tasks WHERE id = ${id}`.execute(t.db);
    expect(exact.rows[0]?.same).toBe(true);
  });
});

describe("delivery outcomes", () => {
  it("setDeliveryOutcome records what became of a delivery; forgetDelivery lets a redelivery count again", async () => {
    const id = await seedTask(t.db);
    const key = { source: "github", deliveryId: `cmd-${Date.now()}`, event: "issue_comment" };
    expect(await recordDelivery(t.db, key, "command")).toBe(true);
    await setDeliveryOutcome(t.db, key, "command_applied", id);
    const row = await t.db.selectFrom("deliveries").select(["outcome", "task_id"]).where("delivery_id", "=", key.deliveryId).executeTakeFirstOrThrow();
    expect(row).toEqual({ outcome: "command_applied", task_id: id });
    expect(await recordDelivery(t.db, key, "command")).toBe(false);
    await forgetDelivery(t.db, key);
    expect(await recordDelivery(t.db, key, "command")).toBe(true);
  });
});

describe("dispatchTaskEvents", () => {
  it("hands each undispatched event to toJobs once, writes its jobs to the outbox and marks the batch", async () => {
    // Earlier tests' events are pending too: mark them first so this test sees only its own.
    await dispatchTaskEvents(t.db, { batchSize: 500, toJobs: async () => [] });
    const id = await seedTask(t.db);
    await transition(t.db, { taskId: id, expected: "received", event: { type: "plan_started" } });
    const seen: Array<{ taskId: string; toState: string | null; repo: string | undefined }> = [];
    const queued = await dispatchTaskEvents(t.db, {
      batchSize: 500,
      toJobs: async (events, loadTask) => {
        for (const event of events) seen.push({ taskId: event.taskId, toState: event.toState, repo: (await loadTask(event.taskId))?.repo });
        return events.filter((e) => e.toState === "planning").map((e) => ({ queue: "notify" as const, data: { taskId: e.taskId, event: "task_received" as const, details: { key: String(e.id) } } }));
      },
    });
    expect(seen).toEqual([
      { taskId: id, toState: "received", repo: "acme/shop" },
      { taskId: id, toState: "planning", repo: "acme/shop" },
    ]);
    expect(queued).toBe(1);
    const planningEventId = (await t.db.selectFrom("task_events").select("id").where("task_id", "=", id).where("to_state", "=", "planning").executeTakeFirstOrThrow()).id;
    const outbox = await t.db.selectFrom("outbox").select("data").where(sql<boolean>`data @> ${JSON.stringify({ taskId: id, details: { key: String(planningEventId) } })}::jsonb`).execute();
    expect(outbox).toHaveLength(1);
    let again = 0;
    await dispatchTaskEvents(t.db, { batchSize: 500, toJobs: async (events) => ((again += events.length), []) });
    expect(again).toBe(0);
  });

  it("dispatches nothing and marks nothing when toJobs fails: the batch is claimed again next pass", async () => {
    await dispatchTaskEvents(t.db, { batchSize: 500, toJobs: async () => [] });
    const id = await seedTask(t.db);
    await expect(dispatchTaskEvents(t.db, { batchSize: 500, toJobs: async () => Promise.reject(new Error("config broke")) })).rejects.toThrow("config broke");
    const ids: string[] = [];
    await dispatchTaskEvents(t.db, { batchSize: 500, toJobs: async (events) => (ids.push(...events.map((e) => e.taskId)), []) });
    expect(ids).toEqual([id]);
  });
});
