import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask, listAgentRuns, listBudgetGrants, listTaskEvents } from "@fixline/db";
import { shopFixedSource, shopRedTest, waitFor, type FakeClaudeScenario, type FakeClaudeStep } from "@fixline/testing";
import { demoNames, sendGitHubComment, sendSentryEventAlert, shopReplayScenario } from "../services/cli/src/demo/index";
import { startInProcessFixline, type InProcessFixline } from "./support/in-process-fixline";

/**
 * Issue 21 item 3, end to end with every role in one process: the fake CLI charges $0.15 a turn and enforces
 * --max-budget-usd; GitHub and Slack are the fakes. A plan approved with `budget=$1` spends $0.90 on red,
 * which is past 80%: the task pauses in waiting_budget and asks once on the PR and once in Slack. A reader's
 * grant is refused, a writer's `budget=+$5` resumes at green from the red session, and its redelivery adds
 * nothing.
 */
const costPerTurnUsd = 0.15;

/** The shop replay, with red and green billed per turn: red takes 6 turns ($0.90), green 2 ($0.30). */
function budgetScenario(): FakeClaudeScenario {
  const replay = shopReplayScenario();
  const red: FakeClaudeStep[] = [
    { type: "text", text: "Reading the stack trace again." },
    { type: "write", path: "test/total.test.js", content: shopRedTest },
    { type: "bash", command: "node --test" },
    { type: "text", text: "The new test fails with the TypeError." },
    { type: "text", text: "Checking the assertion message." },
    { type: "text", text: "Red is ready." },
    { type: "result", result: "The new test fails with the TypeError from Sentry." },
  ];
  const green: FakeClaudeStep[] = [
    { type: "write", path: "src/cart/total.js", content: shopFixedSource },
    { type: "bash", command: "node --test" },
    { type: "result", result: "All tests pass." },
  ];
  return {
    runs: replay.runs.map((run) => {
      if (run.match === "STEP 1 of 2" || run.match === "red step is NOT proven") return { ...run, costPerTurnUsd, steps: red };
      if (run.match === "STEP 2 of 2") return { ...run, costPerTurnUsd, steps: green };
      return run;
    }),
  };
}

let h: InProcessFixline;

beforeAll(async () => {
  h = await startInProcessFixline({ scenario: budgetScenario() });
  h.env.github.setRole(demoNames.repo, "onlooker", "read");
});

afterAll(async () => {
  await h?.close();
});

const question = /Continue with \+\$5\?/;

describe("a budget bound to the approved plan", () => {
  it("pauses at 80% of the grant, asks once on the PR and in Slack, refuses a reader, and resumes from the checkpoint on a writer's +$5 (once)", async () => {
    const alert = await sendSentryEventAlert(h.target);
    const taskId = (alert.body as { taskId: string }).taskId;
    const planned = await h.waitForState(taskId, "awaiting_approval", 90_000);
    // PLAN.md carries Fixline's estimate, with its method.
    expect(planned.planMarkdown).toMatch(/## Cost estimate\n\n<!-- fixline:cost-estimate usd=\d+\.\d\d -->/);
    expect(planned.planMarkdown).toContain("planning cost $0.21 × 2");

    const approve = await sendGitHubComment(h.target, { prNumber: planned.prNumber!, body: "@agent approve budget=$1" });
    expect(approve.body).toMatchObject({ outcome: "command_applied" });
    const paused = await h.waitForState(taskId, "waiting_budget", 90_000);
    const prComments = () => h.env.github.state.comments.filter((c) => c.repo === demoNames.repo && c.issueNumber === paused.prNumber);
    const slackQuestions = () => h.env.slack.state.messages.filter((m) => question.test(m.text ?? ""));
    await waitFor(async () => prComments().some((c) => question.test(c.body)) && slackQuestions().length > 0, { what: "the budget question on the PR and in Slack" });

    // Red ran once under the $1 grant; green never started: $0.90 is past 80% of $1.
    const calls = h.env.agent.kind === "replay" ? await h.env.agent.fake.calls() : [];
    const redCalls = calls.filter((call) => call.prompt.includes("STEP 1 of 2"));
    expect(redCalls).toHaveLength(1);
    expect(redCalls[0]!.argv.join(" ")).toContain("--max-budget-usd 1");
    expect(calls.filter((call) => call.prompt.includes("STEP 2 of 2"))).toHaveLength(0);
    expect(paused.data.lastProvenPhase).toBe("red");

    // A reader cannot grant money; nothing moves, no second question.
    const refused = await sendGitHubComment(h.target, { prNumber: paused.prNumber!, body: "@agent approve budget=+$5", login: "onlooker" });
    expect(refused.body).toMatchObject({ outcome: "command_refused" });
    expect((await getTask(h.fixline.db, taskId))!.state).toBe("waiting_budget");

    // A writer adds $5; the same comment redelivered under a fresh delivery id adds nothing.
    const commentId = 777_000_001;
    const granted = await sendGitHubComment(h.target, { prNumber: paused.prNumber!, body: "@agent approve budget=+$5", commentId });
    expect(granted.body).toMatchObject({ outcome: "command_applied" });
    const again = await sendGitHubComment(h.target, { prNumber: paused.prNumber!, body: "@agent approve budget=+$5", commentId });
    expect(again.body).toMatchObject({ outcome: "duplicate" });

    const done = await h.waitForState(taskId, "completed", 90_000);
    const approval = await h.fixline.db.selectFrom("approvals").select("id").where("task_id", "=", taskId).executeTakeFirstOrThrow();
    const grants = await listBudgetGrants(h.fixline.db, approval.id);
    expect(grants.map((g) => [g.kind, g.amountUsd, g.login])).toEqual([
      ["explicit", 1, demoNames.maintainer],
      ["top_up", 5, demoNames.maintainer],
    ]);

    // Resumed from the checkpoint: red was not run again, green resumed the red session.
    const after = h.env.agent.kind === "replay" ? await h.env.agent.fake.calls() : [];
    expect(after.filter((call) => call.prompt.includes("STEP 1 of 2"))).toHaveLength(1);
    const greenCalls = after.filter((call) => call.prompt.includes("STEP 2 of 2"));
    expect(greenCalls).toHaveLength(1);
    expect(greenCalls[0]!.argv).toContain("--resume");

    // Exactly one question each, on the PR and in Slack, for the one pause.
    expect(prComments().filter((c) => question.test(c.body))).toHaveLength(1);
    expect(slackQuestions()).toHaveLength(1);
    expect(slackQuestions()[0]!.text).toContain("$0.90 of the $1.00 execution budget");

    // Each run billed once; execution never spent more than granted plus one turn.
    const runs = await listAgentRuns(h.fixline.db, taskId);
    const execution = runs.filter((r) => r.phase === "red" || r.phase === "green");
    expect(execution.map((r) => [r.phase, r.costUsd])).toEqual([
      ["red", 0.9],
      ["green", 0.3],
    ]);
    const spent = execution.reduce((sum, r) => sum + r.costUsd, 0);
    expect(spent).toBeLessThanOrEqual(1 + 5 + costPerTurnUsd);
    expect(done.costUsd).toBeCloseTo(runs.reduce((sum, r) => sum + r.costUsd, 0), 6);

    const states = await h.states(taskId);
    expect(states.filter((s) => s === "waiting_budget")).toHaveLength(1);
    expect(states.slice(-3)).toEqual(["waiting_budget", "executing", "completed"]);
    const events = await listTaskEvents(h.fixline.db, taskId);
    expect(events.filter((e) => e.type === "command_refused")).toHaveLength(1);
  }, 240_000);
});
