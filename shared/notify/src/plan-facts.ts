import type { PlanFacts } from "@fixline/core";
import type { TaskRecord } from "@fixline/db";

export type { PlanFacts };

/** What the planning agent extracted from PLAN.md (the task's `data.plan`, typed by @fixline/core's planFactsSchema). */
export function planFactsOf(task: TaskRecord): PlanFacts | undefined {
  return task.data.plan;
}
