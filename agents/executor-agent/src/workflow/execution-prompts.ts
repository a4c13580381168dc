import { fenceUntrusted } from "@fixline/core";
import type { ExecutionPlan } from "../plan/read-execution-plan";

export const executorSkills = ["tdd-workflow", "git-operations", "code-review", "execution"] as const;

interface PromptContext {
  planMarkdown: string;
  plan: ExecutionPlan;
  testCommand: string;
  /** PLAN.md's narrower command, when it is not the whole suite: for the agent's quick checks only. */
  quickCheckCommand?: string | undefined;
  /** Extra instructions given with `@agent approve ...`: a person's words, so fenced as data. */
  instructions: string | null;
}

function quickCheckLine(context: PromptContext): string[] {
  return context.quickCheckCommand ? [`For a quicker check you may also run: ${context.quickCheckCommand} (the harness decides with the whole suite).`] : [];
}

function instructionsBlock(instructions: string | null): string[] {
  return instructions && instructions.trim() !== "" ? ["", "The approver added these notes:", fenceUntrusted("approval instructions", instructions)] : [];
}

/** Red: write the failing test the plan names, and nothing else. */
export function redPrompt(context: PromptContext): string {
  return [
    "You are executing an approved fix plan test-first (skills: tdd-workflow, execution).",
    "",
    "STEP 1 of 2 — RED. Write the failing test described in the plan's \"Failing test to write first\" section,",
    "and nothing else: change only test files. Do not touch the code under test; do not commit.",
    `Run it with: ${context.testCommand}`,
    ...quickCheckLine(context),
    "It must FAIL on the current code, for the reason given in the plan's Root cause, by an assertion about the",
    "wrong behaviour: a test that fails with a TypeError, ReferenceError, import or syntax error, or a timeout does",
    "not count. The harness runs the suite itself and reverts any non-test file you change.",
    "",
    "The approved plan (PLAN.md):",
    fenceUntrusted("PLAN.md", context.planMarkdown),
    ...instructionsBlock(context.instructions),
  ].join("\n");
}

export function redRetryPrompt(reasons: string[], testCommand: string): string {
  return [
    "The harness ran the suite and the red step is NOT proven:",
    ...reasons.map((r) => `- ${r}`),
    "",
    "Write (or correct) a test that reproduces the bug from the plan, so that it FAILS on the current, unfixed code,",
    "and fails by an ASSERTION about the wrong behaviour (assert/expect on the result), not by an error: no calls to",
    "functions or modules that do not exist yet, no syntax or import errors, no timeouts.",
    `Change only test files. Check it with: ${testCommand}`,
  ].join("\n");
}

/** Green: implement the fix; the red tests stay exactly as they are. */
export function greenPrompt(context: PromptContext & { redTests: string[]; redTestFiles: string[] }): string {
  return [
    "STEP 2 of 2 — GREEN. The harness proved these tests fail on the unfixed code:",
    ...context.redTests.map((t) => `- ${t}`),
    "",
    "Now implement the fix from the plan's \"Fix steps\" so the whole suite passes. Rules:",
    `- Do not modify or delete these test files: ${context.redTestFiles.join(", ")}.`,
    "- Stay within the plan's Affected files.",
    `- Run the suite with: ${context.testCommand}`,
    ...quickCheckLine(context).map((line) => `- ${line}`),
    "- Do not commit; the harness verifies and commits.",
    "The harness checks the result itself (the full suite, reruns for flakiness); what you report is not evidence.",
    "",
    "The approved plan (PLAN.md):",
    fenceUntrusted("PLAN.md", context.planMarkdown),
    ...instructionsBlock(context.instructions),
  ].join("\n");
}
