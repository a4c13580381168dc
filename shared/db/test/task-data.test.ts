import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@fixline/testing";
import type { TaskDataPatch } from "@fixline/core";
import { appendWouldHaveSent, getTask, updateTaskFields } from "@fixline/db";
import { seedTask } from "./seed-task";

/** Issue 18: the task's data is written through its slices' schemas and read typed, and the dry-run log has one atomic writer. */
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});


describe("task data (real Postgres)", () => {
  it("records a dry-run action once however many writers race to add it, and keeps every distinct one", async () => {
    const taskId = await seedTask(t.db);
    const push = { channel: "git", action: "push", target: "acme/shop:fixline/x", summary: "push fixline/x at abc1234" };
    const added = await Promise.all(Array.from({ length: 20 }, () => appendWouldHaveSent(t.db, taskId, push, { once: true })));
    expect(added.filter(Boolean)).toHaveLength(1);
    await appendWouldHaveSent(t.db, taskId, { ...push, summary: "push fixline/x at def5678" }, { once: true });
    // Without `once` (notify: its ledger already says each message once) an identical record is kept.
    await appendWouldHaveSent(t.db, taskId, push);
    const log = (await getTask(t.db, taskId))!.data.wouldHaveSent ?? [];
    expect(log.map((r) => r.summary)).toEqual(["push fixline/x at abc1234", "push fixline/x at def5678", "push fixline/x at abc1234"]);
    expect(log.every((r) => /^\d{4}-/.test(r.at ?? ""))).toBe(true);
  });

  it("refuses a write that breaks its slice's schema, and clears a key with null", async () => {
    const taskId = await seedTask(t.db);
    await updateTaskFields(t.db, taskId, { data: { baseBranch: "main", lastProvenPhase: "red", redTests: ["pads cents"] } });
    const wrong = { lastProvenPhase: "purple" } as unknown as TaskDataPatch;
    await expect(updateTaskFields(t.db, taskId, { data: wrong })).rejects.toMatchObject({ code: "INTERNAL" });
    const unknownKey = { secretSauce: 1 } as unknown as TaskDataPatch;
    await expect(updateTaskFields(t.db, taskId, { data: unknownKey })).rejects.toMatchObject({ code: "INTERNAL" });
    await updateTaskFields(t.db, taskId, { data: { redTests: null } });
    expect((await getTask(t.db, taskId))!.data).toEqual({ baseBranch: "main", lastProvenPhase: "red" });
  });

  it("reads a row written outside the schema without failing: only the wrong keys are lost", async () => {
    const taskId = await seedTask(t.db);
    const stored = { baseBranch: "main", lastProvenPhase: "purple", redTests: "not a list", stray: true };
    await t.db.updateTable("tasks").set({ data: sql`${JSON.stringify(stored)}::jsonb`, context: sql`${JSON.stringify({ description: 42, jira: { key: "ED-1" } })}::jsonb` }).where("id", "=", taskId).execute();
    const task = (await getTask(t.db, taskId))!;
    expect(task.data).toEqual({ baseBranch: "main" });
    expect(task.context).toEqual({ jira: { key: "ED-1" } });
  });
});
