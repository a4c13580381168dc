import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor, silentLogger } from "@fixline/core";
import { createWorkspaces } from "../src/index";
import { createBareRemote, git, tempDirs } from "./bare-remote";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

async function setup() {
  const remote = await createBareRemote(dirs);
  const workspaces = createWorkspaces({ workspaceDir: await dirs.make("ws"), gitBaseUrl: remote.baseDir, author: { name: "Fixline Bot", email: "bot@fixline.test" }, logger: silentLogger(), redactor: createRedactor([]), pathEnv: process.env.PATH });
  const ws = await workspaces.prepare({ taskId: "7777aaaa-refs", repo: remote.repo, branch: "fixline/7777aaaa-refs" });
  return { remote, workspaces, ws };
}

/** The git primitives the executor uses to take back what an agent did (issue 15). */
describe("agent refs: snapshot, take back, wip refs", () => {
  it("snapshots HEAD and refs, and takes an agent's commit and checkout back as uncommitted work", async () => {
    const { workspaces, ws } = await setup();
    const before = await workspaces.refSnapshot(ws.path);
    expect(before).toMatchObject({ headBranch: ws.branch, head: ws.headSha });
    expect(before.refs[`refs/heads/${ws.branch}`]).toBe(ws.headSha);

    await writeFile(join(ws.path, "src/add.js"), "agent\n");
    await git(ws.path, "-c", "user.name=a", "-c", "user.email=a@x", "commit", "-qam", "agent");
    await git(ws.path, "tag", "agent-tag");
    await git(ws.path, "checkout", "-q", "-b", "agent-side");
    const after = await workspaces.refSnapshot(ws.path);
    expect(after.headBranch).toBe("agent-side");
    expect(Object.keys(after.refs)).toEqual(expect.arrayContaining(["refs/tags/agent-tag", "refs/heads/agent-side"]));

    await workspaces.resetBranchKeepingTree(ws.path, ws.branch, ws.headSha);
    await workspaces.deleteRef(ws.path, "refs/tags/agent-tag");
    await workspaces.deleteRef(ws.path, "refs/heads/agent-side");
    const back = await workspaces.refSnapshot(ws.path);
    expect(back).toMatchObject({ headBranch: ws.branch, head: ws.headSha });
    expect(back.refs["refs/tags/agent-tag"]).toBeUndefined();
    expect(await readFile(join(ws.path, "src/add.js"), "utf8")).toBe("agent\n");
    expect(await workspaces.changedFiles(ws.path, "HEAD")).toEqual(["src/add.js"]);
    await expect(workspaces.deleteRef(ws.path, "refs/remotes/origin/main")).rejects.toThrow(/not a branch or tag/);
  });

  it("pushes a wip commit to a side ref only (never refs/heads), fetches it back and checks its tree out as changes", async () => {
    const { remote, workspaces, ws } = await setup();
    await writeFile(join(ws.path, "src/add.js"), "wip\n");
    await writeFile(join(ws.path, "new.txt"), "new\n");
    const wip = (await workspaces.commitAll(ws.path, "wip"))!;
    await workspaces.resetBranchKeepingTree(ws.path, ws.branch, ws.headSha);
    await git(ws.path, "checkout", "-q", "--", ".");
    await git(ws.path, "clean", "-qfd");
    const ref = "refs/fixline/7777aaaa-refs/wip";
    await expect(workspaces.pushRef(ws.path, wip, `refs/heads/${ws.branch}`)).rejects.toThrow(/not a side ref/);
    await workspaces.pushRef(ws.path, wip, ref);
    expect(await git(remote.path, "rev-parse", ref)).toBe(wip);
    expect(await git(remote.path, "for-each-ref", "--format=%(refname)", "refs/heads")).not.toContain("wip");

    expect(await workspaces.fetchRef(ws.path, ref)).toBe(wip);
    expect(await workspaces.fetchRef(ws.path, "refs/fixline/none/wip")).toBeUndefined();
    await workspaces.checkoutTreeAsChanges(ws.path, wip);
    expect(await workspaces.headSha(ws.path)).toBe(ws.headSha);
    expect(await workspaces.changedFiles(ws.path, "HEAD")).toEqual(["new.txt", "src/add.js"]);
    expect(await readFile(join(ws.path, "new.txt"), "utf8")).toBe("new\n");
  });
});
