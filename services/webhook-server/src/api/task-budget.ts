import { planCostEstimateUsd } from "@fixline/core";
import { currentApproval, executionSpentUsd, listBudgetGrants, type FixlineDb, type TaskRecord } from "@fixline/db";

/** The execution budget as GET /api/tasks/:id shows it (issue 21): the estimate, what was granted, what was spent. */
export interface TaskBudgetJson {
  /** PLAN.md's estimate, which a plain approval grants. */
  estimateUsd: number | null;
  /** Sum of the standing approval's grants; null when none (not approved yet, or approved before budgets). */
  grantedUsd: number | null;
  /** Red and green runs under the standing approval. */
  spentUsd: number;
  grants: Array<{ kind: string; amountUsd: number; login: string; via: string; createdAt: string }>;
}

export async function taskBudgetJson(db: FixlineDb, task: TaskRecord): Promise<TaskBudgetJson> {
  const estimateUsd = planCostEstimateUsd(task.planMarkdown) ?? null;
  const approval = task.planSha ? await currentApproval(db, task.id, task.planSha) : undefined;
  if (!approval) return { estimateUsd, grantedUsd: null, spentUsd: 0, grants: [] };
  const [grants, spentUsd] = await Promise.all([listBudgetGrants(db, approval.id), executionSpentUsd(db, task.id, approval.createdAt)]);
  return {
    estimateUsd,
    grantedUsd: grants.length > 0 ? grants.reduce((sum, g) => sum + g.amountUsd, 0) : null,
    spentUsd,
    grants: grants.map((g) => ({ kind: g.kind, amountUsd: g.amountUsd, login: g.login, via: g.via, createdAt: g.createdAt.toISOString() })),
  };
}
