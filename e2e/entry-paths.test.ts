import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentApproval, getTask, recordApproval } from "@fixline/db";
import { waitFor } from "@fixline/testing";
import { demoNames, remoteBranch, sendGitHubComment, sendJiraIssueCreated, sendSentryEventAlert, sendSlackButton, sendSlackCommand, shopReplayScenario } from "../services/cli/src/demo/index";
import { startInProcessFixline, type InProcessFixline } from "./support/in-process-fixline";

/**
 * The other doors into the same flow (issue 9): a Slack `/agent run` approved with the Slack button, a
 * labelled Jira issue, and a plan rejected with feedback then re-planned on the same PR. One Fixline with
 * every role runs for the file; each test uses its own source object, so each has its own task and PR.
 */
let h: InProcessFixline;

beforeAll(async () => {
  h = await startInProcessFixline({ scenario: shopReplayScenario({ replanFix: "use integer cents for the line totals" }) });
});

afterAll(async () => {
  await h?.close();
});

const pullOf = (number: number | null) => h.env.github.state.pulls.find((p) => p.repo === demoNames.repo && p.number === number);
const branchOf = (branch: string | null) => remoteBranch({ gitDir: h.env.remote.path, branch: branch ?? "", pathEnv: process.env.PATH ?? "" });

describe("end to end through the other doors", () => {
  it("Slack: /agent run -> ephemeral ack -> draft PR -> Approve button from a linked maintainer -> completed, with progress on response_url", async () => {
    const responseUrl = h.env.slack.responseUrl("slash-1");
    const ack = await sendSlackCommand(h.target, { text: "run acme/shop Checkout total crashes when a product was removed from the catalogue", responseUrl });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ response_type: "ephemeral" });
    expect((ack.body as { text: string }).text).toContain("is queued for acme/shop");
    const { id: taskId } = await h.fixline.db.selectFrom("tasks").select("id").where("source", "=", "slack").executeTakeFirstOrThrow();

    const planned = await h.waitForState(taskId, "awaiting_approval");
    expect(pullOf(planned.prNumber)?.draft).toBe(true);

    // The button carries the plan SHA of the message it sits on: click the one Fixline posted.
    const buttonValue = async () =>
      h.env.slack.state.messages
        .flatMap((m) => (m.blocks ?? []) as Array<{ type?: string; elements?: Array<{ action_id?: string; value?: string }> }>)
        .flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : []))
        .find((e) => e.action_id === "fixline_approve" && e.value?.startsWith(taskId))?.value;
    await waitFor(async () => (await buttonValue()) !== undefined, { what: "the plan message with its Approve button" });
    const shownSha = (await buttonValue())!.split(":")[1];
    expect(shownSha).toBe(planned.planSha);
    const click = await sendSlackButton(h.target, { taskId, planSha: shownSha, action: "approve", responseUrl: h.env.slack.responseUrl("button-1") });
    expect(click.status).toBe(200);
    expect((click.body as { text: string }).text).toMatch(/^approve recorded/);
    const approval = await h.fixline.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).executeTakeFirstOrThrow();
    expect(approval.plan_sha).toBe(planned.planSha);
    expect(approval).toMatchObject({ via: "slack", login: demoNames.maintainer });

    const done = await h.waitForState(taskId, "completed");
    expect(pullOf(done.prNumber)?.draft).toBe(false);
    expect((await branchOf(done.branch).commits()).slice(1)).toEqual(["test: skips lines whose product was removed", expect.stringMatching(/^fix: /)]);
    expect(await h.states(taskId)).toEqual(["received", "planning", "awaiting_approval", "approved", "executing", "completed"]);

    // The person who typed the command heard back on their response_url: received, plan ready, fixed.
    const progress = await waitFor(() => {
      const texts = (h.env.slack.state.responses.get("slash-1") ?? []).map((r) => String((r as { text?: unknown }).text ?? ""));
      return texts.some((t) => t.includes("ready for review")) ? texts : undefined;
    });
    expect(progress.some((t) => t.includes("ready for approval"))).toBe(true);
  });

  it("Jira: an issue created with the trigger label -> plan -> a Jira comment with the analysis and the PR link", async () => {
    h.env.jira.addIssue("SHOP-7", { summary: "Cart total crashes after a product is removed", labels: [demoNames.triggerLabel] });
    const delivery = await sendJiraIssueCreated(h.target, {
      key: "SHOP-7",
      summary: "Cart total crashes after a product is removed",
      description: "Customers whose cart holds a product we removed get a 500 on /cart.",
      jiraUrl: h.env.jira.url,
    });
    expect(delivery.status).toBe(200);
    expect(delivery.body).toMatchObject({ outcome: "created" });
    const taskId = (delivery.body as { taskId: string }).taskId;

    const planned = await h.waitForState(taskId, "awaiting_approval");
    expect(planned.title).toBe("SHOP-7: Cart total crashes after a product is removed");
    const comments = await waitFor(() => {
      const issue = h.env.jira.state.issues.get("SHOP-7");
      return issue && issue.comments.length > 0 ? issue.comments : undefined;
    });
    const text = JSON.stringify(comments[0]!.body);
    expect(text).toContain(planned.prUrl!);
    expect(text).toContain("computeTotal"); // the root cause from PLAN.md
    expect(text).toContain("skips lines whose product was removed"); // the failing test the plan names
    // The configured workflow move when the plan is ready.
    await waitFor(() => h.env.jira.state.issues.get("SHOP-7")?.status === "In Review");
  });

  it("reject then re-plan: @agent reject <feedback> -> a new PLAN.md commit on the same PR, old approval void; the second plan approved -> completed", async () => {
    const issueId = "4519253799";
    h.env.sentry.addIssue(issueId);
    const alert = await sendSentryEventAlert(h.target, { issueId });
    const taskId = (alert.body as { taskId: string }).taskId;
    const first = await h.waitForState(taskId, "awaiting_approval");
    // An approval recorded against the first plan (as if given just before the reject) must not carry over.
    await recordApproval(h.fixline.db, { taskId, planSha: first.planSha!, actor: { via: "github", login: demoNames.maintainer } });

    const reject = await sendGitHubComment(h.target, { prNumber: first.prNumber!, body: "@agent reject use integer cents" });
    expect(reject.body).toMatchObject({ outcome: "command_applied", command: "reject" });
    const second = await waitFor(
      async () => {
        const task = await getTask(h.fixline.db, taskId);
        return task?.state === "awaiting_approval" && task.planSha !== first.planSha ? task : undefined;
      },
      { timeoutMs: 40_000, what: "the re-plan" },
    );

    expect(second.prNumber).toBe(first.prNumber);
    expect(h.env.github.state.pulls.filter((p) => p.head === first.branch)).toHaveLength(1);
    const branch = branchOf(second.branch);
    const commits = await branch.commits();
    expect(commits).toHaveLength(2);
    expect(await branch.file("PLAN.md")).toContain("use integer cents for the line totals");
    expect(await branch.file("PLAN.md", first.planSha!)).toContain("skip lines whose product was removed");
    expect(await currentApproval(h.fixline.db, taskId, first.planSha!)).toBeUndefined();
    // The feedback reached the agent fenced as data.
    const calls = h.env.agent.kind === "replay" ? await h.env.agent.fake.calls() : [];
    const replan = calls.find((c) => c.prompt.includes("This is a re-plan") && c.prompt.includes("use integer cents"));
    expect(replan?.prompt).toContain('<untrusted-data source="reviewer feedback">');

    const approve = await sendGitHubComment(h.target, { prNumber: second.prNumber!, body: "@agent approve" });
    expect(approve.body).toMatchObject({ outcome: "command_applied", command: "approve" });
    const done = await h.waitForState(taskId, "completed");
    const approvals = await h.fixline.db.selectFrom("approvals").selectAll().where("task_id", "=", taskId).orderBy("created_at").execute();
    expect(approvals.map((a) => [a.plan_sha, a.voided_at === null])).toEqual([
      [first.planSha, false],
      [second.planSha, true],
    ]);
    expect(await branch.commits()).toEqual([commits[0], commits[1], "test: skips lines whose product was removed", expect.stringMatching(/^fix: .*use integer cents/)]);
    expect(pullOf(done.prNumber)?.draft).toBe(false);
    expect(await h.states(taskId)).toEqual(["received", "planning", "awaiting_approval", "received", "planning", "awaiting_approval", "approved", "executing", "completed"]);
  });
});
