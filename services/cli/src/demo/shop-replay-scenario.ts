import { shopFixedSource, shopPlan, shopRedTest, type FakeClaudeScenario, type FakeClaudeStep } from "@fixline/testing";

/**
 * The replay agent: what a careful Claude run does on the shop sample's real bug (computeTotal throws on a
 * cart line whose product was removed), played back by the fake CLI. Every step really happens in the
 * worktree (files written, the suite run), so the harness's red/green proof is genuine; only the model is
 * replaced. The plan, test and fix themselves live beside the sample in @fixline/testing. Costs are scripted so the demo and the metrics tests can check they are counted once.
 */

export const replayCosts = { planning: 0.21, replanning: 0.17, red: 0.34, green: 0.29 } as const;

function planningSteps(plan: string, costUsd: number): FakeClaudeStep[] {
  return [
    { type: "text", text: "Reading the Sentry stack trace: computeTotal (src/cart/total.js:8)." },
    { type: "bash", command: "git log --oneline -5" },
    { type: "text", text: "Lines whose product was removed keep product undefined; computeTotal reads item.product.price." },
    { type: "write", path: "PLAN.md", content: plan },
    { type: "result", result: "PLAN.md written.", costUsd, numTurns: 6, usage: { input: 5_200, output: 900, cacheRead: 12_000 } },
  ];
}

export interface ShopReplayOptions {
  /** What a re-plan (after `@agent reject <feedback>`) proposes instead. */
  replanFix?: string;
}

/**
 * Plan, re-plan, red and green for the shop bug, each run picked by its prompt (see the agents' prompts:
 * "This is a re-plan", "STEP 1 of 2", "red step is NOT proven", "STEP 2 of 2"); the plan run is the default.
 */
export function shopReplayScenario(options: ShopReplayOptions = {}): FakeClaudeScenario {
  const red: FakeClaudeStep[] = [
    { type: "text", text: "Writing the failing test: skips lines whose product was removed." },
    { type: "write", path: "test/total.test.js", content: shopRedTest },
    { type: "bash", command: "node --test" },
    { type: "result", result: "The new test fails with the TypeError from Sentry.", costUsd: replayCosts.red, numTurns: 5, usage: { input: 6_100, output: 700 } },
  ];
  return {
    runs: [
      { match: "This is a re-plan", steps: planningSteps(shopPlan({ fix: options.replanFix ?? "treat a removed product as price 0" }), replayCosts.replanning) },
      { match: "STEP 1 of 2", steps: red },
      { match: "red step is NOT proven", steps: red },
      {
        match: "STEP 2 of 2",
        steps: [
          { type: "text", text: "Guarding computeTotal against lines without a product." },
          { type: "write", path: "src/cart/total.js", content: shopFixedSource },
          { type: "bash", command: "node --test" },
          { type: "result", result: "All tests pass.", costUsd: replayCosts.green, numTurns: 4, usage: { input: 4_800, output: 500 } },
        ],
      },
      { steps: planningSteps(shopPlan(), replayCosts.planning) },
    ],
  };
}
