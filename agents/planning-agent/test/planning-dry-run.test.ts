import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTask, type WouldHaveSent } from "@fixline/db";
import { waitFor } from "@fixline/testing";
import { createHarness, type Harness } from "./harness";
import { shopPlan, writesPlan } from "./plans";

const git = promisify(execFile);

async function gitOut(args: string[]): Promise<string> {
  return (await git("git", args)).stdout.trim();
}

let h: Harness;

beforeAll(async () => {
  // acme/dry has no configured test command, so the environment notes show what was detected.
  h = await createHarness({ runs: [{ steps: writesPlan(shopPlan()) }] }, { fixlineConfig: "  acme/dry: { dryRun: true }" });
  await h.addRepo("dry");
});

afterAll(async () => {
  await h?.close();
});

describe("planning in dry run", () => {
  it("commits PLAN.md locally and waits for approval, recording the push, PR and label instead of making them", async () => {
    const remote = join(h.remotes, "acme/dry.git");
    const refsBefore = await gitOut(["--git-dir", remote, "for-each-ref", "--format=%(refname) %(objectname)"]);
    const githubBefore = h.github.received.length;

    const taskId = await h.sentryTask("7701", "dry");
    const task = await h.waitForState(taskId, "awaiting_approval");
    expect(task.prNumber).toBe(0);
    expect(task.prUrl).toBeNull();

    // The plan commit exists in the task's worktree only.
    const worktree = join(h.config.workspaceDir, "tasks", taskId);
    expect(await gitOut(["-C", worktree, "rev-parse", "HEAD"])).toBe(task.planSha);
    const committedPlan = await gitOut(["-C", worktree, "show", "HEAD:PLAN.md"]);
    expect(committedPlan.startsWith(shopPlan().trimEnd())).toBe(true);
    expect(committedPlan).toContain("## Environment notes");
    expect(committedPlan).toContain("- Kind: `node-npm` (toolchain `node`)");
    expect(committedPlan).toContain("- Test command (detected): `npm test`");
    expect(committedPlan).toContain("package.json scripts.test (node --test) → npm test");
    expect(await gitOut(["--git-dir", remote, "for-each-ref", "--format=%(refname) %(objectname)"])).toBe(refsBefore);

    // The agent was told the detected environment as fact.
    const prompt = (await h.fake.calls()).at(-1)!.prompt;
    expect(prompt).toContain("- Kind: node-npm");
    expect(prompt).toContain("The harness detected the repository's test command `npm test`");

    // What would have been sent, including the notify worker's records; the PR body is kept for the dashboard.
    const done = await waitFor(async () => {
      const current = await getTask(h.database.db, taskId);
      const records = (current?.data.wouldHaveSent ?? []) as WouldHaveSent[];
      return records.some((r) => r.channel === "slack") && records.some((r) => r.channel === "sentry") ? current : undefined;
    });
    const records = done!.data.wouldHaveSent as WouldHaveSent[];
    const actions = records.map((r) => `${r.channel}:${r.action}`);
    expect(actions).toEqual(expect.arrayContaining(["git:push", "github:open_draft_pr", "github:add_labels"]));
    expect(records.find((r) => r.action === "push")).toMatchObject({ target: `acme/dry:${task.branch!}` });
    expect(records.every((r) => typeof r.at === "string" && r.summary.length > 0)).toBe(true);
    const pullRequest = done!.data.dryRunPullRequest as { title: string; body: string };
    expect(pullRequest.title).toBe(`fixline: ${task.title}`);
    expect(pullRequest.body).toContain("The cart page throws");

    // Nothing left the machine: GitHub and Sentry were only read, Slack and Jira never called.
    const githubWrites = h.github.received.slice(githubBefore).filter((r) => r.method !== "GET");
    expect(githubWrites).toEqual([]);
    expect(h.github.received.slice(githubBefore).length).toBeGreaterThan(0);
    expect(h.github.state.pulls.filter((p) => p.repo === "acme/dry")).toHaveLength(0);
    expect(h.sentry.received.filter((r) => r.method !== "GET")).toEqual([]);
    expect(h.slack.received).toEqual([]);
    expect(h.jira.received).toEqual([]);
  });
});
