import { execFile } from "node:child_process";
import { chmod, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAgentRun, getTask, ingestSignal, listAgentRuns, openAgentRun, transition } from "@fixline/db";
import { adfToText } from "@fixline/integrations";
import { sandboxedProcessAlive, waitFor } from "@fixline/testing";
import { cancelChannel } from "@fixline/queue";
import { createHarness, type Harness } from "./harness";
import { shopPlan, writesPlan } from "./plans";

const git = promisify(execFile);

let h: Harness;

beforeAll(async () => {
  h = await createHarness({
    runs: [
      { match: "reported in acme/crash", steps: [{ type: "text", text: "starting" }, { type: "stderr", text: "TypeError: undefined is not a function" }, { type: "exit", code: 1 }] },
      { match: "reported in acme/hang", steps: [{ type: "text", text: "thinking" }, { type: "hang" }] },
      { steps: writesPlan(shopPlan()) },
    ],
  });
});

afterAll(async () => {
  await h?.close();
});

/** The requester of a Sentry task hears about a failure in the Slack channel and on the Sentry issue. */
async function expectRequesterTold(issueId: string, code: string): Promise<void> {
  await waitFor(() => h.slack.state.messages.some((m) => m.channel === "C0FIXLINE" && m.text?.includes(code)), { what: `Slack message with ${code}` });
  await waitFor(() => h.sentry.state.issues.get(issueId)?.notes.some((n) => n.text.includes(code)), { what: `Sentry note with ${code}` });
}

describe("planning failure paths", () => {
  it("fails with a coded reason on each path, and the requester hears it", async () => {
    // REPO_NOT_FOUND: routed, but GitHub does not know the repository.
    const notFound = await h.sentryTask("7001", "other");
    // CLONE_FAILED: the remote exists but its objects are gone (retryable: fails on the last attempt).
    const broken = await h.addRepo("noclone");
    const objects = join(h.remotes, `${broken}.git`, "objects");
    for (const entry of await readdir(objects)) if (entry !== "info" && entry !== "pack") await rm(join(objects, entry), { recursive: true });
    const noClone = await h.sentryTask("7002", "noclone");
    // CLAUDE_CRASHED on every attempt.
    await h.addRepo("crash");
    const crash = await h.sentryTask("7003", "crash");
    // BUDGET_EXHAUSTED: the repository spent its daily budget on an earlier task.
    await h.addRepo("budget");
    const earlier = await ingestSignal(h.database.db, {
      delivery: { source: "api", deliveryId: "budget-earlier", event: "create" },
      source: "api",
      sourceKey: "api:budget-earlier",
      repo: "acme/budget",
      title: "an earlier task",
      context: {},
    });
    const { id: runId } = await openAgentRun(h.database.db, { taskId: earlier.taskId!, phase: "planning", transcriptPath: "/dev/null" });
    await closeAgentRun(h.database.db, runId, { status: "succeeded", costUsd: 25, durationMs: 1 });
    const budget = await h.sentryTask("7004", "budget");
    // PUSH_REJECTED: the remote's pre-receive hook declines.
    const pushy = await h.addRepo("pushy");
    const hook = join(h.remotes, `${pushy}.git`, "hooks", "pre-receive");
    await writeFile(hook, "#!/bin/sh\necho 'protected branch policy' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    const push = await h.sentryTask("7005", "pushy");

    const expectations: Array<[string, string, string]> = [
      [notFound, "7001", "REPO_NOT_FOUND"],
      [noClone, "7002", "CLONE_FAILED"],
      [crash, "7003", "CLAUDE_CRASHED"],
      [budget, "7004", "BUDGET_EXHAUSTED"],
      [push, "7005", "PUSH_REJECTED"],
    ];
    for (const [taskId, issueId, code] of expectations) {
      const task = await h.waitForState(taskId, "failed", 45_000);
      expect({ code: task.errorCode, taskId }).toEqual({ code, taskId });
      await expectRequesterTold(issueId, code);
    }
    // Retryable failures were retried (three attempts) before the task failed; the others were not.
    expect(await listAgentRuns(h.database.db, crash)).toHaveLength(3);
    expect(await listAgentRuns(h.database.db, budget)).toHaveLength(0);
    expect((await listAgentRuns(h.database.db, push)).length).toBe(1);
    // The push was refused, so no PR was opened and the remote has no task branch.
    expect(h.github.state.pulls.filter((p) => p.repo === "acme/pushy")).toHaveLength(0);
    const { stdout } = await git("git", ["--git-dir", join(h.remotes, `${pushy}.git`), "branch", "--list"]);
    expect(stdout.trim()).toBe("* main");
  }, 90_000);

  it("enriches a Jira task with the Sentry issue it links to, and comments the analysis on Jira", async () => {
    await h.addRepo("jira");
    h.sentry.addIssue("555");
    h.jira.addIssue("ED-7", {
      summary: "Cart page crashes",
      description: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "Customers see a 500 on /cart. Sentry: https://acme.sentry.io/issues/555/" }] }] },
    });
    const created = await ingestSignal(h.database.db, {
      delivery: { source: "jira", deliveryId: "jira-ed-7", event: "jira:issue_created" },
      source: "jira",
      sourceKey: "jira:ED-7",
      repo: "acme/jira",
      title: "Cart page crashes",
      context: { jira: { key: "ED-7", summary: "Cart page crashes", descriptionText: "(stale)" } },
      requester: { via: "jira", name: "Ana" },
    });
    const task = await h.waitForState(created.taskId!, "awaiting_approval");
    const prompt = (await h.fake.calls()).find((c) => c.prompt.includes("ED-7"))!.prompt;
    expect(prompt).toContain('<untrusted-data source="jira issue ED-7">');
    expect(prompt).toContain("Customers see a 500 on /cart");
    expect(prompt).toContain('<untrusted-data source="sentry issue 555 linked from the jira issue">');
    expect(prompt).toContain("at computeTotal (src/cart/total.ts:12)");
    expect(prompt).toContain("Release: shop@1.4.2");

    const issue = h.jira.state.issues.get("ED-7")!;
    const comment = await waitFor(() => issue.comments.find((c) => adfToText(c.body).includes("plan ready")));
    const text = adfToText(comment.body);
    expect(text).toContain("Root cause:");
    expect(text).toContain("src/cart/total.js:8");
    expect(text).toContain("src/cart/total.js");
    expect(text).toContain("skips lines whose product was removed");
    expect(text).toContain(task.prUrl!);
    await waitFor(() => issue.status === "In Review", { what: "Jira transition to In Review" });
  });

  it("stops quietly when the task is cancelled mid-run, killing Claude", async () => {
    await h.addRepo("hang");
    const taskId = await h.sentryTask("7006", "hang");
    await waitFor(async () => (await h.fake.calls()).some((c) => c.prompt.includes("acme/hang")), { what: "Claude to start" });
    // What the webhook server does for `@agent cancel`: move the task, then publish on fixline:cancel.
    await transition(h.database.db, { taskId, expected: "planning", event: { type: "cancel" }, actor: { via: "github", login: "octocat" } });
    await h.redis.producer.publish(cancelChannel, taskId);
    const runs = await waitFor(async () => {
      const all = await listAgentRuns(h.database.db, taskId);
      return all.length === 1 && all[0]!.status !== "running" ? all : undefined;
    }, { timeoutMs: 20_000, what: "the run to end" });
    expect(runs[0]!.errorCode).toBe("CLAUDE_CANCELLED");
    const call = (await h.fake.calls()).find((c) => c.prompt.includes("acme/hang"))!;
    await waitFor(() => !sandboxedProcessAlive(call.pid, h.fake.dir), { what: "the fake CLI to be gone" });
    await new Promise((r) => setTimeout(r, 300));
    const task = await getTask(h.database.db, taskId);
    expect(task).toMatchObject({ state: "cancelled", errorCode: null });
    expect(h.slack.state.messages.some((m) => m.text?.includes("CLAUDE_CANCELLED"))).toBe(false);
  });
});
