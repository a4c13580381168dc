import { renderEvidenceTable } from "@fixline/integrations";
import type { ExecutionEvidence } from "./build-evidence";

const code = (text: string) => `\`${text.replace(/`/g, "")}\``;

/** How the suite was run: the environment the reviewer would need to reproduce the evidence. */
function environmentNote(environment: ExecutionEvidence["environment"]): string {
  const setup = environment.setupCommands.length > 0 ? `setup ${environment.setupCommands.map(code).join(" then ")}` : "no setup";
  const timing =
    environment.setupMs !== undefined && environment.setupCommands.length > 0
      ? ` in ${(environment.setupMs / 1000).toFixed(1)}s${environment.cacheHit === undefined ? "" : ` (dependency cache ${environment.cacheHit ? "hit" : "miss"})`}`
      : "";
  const from = environment.detected.evidence.length > 0 ? ` From: ${environment.detected.evidence.join("; ")}.` : "";
  return `Environment ${code(environment.detected.kind)}: ${setup}${timing}; test command ${code(environment.testCommand)}.${from}`;
}

/**
 * The PR section: the renderer's table (which has no environment slot) plus the facts a reviewer asks about
 * next, as lines under it.
 */
export function renderEvidenceSection(evidence: ExecutionEvidence): string {
  const notes: string[] = [environmentNote(evidence.environment)];
  const runs = evidence.testRuns;
  if (runs) {
    // Which runs were targeted (issue 19): a reviewer sees what each verdict rests on.
    const parts = [runs.base && `base ${runs.base}`, runs.red && `red ${runs.red}`, runs.green && `green ${runs.green}`, runs.reruns && `reruns ${runs.reruns}`].filter(Boolean);
    if (parts.length > 0) notes.push(`Test runs: ${parts.join("; ")}.`);
  }
  if (evidence.baseline.preExistingFailures.length > 0) {
    notes.push(`Already failing before the change (excluded from the regression check): ${evidence.baseline.preExistingFailures.map(code).join(", ")}.`);
  }
  if (evidence.revertedInRed?.length) notes.push(`Non-test files changed while writing the test were reverted: ${evidence.revertedInRed.join(", ")}.`);
  if (evidence.scope?.outside.length) notes.push(`⚠️ Outside the plan's Affected files: ${evidence.scope.outside.join(", ")}.`);
  // The agent's commits never reach the branch; a reviewer should still know it tried (issue 15).
  for (const finding of evidence.agentFindings ?? []) notes.push(`⚠️ Taken back from the agent: ${finding}.`);
  return [renderEvidenceTable(evidence), "", ...notes.map((n) => `- ${n}`)].join("\n");
}
