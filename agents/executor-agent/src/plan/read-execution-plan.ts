import { parsePlan, type ParsedPlan } from "@fixline/core";

/** PLAN.md as the executor reads it: core's parsed plan plus the one permission the executor looks for. */
export interface ExecutionPlan extends ParsedPlan {
  /** The approved plan says the red tests may be changed while fixing (rare; e.g. a fixture that must move). */
  allowsTestChanges: boolean;
}

/**
 * The body of the "Fix steps" section. Core's parsePlan does not return it and its splitSections is not
 * exported, so this reads that one section with the same rules (level-2 heading, not inside a fence, first
 * occurrence wins). To be replaced once @fixline/core exposes the section's text.
 */
function fixStepsText(markdown: string): string {
  const body: string[] = [];
  let inSection = false;
  let fence: string | undefined;
  for (const line of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    }
    const heading = fence === undefined && !fenceMatch ? /^##\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (heading) {
      if (inSection) break;
      inSection = heading[1]!.trim() === "Fix steps";
    } else if (inSection) body.push(line);
  }
  return body.join("\n");
}

export function readExecutionPlan(markdown: string): ExecutionPlan {
  return {
    ...parsePlan(markdown),
    // Deliberately narrow: only an explicit statement in the Fix steps a human approved lifts the rule.
    allowsTestChanges: /\b(the )?(red|failing|new) tests? may be (adjusted|changed|modified)\b/i.test(fixStepsText(markdown)),
  };
}
