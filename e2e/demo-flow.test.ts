import { describe, expect, it } from "vitest";
import { listTaskEvents } from "@fixline/db";
import { shopFixedSource, waitFor } from "@fixline/testing";
import { demoNames, remoteBranch, replayBanner, replayCosts, runDemo, type RunningDemo } from "../services/cli/src/demo/index";
import { metricValue, scrape, type Sample } from "./support/prometheus-text";

/**
 * Issue 9's demo as a test: `runDemo()` itself runs (the code `pnpm fixline demo` runs), with the replay
 * agent, and the test inspects the world it leaves before the teardown. This file runs in its own worker
 * process, so the process-wide metrics registry holds this one task only.
 */
describe("the demo flow: Sentry alert -> draft PR -> @agent approve -> ready PR", () => {
  it("ends with a ready PR whose commits, body, messages, events and metrics match what happened", async () => {
    let printed = "";
    const seen: {
      commits?: string[];
      pr?: { draft: boolean; body: string | null };
      slack?: Array<{ ts: string; text: string | undefined; threadTs: string | undefined; blocks: unknown[] | undefined }>;
      jiraRequests?: number;
      events?: string[];
      metrics?: Sample[];
      remoteFiles?: { test: string; source: string; sourceAtTestCommit: string };
      planSha?: string | null;
    } = {};

    const inspect = async (demo: RunningDemo) => {
      const { environment: env, fixline, taskId } = demo;
      const task = await fixline.db.selectFrom("tasks").selectAll().where("id", "=", taskId).executeTakeFirstOrThrow();
      const branch = remoteBranch({ gitDir: env.remote.path, branch: task.branch!, pathEnv: process.env.PATH ?? "" });
      seen.commits = await branch.commits();
      seen.planSha = task.plan_sha;
      seen.remoteFiles = {
        test: await branch.file("test/total.test.js"),
        source: await branch.file("src/cart/total.js"),
        sourceAtTestCommit: await branch.file("src/cart/total.js", `${task.branch!}~1`),
      };
      seen.pr = env.github.state.pulls.find((p) => p.repo === demoNames.repo && p.number === task.pr_number);
      // The completion message goes through the notify queue; it may land a moment after the task completes.
      seen.slack = await waitFor(() => {
        const messages = env.slack.state.messages.filter((m) => m.channel === demoNames.slackChannel);
        return messages.some((m) => m.text?.startsWith("Fixed:")) ? messages : undefined;
      });
      seen.jiraRequests = env.jira.received.length;
      seen.events = (await listTaskEvents(fixline.db, taskId)).filter((e) => e.toState !== null && e.toState !== e.fromState).map((e) => e.toState!);
      seen.metrics = await scrape(`${fixline.webhook!.url}/metrics`);
    };

    const result = await runDemo({
      out: { write: (text: string) => (printed += text), isTTY: false },
      databaseUrl: process.env.DATABASE_URL,
      redisUrl: process.env.REDIS_URL,
      pathEnv: process.env.PATH ?? "/usr/bin:/bin",
      homeDir: process.env.HOME ?? "/tmp",
      forceReplay: true,
      stepTimeoutMs: 45_000,
      beforeStop: inspect,
    });

    // What the user sees: the replay agent labelled as such, the dashboard and its token, each step, the result.
    expect(printed).toContain(replayBanner);
    expect(printed).toMatch(/Dashboard: http:\/\/127\.0\.0\.1:\d+\/ {3}\(sign in with FIXLINE_API_TOKEN=fxl_[0-9a-f]+\)/);
    expect(printed).toContain("Signed Sentry event_alert accepted (HTTP 200)");
    expect(printed).toMatch(/Draft PR #\d+ opened \(draft\)/);
    expect(printed).toContain('@maintainer comments "@agent approve"');
    expect(printed).toMatch(/PR #\d+ is ready for review/);
    expect(printed).toMatch(/\| 🔴 Red: new test on the unfixed code \| `node --test` \| exit 1, 1 failing: `skips lines whose product was removed`/);
    expect(printed).toContain("+    return item.product ? sum + item.product.price * item.quantity : sum;");
    expect(printed).toMatch(/total\s+\$0\.84/);
    expect(printed).toMatch(/Total time: \d+\.\ds/);
    expect(result.agent).toBe("replay");
    expect(result.costUsd).toBeCloseTo(replayCosts.planning + replayCosts.red + replayCosts.green, 10);

    // Git: the plan, then the proven red test, then the fix, in that order on the remote branch.
    expect(seen.commits).toHaveLength(3);
    expect(seen.commits![0]).toMatch(/plan/i);
    expect(seen.commits![1]).toBe("test: skips lines whose product was removed");
    expect(seen.commits![2]).toMatch(/^fix: /);
    expect(result.commits).toEqual(seen.commits);
    expect(seen.remoteFiles!.test).toContain('test("skips lines whose product was removed"');
    expect(seen.remoteFiles!.source.trimEnd()).toBe(shopFixedSource.trimEnd());
    // The test commit holds the failing test but not yet the fix.
    expect(seen.remoteFiles!.sourceAtTestCommit).not.toContain("item.product ? sum");
    expect(seen.remoteFiles!.sourceAtTestCommit).toContain("return sum + item.product.price * item.quantity;");

    // The PR: ready for review, plan and evidence in the body.
    expect(seen.pr?.draft).toBe(false);
    expect(seen.pr?.body).toContain("### Evidence");
    expect(seen.pr?.body).toMatch(/🟢 Green: full suite with the fix \| `node --test` \| 4 passed, 0 failed/);
    expect(seen.pr?.body).toContain("skip lines whose product was removed");

    // Slack: one thread; the plan with Approve / Reject for this task, later the completion.
    const root = seen.slack!.find((m) => m.threadTs === undefined)!;
    const plan = seen.slack!.find((m) => m.text?.startsWith("Plan ready for approval"))!;
    const fixed = seen.slack!.find((m) => m.text?.startsWith("Fixed:"))!;
    expect(plan.threadTs).toBe(root.ts);
    expect(fixed.threadTs).toBe(root.ts);
    const actions = (plan.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === "actions");
    // The buttons carry the plan they were shown with (issue 16).
    expect(seen.planSha).toMatch(/^[0-9a-f]{40}$/);
    expect(actions?.elements?.map((e) => [e.action_id, e.value])).toEqual([
      ["fixline_approve", `${result.taskId}:${seen.planSha}`],
      ["fixline_reject", `${result.taskId}:${seen.planSha}`],
    ]);
    expect(fixed.text).toContain(result.prUrl);

    // Jira: a Sentry-origin task has no Jira issue, so nothing was sent there.
    expect(seen.jiraRequests).toBe(0);

    // The task's life, in order.
    expect(seen.events).toEqual(["received", "planning", "awaiting_approval", "approved", "executing", "completed"]);

    // Metrics (issue 7): one task started from Sentry and completed; three Claude runs; cost counted once.
    const m = seen.metrics!;
    expect(metricValue(m, "ai_agent_tasks_started_total", { source: "sentry" })).toBe(1);
    expect(metricValue(m, "ai_agent_tasks_started_total")).toBe(1);
    expect(metricValue(m, "ai_agent_tasks_completed_total", { status: "completed" })).toBe(1);
    expect(metricValue(m, "ai_agent_tasks_completed_total", { status: "failed" })).toBe(0);
    expect(metricValue(m, "ai_agent_claude_runs_total", { phase: "planning", outcome: "ok" })).toBe(1);
    expect(metricValue(m, "ai_agent_claude_runs_total")).toBe(3);
    expect(metricValue(m, "ai_agent_cost_usd_total", { phase: "planning" })).toBeCloseTo(replayCosts.planning, 10);
    expect(metricValue(m, "ai_agent_cost_usd_total")).toBeCloseTo(replayCosts.planning + replayCosts.red + replayCosts.green, 10);
    expect(metricValue(m, "ai_agent_webhook_deliveries_total", { source: "sentry", outcome: "accepted" })).toBe(1);
    expect(metricValue(m, "ai_agent_webhook_deliveries_total", { source: "github", outcome: "accepted" })).toBe(1);
    // No timed assertion (timings belong in benchmarks); the demo prints its measured time.
    console.log(`demo flow with the replay agent: ${(result.elapsedMs / 1000).toFixed(1)}s`);
  });
});
