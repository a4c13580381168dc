import { parsePlan, type ParsedPlan } from "@fixline/core";

/** PLAN.md as the executor reads it: core's parsed plan plus the one permission the executor looks for. */
export interface ExecutionPlan extends ParsedPlan {
  /** The approved plan says the red tests may be changed while fixing (rare; e.g. a fixture that must move). */
  allowsTestChanges: boolean;
}

export function readExecutionPlan(markdown: string): ExecutionPlan {
  const plan = parsePlan(markdown);
  return {
    ...plan,
    // Deliberately narrow: only an explicit statement in the Fix steps a human approved lifts the rule.
    allowsTestChanges: /\b(the )?(red|failing|new) tests? may be (adjusted|changed|modified)\b/i.test(plan.fixSteps),
  };
}
