import type { TaskRecord } from "@fixline/db";
import type { FailedDetails } from "@fixline/queue";
import { failureOf } from "./event-text";

/**
 * The one pull-request comment for a failed execution (issue 15: the executor no longer posts its own): the
 * code, reason and hint, the deciding output, what is proven and on the branch, where the unverified work is
 * kept, what the harness took back from the agent, and how to retry.
 */
export function failureComment(task: TaskRecord, facts: FailedDetails): string {
  const failure = failureOf(task, facts);
  const proven = facts.lastProvenPhase === "red" ? "red (the failing test is committed)" : facts.lastProvenPhase === "green" ? "green" : "none yet";
  const branch = facts.branch ?? task.branch ?? "the branch";
  const output = facts.output?.trim()
    ? ["", "<details><summary>Test output (excerpt)</summary>", "", "```text", facts.output.replace(/```/g, "``\u200b`"), "```", "", "</details>"]
    : [];
  const code = (text: string) => `\`${text.replace(/`/g, "")}\``;
  return [
    `❌ **Fixline could not finish this fix: ${code(failure.code)}**`,
    "",
    failure.message.replace(/\r/g, ""),
    ...(failure.hint ? ["", `_${failure.hint}_`] : []),
    ...output,
    "",
    `Only proven commits are on ${code(branch)}. Last proven phase: ${proven}.`,
    ...(facts.wipRef
      ? ["", `The unverified work is kept in ${code(facts.wipRef)}${facts.wipCommit ? ` at ${facts.wipCommit}` : ""} (not on this pull request); \`@agent retry\` continues from it.`]
      : []),
    ...(facts.redProof ? ["", `Red proof: ${code(facts.redProof.command)} failed with ${facts.redProof.failingTests.map(code).join(", ")}.`] : []),
    ...(facts.findings?.length ? ["", "Taken back from the agent:", ...facts.findings.map((f) => `- ${f.replace(/\r?\n/g, " ")}`)] : []),
    "",
    "Comment `@agent retry` to resume from the last proven phase, or `@agent reject <feedback>` to re-plan.",
  ].join("\n");
}
