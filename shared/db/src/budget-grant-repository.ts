import { sql } from "kysely";
import type { Actor } from "@fixline/core";
import type { DbOrTrx } from "./task-repository";

export type BudgetGrantKind = "estimate" | "explicit" | "top_up";

export interface BudgetGrantRecord {
  id: string;
  taskId: string;
  approvalId: string;
  kind: BudgetGrantKind;
  amountUsd: number;
  via: string;
  login: string;
  createdAt: Date;
}

/**
 * One grant of execution money for an approval (issue 21). The approval's own grant (estimate or explicit) is
 * unique per approval, so approving the same plan twice never grants twice; top-ups are written in the
 * transaction of the waiting_budget -> executing transition, so only one copy of a command can add one.
 */
export async function recordBudgetGrant(
  db: DbOrTrx,
  grant: { taskId: string; approvalId: string; kind: BudgetGrantKind; amountUsd: number; actor: Actor },
): Promise<boolean> {
  const inserted = await db
    .insertInto("budget_grants")
    .values({
      task_id: grant.taskId,
      approval_id: grant.approvalId,
      kind: grant.kind,
      amount_usd: grant.amountUsd,
      via: grant.actor.via,
      login: grant.actor.login ?? "unknown",
    })
    .onConflict((oc) => oc.column("approval_id").where("kind", "<>", "top_up").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function listBudgetGrants(db: DbOrTrx, approvalId: string): Promise<BudgetGrantRecord[]> {
  const rows = await db.selectFrom("budget_grants").selectAll().where("approval_id", "=", approvalId).orderBy("created_at").execute();
  return rows.map((r) => ({
    id: r.id,
    taskId: r.task_id,
    approvalId: r.approval_id,
    kind: r.kind,
    amountUsd: Number(r.amount_usd),
    via: r.via,
    login: r.login,
    createdAt: r.created_at,
  }));
}

/** What an approval's execution may spend in all: undefined when nothing was granted (approvals before 0007). */
export async function grantedBudgetUsd(db: DbOrTrx, approvalId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom("budget_grants")
    .select([sql<string>`coalesce(sum(amount_usd), 0)`.as("granted"), sql<string>`count(*)`.as("grants")])
    .where("approval_id", "=", approvalId)
    .executeTakeFirst();
  return Number(row?.grants ?? 0) > 0 ? Number(row!.granted) : undefined;
}

/**
 * What execution under an approval has spent: the red and green runs of the task since the approval. Each
 * agent_runs row is one CLI invocation and `-p --resume` reports only that invocation's cost (see
 * anthropics/claude-code#15418), so summing rows counts a paused and resumed session once.
 */
export async function executionSpentUsd(db: DbOrTrx, taskId: string, approvedAt: Date): Promise<number> {
  const row = await db
    .selectFrom("agent_runs")
    .select(sql<string>`coalesce(sum(cost_usd), 0)`.as("spent"))
    .where("task_id", "=", taskId)
    .where("phase", "in", ["red", "green"])
    .where("started_at", ">=", approvedAt)
    .executeTakeFirst();
  return Number(row?.spent ?? 0);
}
