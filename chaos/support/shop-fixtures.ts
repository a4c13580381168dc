import { shopFixedSource, shopPlan, shopRedTest, type FakeClaudeRun, type FakeClaudeScenario, type FakeClaudeStep } from "@fixline/testing";

/**
 * The fake Claude for a whole flow on the shop sample: planning writes PLAN.md, red writes the failing test,
 * green the fix. `thinkMs` keeps each run alive for a while first, so chaos has a Claude process to hit.
 */
export function shopScenario(thinkMs: number): FakeClaudeScenario {
  const think: FakeClaudeStep[] = thinkMs > 0 ? [{ type: "text", text: "Reading the code" }, { type: "sleep", ms: thinkMs }] : [];
  const red: FakeClaudeStep[] = [...think, { type: "write", path: "test/total.test.js", content: shopRedTest }, { type: "result", result: "The new test fails.", costUsd: 0.05 }];
  const runs: FakeClaudeRun[] = [
    { match: "STEP 1 of 2", steps: red },
    { match: "red step is NOT proven", steps: red },
    { match: "STEP 2 of 2", steps: [...think, { type: "write", path: "src/cart/total.js", content: shopFixedSource }, { type: "result", result: "Fixed.", costUsd: 0.05 }] },
    { steps: [...think, { type: "write", path: "PLAN.md", content: shopPlan() }, { type: "result", result: "Plan written.", costUsd: 0.1 }] },
  ];
  return { runs };
}
