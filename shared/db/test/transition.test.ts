import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFixlineError } from "@fixline/core";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import { getTask, listTaskEvents, recordApproval, transition } from "@fixline/db";
import { seedTask } from "./seed-task";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});


describe("transition (real Postgres)", () => {
  it("moves the task, records the event and writes outbox rows in one go", async () => {
    const id = await seedTask(t.db);
    const moved = await transition(t.db, { taskId: id, expected: "received", event: { type: "plan_started" }, actor: { via: "system" } });
    expect(moved.state).toBe("planning");
    const ready = await transition(t.db, {
      taskId: id,
      expected: "planning",
      event: { type: "plan_ready", planSha: "a".repeat(40), prNumber: 7 },
      jobs: [{ queue: "notify", data: { taskId: id, event: "plan_ready" } }],
    });
    expect(ready.planSha).toBe("a".repeat(40));
    expect(ready.prNumber).toBe(7);
    const events = await listTaskEvents(t.db, id);
    expect(events.map((e) => `${e.fromState}->${e.toState}`)).toEqual(["null->received", "received->planning", "planning->awaiting_approval"]);
    const outbox = await t.db.selectFrom("outbox").selectAll().where(sql<boolean>`data @> ${JSON.stringify({ taskId: id, event: "plan_ready" })}::jsonb`).execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.job_id).toBe(`ob-${outbox[0]!.id}`);
  });

  it("refuses a forbidden transition with a coded error and changes nothing", async () => {
    const id = await seedTask(t.db);
    const before = await getTask(t.db, id);
    const error = await transition(t.db, { taskId: id, expected: "received", event: { type: "execution_succeeded" } }).catch((e: unknown) => e);
    expect(isFixlineError(error, "ILLEGAL_TRANSITION")).toBe(true);
    const after = await getTask(t.db, id);
    expect(after?.state).toBe("received");
    expect(after?.updatedAt.getTime()).toBe(before?.updatedAt.getTime());
    expect(await listTaskEvents(t.db, id)).toHaveLength(1);
  });

  it("answers STALE_STATE when the task is no longer in the expected state", async () => {
    const id = await seedTask(t.db);
    const error = await transition(t.db, { taskId: id, expected: "planning", event: { type: "plan_ready", planSha: "b", prNumber: 1 } }).catch((e: unknown) => e);
    expect(isFixlineError(error, "STALE_STATE")).toBe(true);
  });

  it("lets exactly one of many concurrent transitions from the same state win", async () => {
    const id = await seedTask(t.db);
    await transition(t.db, { taskId: id, expected: "received", event: { type: "plan_started" } });
    await transition(t.db, { taskId: id, expected: "planning", event: { type: "plan_ready", planSha: "c".repeat(40), prNumber: 3 } });
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        transition(t.db, {
          taskId: id,
          expected: "awaiting_approval",
          event: i % 2 ? { type: "approve", planSha: "c".repeat(40) } : { type: "cancel" },
          jobs: [{ queue: "notify", data: { taskId: id, event: "approved", details: { key: `attempt-${i}` } } }],
        }),
      ),
    );
    const won = attempts.filter((a) => a.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === "rejected")) expect(isFixlineError((lost as PromiseRejectedResult).reason, "STALE_STATE")).toBe(true);
    const rows = await t.db.selectFrom("outbox").select("id").where(sql<boolean>`data @> ${JSON.stringify({ taskId: id, event: "approved" })}::jsonb`).execute();
    expect(rows).toHaveLength(1);
  });

  it("voids approvals of an earlier plan when a new plan is published", async () => {
    const id = await seedTask(t.db);
    await transition(t.db, { taskId: id, expected: "received", event: { type: "plan_started" } });
    await transition(t.db, { taskId: id, expected: "planning", event: { type: "plan_ready", planSha: "1".repeat(40), prNumber: 4 } });
    const { approval } = await recordApproval(t.db, { taskId: id, planSha: "1".repeat(40), actor: { via: "github", login: "octo" } });
    const again = await recordApproval(t.db, { taskId: id, planSha: "1".repeat(40), actor: { via: "github", login: "octo" } });
    expect(again.created).toBe(false);
    expect(again.approval.id).toBe(approval.id);
    await transition(t.db, { taskId: id, expected: "awaiting_approval", event: { type: "reject", feedback: "different approach" } });
    await transition(t.db, { taskId: id, expected: "received", event: { type: "plan_started" } });
    await transition(t.db, { taskId: id, expected: "planning", event: { type: "plan_ready", planSha: "2".repeat(40), prNumber: 4 } });
    const row = await t.db.selectFrom("approvals").select("voided_at").where("id", "=", approval.id).executeTakeFirstOrThrow();
    expect(row.voided_at).not.toBeNull();
  });

  it("retry resumes at execution only when the current plan has a standing approval", async () => {
    const id = await seedTask(t.db);
    await transition(t.db, { taskId: id, expected: "received", event: { type: "plan_started" } });
    await transition(t.db, { taskId: id, expected: "planning", event: { type: "plan_ready", planSha: "9".repeat(40), prNumber: 5 } });
    await recordApproval(t.db, { taskId: id, planSha: "9".repeat(40), actor: { via: "github", login: "octo" } });
    await transition(t.db, { taskId: id, expected: "awaiting_approval", event: { type: "approve", planSha: "9".repeat(40) } });
    await transition(t.db, { taskId: id, expected: "approved", event: { type: "execution_started" } });
    const failed = await transition(t.db, { taskId: id, expected: "executing", event: { type: "fail", code: "CLAUDE_TIMEOUT", message: "took too long" } });
    expect(failed.errorCode).toBe("CLAUDE_TIMEOUT");
    const retried = await transition(t.db, { taskId: id, expected: "failed", event: { type: "retry" } });
    expect(retried.state).toBe("approved");
    expect(retried.errorCode).toBeNull();
  });
});
