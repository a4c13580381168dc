import { splitSections } from "./split-sections";
import type { ParsedPlan } from "./parse-plan";

/** The PLAN.md section Fixline (never the agent) writes with the execution estimate (issue 21). */
export const costEstimateHeading = "Cost estimate";

/**
 * How the execution estimate is made, written down because approving grants it as a budget (issue 21):
 *
 *   estimate = planning cost × 2  +  $0.25 × (affected files + fix steps),  at least $1, rounded up to $0.50
 *
 * Why: the red and the green run each read roughly what planning read to understand the bug (so twice the
 * planning cost), and every file to change or step to take adds edits and test runs on top. The floor keeps a
 * cheap plan from being approved with a budget too small for one useful run. The caps in FIXLINE_CONFIG
 * (per task, per repository per day) still bound every run whatever is granted.
 */
export const costEstimateMethod = {
  planningMultiplier: 2,
  perPlanItemUsd: 0.25,
  minimumUsd: 1,
  roundToUsd: 0.5,
} as const;

export interface CostEstimate {
  usd: number;
  planningCostUsd: number;
  affectedFiles: number;
  fixSteps: number;
}

/** Numbered or bulleted lines of the Fix steps section; a prose section counts as one step. */
function countFixSteps(fixSteps: string): number {
  const steps = fixSteps.split("\n").filter((line) => /^\s*(?:[-*+]|\d+[.)])\s+\S/.test(line)).length;
  return steps > 0 ? steps : fixSteps.trim() === "" ? 0 : 1;
}

export function estimateExecutionCost(input: { planningCostUsd: number; plan: Pick<ParsedPlan, "affectedFiles" | "fixSteps"> }): CostEstimate {
  const { planningMultiplier, perPlanItemUsd, minimumUsd, roundToUsd } = costEstimateMethod;
  const planningCostUsd = Math.max(0, input.planningCostUsd);
  const affectedFiles = input.plan.affectedFiles.length;
  const fixSteps = countFixSteps(input.plan.fixSteps);
  const raw = planningCostUsd * planningMultiplier + perPlanItemUsd * (affectedFiles + fixSteps);
  const usd = Math.max(minimumUsd, Math.ceil(Number((raw / roundToUsd).toFixed(6))) * roundToUsd);
  return { usd, planningCostUsd, affectedFiles, fixSteps };
}

const marker = /<!--\s*fixline:cost-estimate\s+usd=([0-9]+(?:\.[0-9]+)?)\s*-->/;

/** Dollars as PLAN.md, PR comments and Slack show them. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

export function renderCostEstimate(estimate: CostEstimate): string {
  const { planningMultiplier, perPlanItemUsd, minimumUsd, roundToUsd } = costEstimateMethod;
  return [
    `<!-- fixline:cost-estimate usd=${estimate.usd.toFixed(2)} -->`,
    `Estimated execution cost: **${formatUsd(estimate.usd)}**.`,
    "",
    `Method: planning cost ${formatUsd(estimate.planningCostUsd)} × ${planningMultiplier} + ${formatUsd(perPlanItemUsd)} × ${estimate.affectedFiles + estimate.fixSteps} plan items ` +
      `(${estimate.affectedFiles} affected files, ${estimate.fixSteps} fix steps), at least ${formatUsd(minimumUsd)}, rounded up to ${formatUsd(roundToUsd)}.`,
    "",
    "`@agent approve` grants this as the execution budget; `@agent approve budget=$8` grants another amount. " +
      "At 80% spent the task pauses and asks; `@agent approve budget=+$5` adds to it. The per-task and per-day caps in FIXLINE_CONFIG still apply.",
  ].join("\n");
}

/**
 * PLAN.md with Fixline's estimate as its last section. Whatever the agent wrote under that heading or as a
 * marker is dropped first: the estimate is granted as money, so only Fixline may write it.
 */
export function withCostEstimate(markdown: string, estimate: CostEstimate): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) skipping = heading[1]!.trim() === costEstimateHeading;
    if (!skipping) kept.push(line);
  }
  const cleaned = kept.join("\n").replace(new RegExp(marker.source, "g"), "").trimEnd();
  return `${cleaned}\n\n## ${costEstimateHeading}\n\n${renderCostEstimate(estimate)}\n`;
}

/** The estimate Fixline wrote into PLAN.md, or undefined for a plan without one (older plans). */
export function planCostEstimateUsd(markdown: string | null | undefined): number | undefined {
  if (!markdown) return undefined;
  const section = splitSections(markdown).get(costEstimateHeading);
  const usd = section ? marker.exec(section)?.[1] : undefined;
  return usd === undefined ? undefined : Number(usd);
}
