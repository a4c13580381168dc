import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "@fixline/core";
import { closeAgentRun, getTask, listTaskEvents, openAgentRun, transition, updateTaskFields } from "@fixline/db";
import { createGitHub, type GitHubClient } from "@fixline/integrations";
import { initializeRepositoryLabelSets, metrics } from "@fixline/observability";
import { startFakeGitHub, type FakeGitHub } from "@fixline/testing";
import { reconcileOutcomes } from "../src/index";
import { githubHeaders, startTestApp, type TestApp } from "./support/test-app";

// Issue 21: a completed task's PR is followed after `completed`: merged, closed unmerged, reverted. Each
// fact changes the task once and counts once, whether it arrives by webhook, redelivery or the reconcile.
const repo = "acme/outcomes";
const outsider = "someone/elses";
const yaml = `
defaults:
  triggerLabel: claude
repos:
  ${repo}: {}
`;

const apiToken = "test-api-token-outcomes-0123456789";
const sha = (c: string) => c.repeat(40);

async function counter(name: "tasksMerged" | "tasksReverted" | "tasksClosedUnmerged" | "mergedFixCostUsd", repository: string): Promise<number> {
  const { values } = await metrics[name].get();
  return values.find((v) => v.labels.repository === repository)?.value ?? 0;
}

async function mergeCount(repository: string): Promise<number> {
  const { values } = await metrics.readyToMerge.get();
  return values.find((v) => v.labels.repository === repository && (v as { metricName?: string }).metricName === "ai_agent_ready_to_merge_seconds_count")?.value ?? 0;
}

describe("PR outcomes after completed (issue 21)", () => {
  let t: TestApp;
  let fakeGitHub: FakeGitHub;
  let github: GitHubClient;
  let issueNumber = 5000;

  beforeAll(async () => {
    fakeGitHub = await startFakeGitHub();
    fakeGitHub.addRepo(repo);
    fakeGitHub.addRepo(outsider);
    t = await startTestApp({
      env: { FIXLINE_CONFIG: yaml, FIXLINE_API_TOKEN: apiToken },
      github: (config) => {
        github = createGitHub({ ...config, github: { ...config.github, apiUrl: fakeGitHub.url, token: "ghp_fixline_fake" } }, silentLogger())!;
        return github;
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await fakeGitHub.close();
  });

  const post = (payload: unknown, event: string, delivery = randomUUID()) => {
    const body = JSON.stringify(payload);
    return t.app.inject({ method: "POST", url: "/webhooks/github", payload: body, headers: githubHeaders(body, event, delivery) });
  };

  /** A task the executor completed: PR #prNumber ready, green commit on its branch. */
  async function completedTask(prNumber: number, on = repo, greenCommit = sha("e")): Promise<string> {
    issueNumber += 1;
    const res = await post(
      { action: "labeled", label: { name: "claude" }, issue: { number: issueNumber, title: `Bug ${issueNumber}`, body: "It breaks", labels: [{ name: "claude" }], user: { login: "reporter" } }, repository: { full_name: on }, sender: { login: "reporter" } },
      "issues",
    );
    const taskId = res.json<{ taskId: string }>().taskId;
    expect(taskId).toBeTruthy();
    await transition(t.deps.db, { taskId, expected: "received", event: { type: "plan_started" } });
    await transition(t.deps.db, { taskId, expected: "planning", event: { type: "plan_ready", planSha: sha("a"), prNumber } });
    await transition(t.deps.db, { taskId, expected: "awaiting_approval", event: { type: "approve", planSha: sha("a") } });
    await transition(t.deps.db, { taskId, expected: "approved", event: { type: "execution_started" } });
    await updateTaskFields(t.deps.db, taskId, { evidence: { greenCommit } });
    await transition(t.deps.db, { taskId, expected: "executing", event: { type: "execution_succeeded" } });
    return taskId;
  }

  const closedPayload = (prNumber: number, merged: boolean, extra: Record<string, unknown> = {}, on = repo) => ({
    action: "closed",
    number: prNumber,
    pull_request: { number: prNumber, merged, merged_at: merged ? new Date().toISOString() : null, merge_commit_sha: merged ? sha("c") : null, title: "Fix bug", body: "", ...extra },
    repository: { full_name: on },
    sender: { login: "octo-writer" },
  });

  const pushPayload = (message: string, id = sha("f"), ref = "refs/heads/main") => ({
    ref,
    commits: [{ id, message }],
    repository: { full_name: repo, default_branch: "main" },
  });

  const outcomeEvents = async (taskId: string) => (await listTaskEvents(t.deps.db, taskId)).filter((e) => e.type.startsWith("outcome_")).map((e) => e.type);

  it("a merged PR marks the task merged once: redelivery, a fresh delivery of the same fact and the reconcile do not count again", async () => {
    const taskId = await completedTask(101);
    // What the task cost (planning and execution): counted once into the cost of merged fixes.
    for (const [phase, costUsd] of [["planning", 0.5], ["green", 0.75]] as const) {
      const run = await openAgentRun(t.deps.db, { taskId, phase, transcriptPath: "/dev/null" });
      await closeAgentRun(t.deps.db, run.id, { status: "succeeded", costUsd, durationMs: 1 });
    }
    const before = { merged: await counter("tasksMerged", repo), histogram: await mergeCount(repo), cost: await counter("mergedFixCostUsd", repo) };
    const delivery = randomUUID();
    const res = await post(closedPayload(101, true), "pull_request", delivery);
    expect(res.statusCode).toBe(200);
    const task = await getTask(t.deps.db, taskId);
    expect(task).toMatchObject({ state: "completed", outcome: "merged", mergeCommitSha: sha("c"), revertedBy: null });
    expect(task!.mergedAt).toBeInstanceOf(Date);

    expect((await post(closedPayload(101, true), "pull_request", delivery)).json()).toMatchObject({ outcome: "duplicate" });
    // GitHub re-sends under a new delivery id when asked to "redeliver" from the UI: the guarded UPDATE stops it.
    await post(closedPayload(101, true), "pull_request");
    fakeGitHub.state.pulls.push({ repo, number: 101, id: 101, nodeId: "PR_101", head: "fixline/x", base: "main", title: "Fix bug", body: "", draft: false, state: "closed", author: "fixline", mergedAt: new Date().toISOString(), mergeCommitSha: sha("c") });
    await reconcileOutcomes({ db: t.deps.db, github, config: t.deps.config, logger: silentLogger() });

    expect(await counter("tasksMerged", repo)).toBe(before.merged + 1);
    expect(await mergeCount(repo)).toBe(before.histogram + 1);
    expect(await counter("mergedFixCostUsd", repo)).toBeCloseTo(before.cost + 1.25, 6);
    expect(await outcomeEvents(taskId)).toEqual(["outcome_merged"]);

    const api = await t.app.inject({ method: "GET", url: `/api/tasks/${taskId}`, headers: { authorization: `Bearer ${apiToken}` } });
    expect(api.statusCode).toBe(200);
    expect(api.json<{ task: { outcome: string; mergedAt: string | null } }>().task).toMatchObject({ outcome: "merged", mergedAt: expect.any(String) });
  });

  it("a missed delivery is recorded by the reconcile, once, from GitHub's PR state", async () => {
    const taskId = await completedTask(108);
    const before = await counter("tasksMerged", repo);
    fakeGitHub.state.pulls.push({ repo, number: 108, id: 108, nodeId: "PR_108", head: "fixline/z", base: "main", title: "Fix bug", body: "", draft: false, state: "open", author: "fixline" });
    await reconcileOutcomes({ db: t.deps.db, github, config: t.deps.config, logger: silentLogger() });
    expect((await getTask(t.deps.db, taskId))!.outcome).toBeNull();
    const pull = fakeGitHub.state.pulls.find((p) => p.number === 108)!;
    Object.assign(pull, { state: "closed", mergedAt: new Date().toISOString(), mergeCommitSha: sha("b") });
    const first = await reconcileOutcomes({ db: t.deps.db, github, config: t.deps.config, logger: silentLogger() });
    expect(first.changed).toBeGreaterThanOrEqual(1);
    await reconcileOutcomes({ db: t.deps.db, github, config: t.deps.config, logger: silentLogger() });
    // The webhook arriving late changes nothing either.
    await post(closedPayload(108, true, { merge_commit_sha: sha("b") }), "pull_request");
    expect(await getTask(t.deps.db, taskId)).toMatchObject({ outcome: "merged", mergeCommitSha: sha("b") });
    expect(await counter("tasksMerged", repo)).toBe(before + 1);
    expect(await outcomeEvents(taskId)).toEqual(["outcome_merged"]);
  });

  it("a closed unmerged PR marks the task closed_unmerged once, and the task stays completed", async () => {
    const taskId = await completedTask(102);
    const before = await counter("tasksClosedUnmerged", repo);
    await post(closedPayload(102, false), "pull_request");
    await post(closedPayload(102, false), "pull_request");
    fakeGitHub.state.pulls.push({ repo, number: 102, id: 102, nodeId: "PR_102", head: "fixline/y", base: "main", title: "Fix bug", body: "", draft: false, state: "closed", author: "fixline" });
    await reconcileOutcomes({ db: t.deps.db, github, config: t.deps.config, logger: silentLogger() });
    expect(await getTask(t.deps.db, taskId)).toMatchObject({ state: "completed", outcome: "closed_unmerged", mergedAt: null });
    expect(await counter("tasksClosedUnmerged", repo)).toBe(before + 1);
    expect(await outcomeEvents(taskId)).toEqual(["outcome_closed_unmerged"]);
  });

  it("a revert commit pushed to the default branch marks the merged task reverted once; a later merged redelivery does not undo it", async () => {
    const taskId = await completedTask(103);
    await post(closedPayload(103, true, { merge_commit_sha: sha("d") }), "pull_request");
    const before = await counter("tasksReverted", repo);
    // A push to another branch naming the commit is not a revert on the default branch.
    await post(pushPayload(`Revert "Fix bug"\n\nThis reverts commit ${sha("d")}.`, sha("1"), "refs/heads/feature"), "push");
    expect((await getTask(t.deps.db, taskId))!.outcome).toBe("merged");

    const revert = pushPayload(`Revert "Fix bug"\n\nThis reverts commit ${sha("d")}.`, sha("2"));
    await post(revert, "push");
    await post(revert, "push");
    // The merged fact arriving again (a redelivery, or the reconcile) does not move a reverted task back.
    await post(closedPayload(103, true, { merge_commit_sha: sha("d") }), "pull_request");
    expect(await getTask(t.deps.db, taskId)).toMatchObject({ outcome: "reverted", revertedBy: sha("2") });
    expect(await counter("tasksReverted", repo)).toBe(before + 1);
    expect(await outcomeEvents(taskId)).toEqual(["outcome_merged", "outcome_reverted"]);
  });

  it("a merged revert PR (GitHub's Revert button) naming the Fixline PR marks it reverted; a look-alike title without the number does not", async () => {
    const taskId = await completedTask(104);
    await post(closedPayload(104, true, { merge_commit_sha: sha("9") }), "pull_request");
    await post({ ...closedPayload(200, true), pull_request: { number: 200, merged: true, merged_at: new Date().toISOString(), merge_commit_sha: sha("8"), title: 'Revert "Fix bug"', body: "Reverts nothing in particular" } }, "pull_request");
    expect((await getTask(t.deps.db, taskId))!.outcome).toBe("merged");
    await post({ ...closedPayload(201, true), pull_request: { number: 201, merged: true, merged_at: new Date().toISOString(), merge_commit_sha: sha("7"), title: 'Revert "Fix bug"', body: `Reverts ${repo}#104` } }, "pull_request");
    expect(await getTask(t.deps.db, taskId)).toMatchObject({ outcome: "reverted", revertedBy: "#201" });
  });

  it("a revert outside the window does not count", async () => {
    const taskId = await completedTask(105);
    await post(closedPayload(105, true, { merge_commit_sha: sha("6") }), "pull_request");
    await t.deps.db.updateTable("tasks").set({ merged_at: new Date(Date.now() - 15 * 86400_000) }).where("id", "=", taskId).execute();
    await post(pushPayload(`This reverts commit ${sha("6").slice(0, 12)}.`, sha("3")), "push");
    expect((await getTask(t.deps.db, taskId))!.outcome).toBe("merged");
  });

  it("a repository not in FIXLINE_CONFIG repos is counted as other, never by the payload's name", async () => {
    await completedTask(106, outsider);
    const before = await counter("tasksMerged", "other");
    await post(closedPayload(106, true, {}, outsider), "pull_request");
    expect(await counter("tasksMerged", "other")).toBe(before + 1);
    expect(await counter("tasksMerged", outsider)).toBe(0);
  });

  it("exports the configured repositories' and other's outcome series at 0 from the start, and no others", async () => {
    const fresh = "acme/never-merged";
    expect((await metrics.tasksReverted.get()).values.some((v) => v.labels.repository === fresh)).toBe(false);
    initializeRepositoryLabelSets(metrics, [fresh]);
    const series = (await metrics.tasksReverted.get()).values.filter((v) => v.labels.repository === fresh || v.labels.repository === "other");
    expect(series.map((v) => v.labels.repository).sort()).toEqual([fresh, "other"]);
    expect(series.find((v) => v.labels.repository === fresh)?.value).toBe(0);
  });

  it("an unsigned outcome webhook changes nothing", async () => {
    const taskId = await completedTask(107);
    const body = JSON.stringify(closedPayload(107, true));
    const res = await t.app.inject({ method: "POST", url: "/webhooks/github", payload: body, headers: { ...githubHeaders(body, "pull_request"), "x-hub-signature-256": `sha256=${"0".repeat(64)}` } });
    expect(res.statusCode).toBe(401);
    expect((await getTask(t.deps.db, taskId))!.outcome).toBeNull();
  });
});
