import { adf, type AdfDoc, type AdfNode } from "../jira/adf";
import { evidenceSummary } from "./evidence-table";
import { formatUsd } from "./format-numbers";
import type { Evidence } from "./render-types";

export interface PlanReadyJiraInput {
  taskId: string;
  rootCause: string;
  affectedFiles: string[];
  /** The failing test the plan will add first. */
  test: { name: string; file?: string; description?: string };
  prUrl: string;
  costUsd: number;
}

export interface CompletedJiraInput {
  taskId: string;
  prUrl: string;
  evidence: Evidence;
}

export interface FailedJiraInput {
  taskId: string;
  code: string;
  message: string;
  hint?: string;
  prUrl?: string;
}

function footer(taskId: string): AdfNode {
  return adf.paragraph(adf.text(`Fixline task ${taskId}`, [{ type: "em" }]));
}

/** "Plan ready" on the Jira issue: the analysis (root cause, affected files, the test) and the PR to approve on. */
export function planReadyJiraComment(input: PlanReadyJiraInput): AdfDoc {
  const test = [adf.code(input.test.name), ...(input.test.file ? [" in ", adf.code(input.test.file)] : []), ...(input.test.description ? [`: ${input.test.description}`] : [])];
  return adf.doc(
    adf.heading(3, "Fixline: plan ready for approval"),
    adf.paragraph(adf.strong("Root cause: "), input.rootCause),
    adf.paragraph(adf.strong("Affected files:")),
    input.affectedFiles.length > 0 ? adf.bulletList(...input.affectedFiles.map((file) => [adf.code(file)])) : adf.paragraph("None listed."),
    adf.paragraph(adf.strong("Test written first: "), ...test),
    adf.paragraph("Review and approve the plan on the pull request: ", adf.link(input.prUrl, input.prUrl), ` (comment @agent approve). Cost so far: ${formatUsd(input.costUsd)}.`),
    footer(input.taskId),
  );
}

export function completedJiraComment(input: CompletedJiraInput): AdfDoc {
  return adf.doc(
    adf.heading(3, "Fixline: fix ready for review"),
    adf.paragraph("A test reproduces the bug and passes with the fix: ", adf.link(input.prUrl, input.prUrl)),
    adf.paragraph(adf.strong("Evidence: "), evidenceSummary(input.evidence) || "see the pull request"),
    footer(input.taskId),
  );
}

export function failedJiraComment(input: FailedJiraInput): AdfDoc {
  return adf.doc(
    adf.heading(3, "Fixline: task failed"),
    adf.paragraph(adf.code(input.code), `: ${input.message}`),
    ...(input.hint ? [adf.paragraph(adf.text(input.hint, [{ type: "em" }]))] : []),
    input.prUrl
      ? adf.paragraph("To retry, comment @agent retry on ", adf.link(input.prUrl, input.prUrl), ".")
      : adf.paragraph(`To retry, use Retry on the task in the Fixline dashboard (task ${input.taskId}).`),
    footer(input.taskId),
  );
}
