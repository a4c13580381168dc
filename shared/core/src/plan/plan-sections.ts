/**
 * The level-2 headings PLAN.md must have, in this order, exactly as skills/plan-changes/SKILL.md defines
 * them. The executor reads the same sections, so this list and the skill change together.
 */
export const requiredPlanSections = [
  "Summary",
  "Root cause",
  "Affected files",
  "Failing test to write first",
  "Fix steps",
  "Risks",
  "Test command",
] as const;

export type PlanSection = (typeof requiredPlanSections)[number];

/** PLAN.md's file name at the repository root; the only file a planning run may write. */
export const planFile = "PLAN.md";
