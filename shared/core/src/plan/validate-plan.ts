import { requiredPlanSections } from "./plan-sections";
import { splitSections } from "./split-sections";

export interface PlanValidation {
  ok: boolean;
  /** Required headings that are absent or have nothing under them. */
  missing: string[];
  /** Other defects a repair run should fix (sections out of order, no path in Affected files...). */
  problems: string[];
  /** Every level-2 section found, heading -> body. */
  sections: Record<string, string>;
}

/**
 * Checks PLAN.md against the plan-changes skill: each required `## ` heading present, spelled exactly,
 * non-empty and in order; Affected files naming at least one path in backticks; Test command giving a
 * command. The result lists what is wrong in words the repair prompt can quote.
 */
export function validatePlan(markdown: string | null | undefined): PlanValidation {
  const sections = splitSections(markdown ?? "");
  const missing = requiredPlanSections.filter((name) => !(sections.get(name) ?? "").trim());
  const problems: string[] = [];
  const order = [...sections.keys()].filter((name) => (requiredPlanSections as readonly string[]).includes(name));
  const expectedOrder = requiredPlanSections.filter((name) => order.includes(name));
  if (order.join("\n") !== expectedOrder.join("\n")) problems.push(`sections are out of order; use: ${requiredPlanSections.join(", ")}`);
  const files = sections.get("Affected files");
  if (files && !/^\s*[-*]\s+.*`[^`\n]+`/m.test(files)) problems.push("Affected files must list each path as a bullet with the path in backticks");
  const command = sections.get("Test command");
  if (command && !/\S/.test(command.replace(/`/g, ""))) problems.push("Test command must contain the command in a fenced code block");
  return { ok: missing.length === 0 && problems.length === 0, missing, problems, sections: Object.fromEntries(sections) };
}
