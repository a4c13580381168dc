import { sql } from "kysely";
import type { Actor } from "@fixline/core";
import type { DbOrTrx } from "./task-repository";

export interface ApprovalRecord {
  id: string;
  taskId: string;
  planSha: string;
  via: string;
  login: string;
  instructions: string | null;
  createdAt: Date;
  voidedAt: Date | null;
}

/**
 * Records an approval of one PLAN.md commit. Approving the same plan twice returns the standing
 * approval (a redelivered comment must not create a second execution).
 */
export async function recordApproval(
  db: DbOrTrx,
  approval: { taskId: string; planSha: string; actor: Actor; instructions?: string | null },
): Promise<{ approval: ApprovalRecord; created: boolean }> {
  const inserted = await db
    .insertInto("approvals")
    .values({
      task_id: approval.taskId,
      plan_sha: approval.planSha,
      via: approval.actor.via,
      login: approval.actor.login ?? "unknown",
      instructions: approval.instructions ?? null,
    })
    .onConflict((oc) => oc.columns(["task_id", "plan_sha"]).where("voided_at", "is", null).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { approval: toApproval(inserted), created: true };
  const existing = await currentApproval(db, approval.taskId, approval.planSha);
  return { approval: existing!, created: false };
}

/** The standing approval of this plan commit, if any. */
export async function currentApproval(db: DbOrTrx, taskId: string, planSha: string): Promise<ApprovalRecord | undefined> {
  const row = await db
    .selectFrom("approvals")
    .selectAll()
    .where("task_id", "=", taskId)
    .where("plan_sha", "=", planSha)
    .where("voided_at", "is", null)
    .executeTakeFirst();
  return row ? toApproval(row) : undefined;
}

export async function getApproval(db: DbOrTrx, approvalId: string): Promise<ApprovalRecord | undefined> {
  const row = await db.selectFrom("approvals").selectAll().where("id", "=", approvalId).executeTakeFirst();
  return row ? toApproval(row) : undefined;
}

export async function voidApprovals(db: DbOrTrx, taskId: string): Promise<void> {
  await db.updateTable("approvals").set({ voided_at: sql`now()` }).where("task_id", "=", taskId).where("voided_at", "is", null).execute();
}

function toApproval(row: { id: string; task_id: string; plan_sha: string; via: string; login: string; instructions: string | null; created_at: Date; voided_at: Date | null }): ApprovalRecord {
  return {
    id: row.id,
    taskId: row.task_id,
    planSha: row.plan_sha,
    via: row.via,
    login: row.login,
    instructions: row.instructions,
    createdAt: row.created_at,
    voidedAt: row.voided_at,
  };
}
