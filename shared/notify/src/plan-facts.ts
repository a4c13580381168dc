import type { TaskRecord } from "@fixline/db";

/**
 * What the planning agent extracted from PLAN.md (stored in the task's `data.plan`), so channels can
 * render the analysis without parsing markdown themselves.
 */
export interface PlanFacts {
  summary: string;
  rootCause: string;
  affectedFiles: string[];
  failingTest: { file?: string | undefined; name?: string | undefined; asserts?: string | undefined };
  testCommand: string | undefined;
}

export function planFactsOf(task: TaskRecord): PlanFacts | undefined {
  const plan = task.data.plan as Partial<PlanFacts> | undefined;
  if (!plan || typeof plan !== "object") return undefined;
  return {
    summary: typeof plan.summary === "string" ? plan.summary : "",
    rootCause: typeof plan.rootCause === "string" ? plan.rootCause : "",
    affectedFiles: Array.isArray(plan.affectedFiles) ? plan.affectedFiles.filter((f): f is string => typeof f === "string") : [],
    failingTest: typeof plan.failingTest === "object" && plan.failingTest !== null ? plan.failingTest : {},
    testCommand: typeof plan.testCommand === "string" ? plan.testCommand : undefined,
  };
}
