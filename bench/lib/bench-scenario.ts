import { shopFixedSource, shopPlan, shopRedTest, type FakeClaudeScenario } from "@fixline/testing";

/** Task titles containing this marker make the planning run crash (CLAUDE_CRASHED), for failure traffic. */
export const crashMarker = "BENCH-CRASH";
/** Task titles containing this marker make the planning run end on its budget (BUDGET_EXHAUSTED). */
export const budgetMarker = "BENCH-BUDGET";

/**
 * An instant agent: every run is a few file writes and a result line, no sleeps, so what a task costs
 * beyond the fake's own (recorded) run time is Fixline's orchestration. Runs are picked by prompt, never
 * by order, because several processes share the scenario.
 */
export function instantScenario(testCommand: string): FakeClaudeScenario {
  return {
    runs: [
      { match: "STEP 1 of 2", steps: [{ type: "write", path: "test/total.test.js", content: shopRedTest }, { type: "result", result: "The new test fails as expected.", costUsd: 0.04 }] },
      { match: "red step is NOT proven", steps: [{ type: "write", path: "test/total.test.js", content: shopRedTest }, { type: "result", result: "Test rewritten.", costUsd: 0.02 }] },
      { match: "STEP 2 of 2", steps: [{ type: "write", path: "src/cart/total.js", content: shopFixedSource }, { type: "result", result: "All tests pass.", costUsd: 0.06 }] },
      { match: crashMarker, steps: [{ type: "text", text: "starting" }, { type: "stderr", text: "TypeError: cannot read properties of undefined" }, { type: "exit", code: 1 }] },
      { match: budgetMarker, steps: [{ type: "text", text: "working" }, { type: "result", subtype: "error_max_budget_usd", costUsd: 0.5, errors: ["Reached maximum budget ($0.5)"] }] },
      // Everything else is a planning run.
      { steps: [{ type: "text", text: "Reading src/cart/total.js" }, { type: "write", path: "PLAN.md", content: shopPlan({ testCommand }) }, { type: "result", result: "Plan written.", costUsd: 0.12 }] },
    ],
  };
}
