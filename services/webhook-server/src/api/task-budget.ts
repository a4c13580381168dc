import { planCostEstimateUsd, type TaskBudgetJson } from "@fixline/core";
import { currentApproval, executionSpentUsd, listBudgetGrants, type FixlineDb, type TaskRecord } from "@fixline/db";

/** The execution budget as GET /api/tasks/:id shows it (issue 21); its shape is the contract's TaskBudget. */
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
