import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { getTask, ingestSignal, transition } from "@fixline/db";
import type { RepoPermission } from "@fixline/integrations";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import { applyTaskCommand, type PermissionChecker } from "@fixline/tasks";

// Issue 18: task commands live in @fixline/tasks; an approve writes its approval only if the task moves.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});

const planSha = "b".repeat(40);
let n = 0;
async function taskAwaitingApproval(): Promise<string> {
  n++;
  const result = await ingestSignal(t.db, {
    delivery: { source: "github", deliveryId: `cmd-${n}-${Date.now()}`, event: "issues.labeled" },
    source: "github",
    sourceKey: `github:acme/shop#${n}-${Date.now()}`,
    repo: "acme/shop",
    title: "Cart total is negative",
    context: {},
  });
  if (result.outcome !== "created") throw new Error("expected a new task");
  await transition(t.db, { taskId: result.taskId, expected: "received", event: { type: "plan_started" } });
  await transition(t.db, { taskId: result.taskId, expected: "planning", event: { type: "plan_ready", planSha, prNumber: 9 } });
  return result.taskId;
}

const approvalRows = async (taskId: string) => (await t.db.selectFrom("approvals").select("id").where("task_id", "=", taskId).execute()).length;
const actor = { via: "api", login: "maintainer" } as const;

describe("applyTaskCommand approve (real Postgres)", () => {
  it("approves with write access: the task moves and exactly one approval is recorded", async () => {
    const taskId = await taskAwaitingApproval();
    const result = await applyTaskCommand(
      { db: t.db, logger: silentLogger(), checkPermission: async () => "write" },
      { taskId, command: { kind: "approve", seen: { planSha } }, actor },
    );
    expect(result).toMatchObject({ outcome: "applied", task: { state: "approved" } });
    expect(await approvalRows(taskId)).toBe(1);
  });

  it("a task that moved on while permission was checked answers conflict and keeps no approval", async () => {
    const taskId = await taskAwaitingApproval();
    // The window between reading the task and approving it: someone rejects the plan meanwhile.
    const rejectsMeanwhile: PermissionChecker = async () => {
      await transition(t.db, { taskId, expected: "awaiting_approval", event: { type: "reject" } });
      return "write";
    };
    const result = await applyTaskCommand({ db: t.db, logger: silentLogger(), checkPermission: rejectsMeanwhile }, { taskId, command: { kind: "approve", seen: { planSha } }, actor });
    expect(result.outcome).toBe("conflict");
    expect((await getTask(t.db, taskId))?.state).toBe("rejected");
    expect(await approvalRows(taskId)).toBe(0);
  });

  it("refuses read access and no access with the same rule as execution's re-check, and records nothing", async () => {
    for (const permission of ["read", "none"] satisfies RepoPermission[]) {
      const taskId = await taskAwaitingApproval();
      const result = await applyTaskCommand(
        { db: t.db, logger: silentLogger(), checkPermission: async () => permission },
        { taskId, command: { kind: "approve", seen: { planSha } }, actor },
      );
      expect(result).toMatchObject({ outcome: "refused", permission });
      expect((await getTask(t.db, taskId))?.state).toBe("awaiting_approval");
      expect(await approvalRows(taskId)).toBe(0);
    }
  });
});
