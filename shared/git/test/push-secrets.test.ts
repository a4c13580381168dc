import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor, isFixlineError, silentLogger, taskBranchName } from "@fixline/core";
import { createWorkspaces } from "../src/index";
import { createBareRemote, git, tempDirs } from "./bare-remote";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const secret = "ghp_configured_token_value_1234";

async function setup() {
  const remote = await createBareRemote(dirs);
  const workspaces = createWorkspaces({ workspaceDir: await dirs.make("ws"), gitBaseUrl: remote.baseDir, author: { name: "Fixline", email: "f@x.test" }, logger: silentLogger(), redactor: createRedactor([secret]), pathEnv: process.env.PATH });
  const ws = await workspaces.prepare({ taskId: "cccc3333-task", repo: remote.repo, branch: taskBranchName("cccc3333-task", "leak") });
  return { remote, workspaces, ws };
}

async function pushError(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("push refuses a configured secret (issue 14)", () => {
  it("names the file of a secret buried in history (added, then deleted), never the value, and pushes nothing", async () => {
    const { remote, workspaces, ws } = await setup();
    await writeFile(join(ws.path, "config.json"), JSON.stringify({ token: Buffer.from(secret).toString("base64") }));
    await workspaces.commitAll(ws.path, "add config");
    await git(ws.path, "rm", "--quiet", "config.json");
    await workspaces.commitAll(ws.path, "remove it again");
    const error = await pushError(() => workspaces.push(ws.path, ws.branch));
    expect(isFixlineError(error, "SECRET_IN_OUTPUT")).toBe(true);
    expect((error as Error).message).toContain("config.json");
    expect((error as Error).message).not.toContain(secret);
    expect(await remote.refSha(`refs/heads/${ws.branch}`)).toBeUndefined();
  });

  it("refuses the agent's own commit whose message holds it, and redacts the messages Fixline writes", async () => {
    const { remote, workspaces, ws } = await setup();
    await writeFile(join(ws.path, "a.txt"), "a\n");
    await workspaces.commitAll(ws.path, `fixline: plan for leaked ${secret}`);
    expect(await git(ws.path, "log", "-1", "--format=%s")).toBe("fixline: plan for leaked [redacted]");
    await writeFile(join(ws.path, "b.txt"), "b\n");
    await git(ws.path, "add", "b.txt");
    await git(ws.path, "commit", "--quiet", "-m", `agent says ${secret}`);
    const error = await pushError(() => workspaces.push(ws.path, ws.branch));
    expect(isFixlineError(error, "SECRET_IN_OUTPUT")).toBe(true);
    expect((error as Error).message).toContain("the commit message");
    expect(await remote.refSha(`refs/heads/${ws.branch}`)).toBeUndefined();

    // Once the commit is gone, the same branch pushes: the check is not a blanket refusal.
    await git(ws.path, "reset", "--quiet", "--hard", "HEAD~1");
    await workspaces.push(ws.path, ws.branch);
    expect(await remote.refSha(`refs/heads/${ws.branch}`)).toBe(await workspaces.headSha(ws.path));
  });
});

describe("the push's secret scan cannot be blinded by a forged remote-tracking ref", () => {
  it("still scans a commit hidden behind refs/remotes/origin/<anything>", async () => {
    const { remote, workspaces, ws } = await setup();
    await writeFile(join(ws.path, "leak.txt"), `${secret}\n`);
    await workspaces.commitAll(ws.path, "leak");
    // Another process points a remote-tracking ref at the commit, so "what the remote has" seems to include it.
    await git(ws.path, "update-ref", "refs/remotes/origin/hide-me", "HEAD");
    const error = await pushError(() => workspaces.push(ws.path, ws.branch));
    expect(isFixlineError(error, "SECRET_IN_OUTPUT")).toBe(true);
    expect((error as Error).message).toContain("leak.txt");
    expect(await remote.refSha(`refs/heads/${ws.branch}`)).toBeUndefined();
  });
});

describe("a branch name slugged from a title that held a secret", () => {
  it("is not pushed either", async () => {
    const lower = "abcd1234efgh5678ijkl";
    const remote = await createBareRemote(dirs);
    const workspaces = createWorkspaces({ workspaceDir: await dirs.make("ws"), gitBaseUrl: remote.baseDir, author: { name: "Fixline", email: "f@x.test" }, logger: silentLogger(), redactor: createRedactor([lower]), pathEnv: process.env.PATH });
    const branch = taskBranchName("ffff6666-task", `token ${lower} leaked`);
    expect(branch).toContain(lower);
    const ws = await workspaces.prepare({ taskId: "ffff6666-task", repo: remote.repo, branch });
    await writeFile(join(ws.path, "a.txt"), "a\n");
    await workspaces.commitAll(ws.path, "a");
    const error = await pushError(() => workspaces.push(ws.path, ws.branch));
    expect(isFixlineError(error, "SECRET_IN_OUTPUT")).toBe(true);
    expect((error as Error).message).toContain("the branch name");
    expect(JSON.stringify([(error as Error).message, (error as { details?: unknown }).details])).not.toContain(lower);
    expect(await remote.refSha(`refs/heads/${branch}`)).toBeUndefined();
  });
});
