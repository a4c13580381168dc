import type { Actor } from "@fixline/core";
import type { JobRequest } from "@fixline/queue";
import type { FixlineDb } from "./create-db";
import { recordApproval, type ApprovalRecord } from "./approval-repository";
import { recordBudgetGrant, type BudgetGrantKind } from "./budget-grant-repository";
import type { TaskRecord } from "./task-repository";
import { transitionWith } from "./transition";

export interface ApprovePlanRequest {
  taskId: string;
  /** The PLAN.md commit being approved; the approval is bound to it. */
  planSha: string;
  actor: Actor;
  instructions?: string | null;
  /** The jobs the approval starts; they need the approval's id (execution runs under it). */
  jobs: (approvalId: string) => readonly JobRequest[];
  /** The execution budget the approval grants (issue 21), recorded with it: once per approval, whatever is redelivered. */
  grant?: { kind: BudgetGrantKind; amountUsd: number };
}

/**
 * Records the approval and moves the task awaiting_approval -> approved in one transaction (issue 18).
 * Before, the approval was committed first and the transition ran after it: an approve that lost a race (to a
 * reject, say) still left a standing approval of that plan, and `retry` resumes at execution whenever the current
 * plan has one. Now either both are written or neither is. Approving the same plan twice still finds the standing approval.
 */
export async function approvePlan(db: FixlineDb, request: ApprovePlanRequest): Promise<{ task: TaskRecord; approval: ApprovalRecord }> {
  const { taskId, planSha, actor } = request;
  const instructions = request.instructions ?? null;
  const { task, value } = await transitionWith(db, { taskId, expected: "awaiting_approval", event: { type: "approve", planSha }, actor }, async (trx) => {
    const { approval } = await recordApproval(trx, { taskId, planSha, actor, instructions });
    const { grant } = request;
    if (grant) await recordBudgetGrant(trx, { taskId, approvalId: approval.id, ...grant, actor });
    return {
      value: approval,
      data: { approvalId: approval.id, ...(instructions ? { instructions } : {}), ...(grant ? { budgetUsd: grant.amountUsd, budgetFrom: grant.kind } : {}) },
      jobs: request.jobs(approval.id),
    };
  });
  return { task, approval: value };
}
