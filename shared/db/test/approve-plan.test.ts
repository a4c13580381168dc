import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFixlineError } from "@fixline/core";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import { approvePlan, currentApproval, getTask, ingestSignal, listTaskEvents, transition } from "@fixline/db";

// Issue 18: the approval row and the approve transition are one transaction; either both are written or neither.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});

const planSha = "a".repeat(40);
let n = 0;
async function taskAwaitingApproval(): Promise<string> {
  n++;
  const result = await ingestSignal(t.db, {
    delivery: { source: "sentry", deliveryId: `approve-${n}-${Date.now()}`, event: "issue.created" },
    source: "sentry",
    sourceKey: `sentry:approve-${n}-${Date.now()}`,
    repo: "acme/shop",
    title: "TypeError in cart",
    context: { sentry: { issueId: `approve-${n}` } },
  });
  if (result.outcome !== "created") throw new Error("expected a new task");
  await transition(t.db, { taskId: result.taskId, expected: "received", event: { type: "plan_started" } });
  await transition(t.db, { taskId: result.taskId, expected: "planning", event: { type: "plan_ready", planSha, prNumber: 7 } });
  return result.taskId;
}

async function approvalRows(taskId: string): Promise<number> {
  const rows = await t.db.selectFrom("approvals").select("id").where("task_id", "=", taskId).execute();
  return rows.length;
}

async function executionJobs(taskId: string): Promise<Array<{ data: unknown }>> {
  return t.db
    .selectFrom("outbox")
    .select("data")
    .where("queue", "=", "execution")
    .where(sql<boolean>`data @> ${JSON.stringify({ taskId })}::jsonb`)
    .execute();
}

const approver = { via: "github", login: "octo" } as const;
const jobsFor = (taskId: string) => (approvalId: string) => [{ queue: "execution" as const, data: { taskId, approvalId } }];

describe("approvePlan (real Postgres)", () => {
  it("records the approval, moves the task and hands execution the approval's id, together", async () => {
    const taskId = await taskAwaitingApproval();
    const { task, approval } = await approvePlan(t.db, { taskId, planSha, actor: approver, instructions: "keep the API", jobs: jobsFor(taskId) });
    expect(task.state).toBe("approved");
    expect(approval).toMatchObject({ taskId, planSha, login: "octo", via: "github", instructions: "keep the API" });
    expect((await currentApproval(t.db, taskId, planSha))?.id).toBe(approval.id);
    const approve = (await listTaskEvents(t.db, taskId)).find((e) => e.type === "approve");
    expect(approve?.data).toMatchObject({ approvalId: approval.id, instructions: "keep the API", planSha });
    expect((await executionJobs(taskId)).map((row) => row.data)).toEqual([{ taskId, approvalId: approval.id }]);
  });

  it("leaves no approval when the transition does not apply (the task moved on first)", async () => {
    const taskId = await taskAwaitingApproval();
    await transition(t.db, { taskId, expected: "awaiting_approval", event: { type: "reject" } });
    const error = await approvePlan(t.db, { taskId, planSha, actor: approver, jobs: jobsFor(taskId) }).catch((e: unknown) => e);
    expect(isFixlineError(error, "STALE_STATE")).toBe(true);
    expect(await approvalRows(taskId)).toBe(0);
    expect(await executionJobs(taskId)).toEqual([]);
    expect((await getTask(t.db, taskId))?.state).toBe("rejected");
  });

  it("does not move the task when the approval's side of the transaction fails", async () => {
    const taskId = await taskAwaitingApproval();
    const failingJobs = () => {
      throw new Error("no jobs for you");
    };
    await expect(approvePlan(t.db, { taskId, planSha, actor: approver, jobs: failingJobs })).rejects.toThrow("no jobs for you");
    expect(await approvalRows(taskId)).toBe(0);
    expect((await getTask(t.db, taskId))?.state).toBe("awaiting_approval");
    expect((await listTaskEvents(t.db, taskId)).map((e) => e.type)).not.toContain("approve");
  });

  it("of an approve racing a cancel, whichever wins, an approval exists exactly when the task was approved", async () => {
    for (let round = 0; round < 5; round++) {
      const taskId = await taskAwaitingApproval();
      const [approved, cancelled] = await Promise.allSettled([
        approvePlan(t.db, { taskId, planSha, actor: approver, jobs: jobsFor(taskId) }),
        transition(t.db, { taskId, expected: "awaiting_approval", event: { type: "cancel" } }),
      ]);
      expect([approved.status, cancelled.status].filter((s) => s === "fulfilled")).toHaveLength(1);
      const state = (await getTask(t.db, taskId))?.state;
      expect(await approvalRows(taskId)).toBe(state === "approved" ? 1 : 0);
      expect((await executionJobs(taskId)).length).toBe(state === "approved" ? 1 : 0);
    }
  });

  it("approving the same plan twice finds the standing approval and starts execution once", async () => {
    const taskId = await taskAwaitingApproval();
    const results = await Promise.allSettled([1, 2, 3].map(() => approvePlan(t.db, { taskId, planSha, actor: approver, jobs: jobsFor(taskId) })));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const lost of results.filter((r) => r.status === "rejected")) expect(isFixlineError((lost as PromiseRejectedResult).reason, "STALE_STATE")).toBe(true);
    expect(await approvalRows(taskId)).toBe(1);
    expect(await executionJobs(taskId)).toHaveLength(1);
  });
});
