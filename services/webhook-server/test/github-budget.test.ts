import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentApproval, getTask, listBudgetGrants, transition, updateTaskFields } from "@fixline/db";
import { fixture, githubHeaders, startTestApp, type TestApp } from "./support/test-app";

/**
 * Issue 21: budget grants through `@agent approve budget=…` obey the approval's rules (writers only, bound to
 * the plan, once per comment), and only a task waiting for budget can be topped up, once per pause.
 */
const repo = "Codertocat/Hello-World";
const planSha = "b".repeat(40);
const planWithEstimate = "## Summary\n\nFix it.\n\n## Cost estimate\n\n<!-- fixline:cost-estimate usd=2.50 -->\nEstimated execution cost: **$2.50**.\n";

describe("budget grants on PR comments", () => {
  let t: TestApp;
  beforeAll(async () => {
    const roles: Record<string, "admin" | "write" | "read"> = { "octo-writer": "write", "octo-reader": "read", "octo-admin": "admin" };
    t = await startTestApp({ checkPermission: async (_r, login) => roles[login] ?? "none" });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (payload: unknown, delivery = randomUUID()) => {
    const body = JSON.stringify(payload);
    return t.app.inject({ method: "POST", url: "/webhooks/github", payload: body, headers: githubHeaders(body, "issue_comment", delivery) });
  };

  function comment(prNumber: number, login: string, body: string, commentId = Math.floor(Math.random() * 1e9)) {
    const payload = JSON.parse(fixture("github-issue_comment-on-pr.json").toString("utf8")) as {
      issue: { number: number };
      comment: { body: string; id: number; user: { login: string }; created_at: string };
      sender: { login: string };
    };
    payload.issue.number = prNumber;
    payload.comment.body = body;
    payload.comment.id = commentId;
    payload.comment.created_at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    payload.comment.user.login = login;
    payload.sender.login = login;
    return payload;
  }

  async function taskAwaitingApproval(prNumber: number): Promise<string> {
    const issue = { action: "labeled", label: { name: "claude" }, issue: { number: prNumber + 5000, title: `Bug ${prNumber}`, body: "x", labels: [{ name: "claude" }], user: { login: "r" } }, repository: { full_name: repo }, sender: { login: "r" } };
    const body = JSON.stringify(issue);
    const res = await t.app.inject({ method: "POST", url: "/webhooks/github", payload: body, headers: githubHeaders(body, "issues", randomUUID()) });
    const taskId = res.json<{ taskId: string }>().taskId;
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "plan_started" } });
    await updateTaskFields(t.deps.db, taskId, { planMarkdown: planWithEstimate });
    await transition(t.deps.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha, prNumber } });
    return taskId;
  }

  /** Approved by octo-writer with `approval`, then paused by the executor at 80%. */
  async function taskWaitingForBudget(prNumber: number, approval = "@agent approve budget=$1"): Promise<string> {
    const taskId = await taskAwaitingApproval(prNumber);
    expect((await post(comment(prNumber, "octo-writer", approval))).json()).toMatchObject({ outcome: "command_applied" });
    await transition(t.deps.db, { taskId, expected: "approved", event: { type: "execution_started" } });
    await transition(t.deps.db, { taskId, expected: "executing", event: { type: "budget_exhausted", grantedUsd: 1, spentUsd: 0.9 } });
    return taskId;
  }

  const grantsOf = async (taskId: string) => {
    const approval = await currentApproval(t.deps.db, taskId, planSha);
    return approval ? (await listBudgetGrants(t.deps.db, approval.id)).map((g) => [g.kind, g.amountUsd, g.login]) : [];
  };
  const executionJobs = async (taskId: string) =>
    (await t.deps.db.selectFrom("outbox").select(["queue", "data"]).execute()).filter((j) => j.queue === "execution" && (j.data as { taskId: string }).taskId === taskId).length;

  it("a plain approval grants PLAN.md's estimate; budget=$8 grants $8; budget=+$2 the estimate plus $2", async () => {
    const plain = await taskAwaitingApproval(101);
    await post(comment(101, "octo-writer", "@agent approve"));
    expect(await grantsOf(plain)).toEqual([["estimate", 2.5, "octo-writer"]]);
    const explicit = await taskAwaitingApproval(102);
    await post(comment(102, "octo-admin", "@agent approve budget=$8 keep the API"));
    expect(await grantsOf(explicit)).toEqual([["explicit", 8, "octo-admin"]]);
    const plus = await taskAwaitingApproval(103);
    await post(comment(103, "octo-writer", "@agent approve budget=+$2"));
    expect(await grantsOf(plus)).toEqual([["explicit", 4.5, "octo-writer"]]);
  });

  it("refuses a budget that is not money, and a reader's approval with a budget: no approval, no grant", async () => {
    const taskId = await taskAwaitingApproval(104);
    expect((await post(comment(104, "octo-writer", "@agent approve budget=$-5"))).json()).toMatchObject({ outcome: "command_conflict", message: expect.stringContaining("is not an amount") });
    expect((await post(comment(104, "octo-reader", "@agent approve budget=$500"))).json()).toMatchObject({ outcome: "command_refused" });
    expect((await getTask(t.deps.db, taskId))?.state).toBe("awaiting_approval");
    expect(await t.deps.db.selectFrom("budget_grants").select("id").where("task_id", "=", taskId).execute()).toHaveLength(0);
  });

  it("waiting for budget: a reader's +$5 is refused, a writer's plain approve or budget=$8 is told to write +$N, and nothing moves", async () => {
    const taskId = await taskWaitingForBudget(105);
    expect((await post(comment(105, "octo-reader", "@agent approve budget=+$5"))).json()).toMatchObject({ outcome: "command_refused", message: expect.stringContaining("write access") });
    expect((await post(comment(105, "octo-writer", "@agent approve"))).json()).toMatchObject({ outcome: "command_conflict", message: expect.stringContaining("budget=+$5") });
    expect((await post(comment(105, "octo-writer", "@agent approve budget=$8"))).json()).toMatchObject({ outcome: "command_conflict" });
    expect((await getTask(t.deps.db, taskId))?.state).toBe("waiting_budget");
    expect(await grantsOf(taskId)).toEqual([["explicit", 1, "octo-writer"]]);
    expect(await executionJobs(taskId)).toBe(1);
  });

  it("a writer's +$5 resumes execution once: the comment redelivered, or a second writer's at the same time, adds nothing", async () => {
    const taskId = await taskWaitingForBudget(106);
    const first = comment(106, "octo-writer", "@agent approve budget=+$5", 606_001);
    const rival = comment(106, "octo-admin", "@agent approve budget=+$5", 606_002);
    const [a, b] = await Promise.all([post(first), post(rival)]);
    const outcomes = [a.json<{ outcome: string }>().outcome, b.json<{ outcome: string }>().outcome].sort();
    expect(outcomes).toEqual(["command_applied", "command_conflict"]);
    expect((await post(first)).json()).toMatchObject({ outcome: "duplicate" });
    const task = await getTask(t.deps.db, taskId);
    expect(task?.state).toBe("executing");
    const grants = await grantsOf(taskId);
    expect(grants).toHaveLength(2);
    expect(grants[1]!.slice(0, 2)).toEqual(["top_up", 5]);
    // The approval's job and the one resume job: the executor continues from its checkpoint.
    expect(await executionJobs(taskId)).toBe(2);
  });

  it("a task that is not waiting for budget cannot be topped up", async () => {
    const taskId = await taskAwaitingApproval(107);
    await post(comment(107, "octo-writer", "@agent approve"));
    expect((await post(comment(107, "octo-writer", "@agent approve budget=+$5"))).json()).toMatchObject({ outcome: "command_conflict" });
    expect(await grantsOf(taskId)).toEqual([["estimate", 2.5, "octo-writer"]]);
  });
});
