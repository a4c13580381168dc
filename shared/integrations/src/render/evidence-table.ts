import { codeSpan, fencedBlock, tableCell } from "./escape-markdown";
import { formatCount, formatDuration, formatUsd } from "./format-numbers";
import type { Evidence, GreenEvidence, RedEvidence } from "./render-types";

function redResult(red: RedEvidence): string {
  const exit = red.exitCode === null ? "killed" : `exit ${red.exitCode}`;
  const count = red.failingTests.length;
  const names = red.failingTests.slice(0, 5).map(codeSpan).join(", ");
  const more = count > 5 ? ` and ${count - 5} more` : "";
  const failing = count === 0 ? "no failing test names reported" : `${count} failing: ${names}${more}`;
  const duration = red.durationMs === undefined ? "" : ` · ${formatDuration(red.durationMs)}`;
  return `${exit}, ${failing}${duration}`;
}

function greenResult(green: GreenEvidence): string {
  const reruns = green.reruns === 1 ? "1 rerun" : `${green.reruns} reruns`;
  return `${formatCount(green.passed)} passed, ${formatCount(green.failed)} failed, ${formatCount(green.skipped)} skipped · ${reruns} · ${formatDuration(green.durationMs)}`;
}

function usageTable(evidence: Evidence): string[] {
  if (evidence.usage.length === 0) return [];
  const rows = evidence.usage.map(
    (u) => `| ${tableCell(u.phase)} | ${formatCount(u.turns)} | ${formatCount(u.inputTokens)} | ${formatCount(u.outputTokens)} | ${formatUsd(u.costUsd)} |`,
  );
  const total = evidence.usage.reduce(
    (sum, u) => ({ turns: sum.turns + u.turns, input: sum.input + u.inputTokens, output: sum.output + u.outputTokens, cost: sum.cost + u.costUsd }),
    { turns: 0, input: 0, output: 0, cost: 0 },
  );
  return [
    "",
    "| Phase | Turns | Input tokens | Output tokens | Cost |",
    "|---|---:|---:|---:|---:|",
    ...rows,
    `| **Total** | ${formatCount(total.turns)} | ${formatCount(total.input)} | ${formatCount(total.output)} | ${formatUsd(total.cost)} |`,
  ];
}

/**
 * The evidence section of the PR body and completion comment: the red run (the new test failed before the
 * fix), the green run (the suite passed after it), and what each Claude phase cost.
 */
export function renderEvidenceTable(evidence: Evidence): string {
  const lines = ["### Evidence", ""];
  if (evidence.red || evidence.green) {
    lines.push("| Step | Command | Result |", "|---|---|---|");
    if (evidence.red) lines.push(`| 🔴 Red: new test on the unfixed code | ${tableCell(codeSpan(evidence.red.command))} | ${tableCell(redResult(evidence.red))} |`);
    if (evidence.green) lines.push(`| 🟢 Green: full suite with the fix | ${tableCell(codeSpan(evidence.green.command))} | ${tableCell(greenResult(evidence.green))} |`);
  } else {
    lines.push("No test runs yet.");
  }
  if (evidence.red && evidence.red.outputExcerpt.trim() !== "") {
    lines.push("", "<details><summary>Red run output (excerpt)</summary>", "", fencedBlock(evidence.red.outputExcerpt), "", "</details>");
  }
  lines.push(...usageTable(evidence));
  return lines.join("\n");
}

/** One line for Slack and Jira: "red: 1 failing test · green: 42 passed, 0 failed · $1.23". */
export function evidenceSummary(evidence: Evidence): string {
  const parts: string[] = [];
  if (evidence.red) parts.push(`red: ${evidence.red.failingTests.length} failing test${evidence.red.failingTests.length === 1 ? "" : "s"} before the fix`);
  if (evidence.green) parts.push(`green: ${evidence.green.passed} passed, ${evidence.green.failed} failed after the fix`);
  const cost = evidence.usage.reduce((sum, u) => sum + u.costUsd, 0);
  if (evidence.usage.length > 0) parts.push(`cost ${formatUsd(cost)}`);
  return parts.join(" · ");
}
