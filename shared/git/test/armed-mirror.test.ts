import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor, silentLogger, taskBranchName } from "@fixline/core";
import { createWorkspaces } from "../src/index";
import { createBareRemote, git, tempDirs } from "./bare-remote";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/**
 * Issue 14, item 4, as the attacker did it: an agent that can write the shared mirror arms it with a filter
 * driver (and every other key that names a program), so that Fixline's own `git add`, `diff`, `status`,
 * `push` and the next task's `worktree add` run its command. The marker command must never run.
 */
async function arm(mirror: string, worktree: string, marker: string, scratch: string): Promise<void> {
  // A script, so the same command works in `git config` values and hand-written config files alike.
  const run = join(scratch, "evil.sh");
  await writeFile(run, `#!/bin/sh\necho ran >> ${marker}\ncat\n`, { mode: 0o755 });
  const included = join(scratch, "included.gitconfig");
  await writeFile(included, `[filter "inc"]\n\tclean = ${run}\n\tsmudge = ${run}\n\trequired = true\n`);
  const settings: Array<[string, string]> = [
    ["filter.x.clean", run],
    ["filter.x.smudge", run],
    ["filter.x.required", "true"],
    ["filter.p.process", run],
    ["diff.x.textconv", run],
    ["diff.x.command", run],
    ["merge.x.driver", run],
    ["diff.external", run],
    ["core.sshCommand", run],
    ["core.pager", run],
    ["core.editor", run],
    ["core.attributesFile", join(scratch, "attributes")],
    ["include.path", included],
    ["extensions.worktreeConfig", "true"],
    ["remote.origin.uploadpack", run],
    ["remote.origin.receivepack", run],
  ];
  for (const [key, value] of settings) await git(mirror, "config", "--file", join(mirror, "config"), key, value);
  await writeFile(join(scratch, "attributes"), "* filter=x diff=x merge=x\n");
  await writeFile(join(mirror, "info", "attributes"), "* filter=x diff=x merge=x\n*.js filter=p\n*.md filter=inc\n");
  for (const id of await readdir(join(mirror, "worktrees"))) {
    await writeFile(join(mirror, "worktrees", id, "config.worktree"), `[core]\n\tbare = false\n[filter "x"]\n\tclean = ${run}\n\tsmudge = ${run}\n`);
  }
  // And a committed .gitattributes naming the same drivers, as a repository could ship.
  await writeFile(join(worktree, ".gitattributes"), "* filter=x diff=x merge=x\n");
}

describe("a mirror armed by the agent", () => {
  it("runs nothing in Fixline's git, in the same task or in the next task of that repository", async () => {
    const remote = await createBareRemote(dirs);
    const workspaceDir = await dirs.make("ws");
    const scratch = await dirs.make("attacker");
    const marker = join(scratch, "MARKER");
    const workspaces = createWorkspaces({ workspaceDir, gitBaseUrl: remote.baseDir, author: { name: "Fixline", email: "f@x.test" }, logger: silentLogger(), redactor: createRedactor([]), pathEnv: process.env.PATH });
    const mirror = join(workspaceDir, "mirrors/acme/widget.git");

    const a = await workspaces.prepare({ taskId: "aaaa1111-task-a", repo: remote.repo, branch: taskBranchName("aaaa1111-task-a", "first") });
    await arm(mirror, a.path, marker, scratch);
    // The control: the attack is live against a plain git in this worktree.
    await writeFile(join(a.path, "control.txt"), "control\n");
    await git(a.path, "add", "control.txt").catch(() => "");
    expect(existsSync(marker)).toBe(true);
    await git(a.path, "reset", "--quiet").catch(() => "");
    await rm(join(a.path, "control.txt"));
    await rm(marker);

    // Task A: the agent's change, committed, diffed, listed and pushed by Fixline.
    await writeFile(join(a.path, "src/add.js"), "export const add = (a, b) => Number(a) + Number(b);\n");
    await writeFile(join(a.path, "notes.md"), "# notes\n");
    await workspaces.status(a.path);
    const changed = await workspaces.changedFiles(a.path, a.baseSha);
    expect(changed).toEqual([".gitattributes", "notes.md", "src/add.js"]);
    expect(await workspaces.diff(a.path, a.baseSha)).toContain("Number(a)");
    const commit = await workspaces.commitAll(a.path, "fix the adder");
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    await workspaces.push(a.path, a.branch);
    expect(existsSync(marker)).toBe(false);
    // What was committed is the file as written (no clean filter rewrote it).
    expect(await workspaces.fileAtRef(a.path, "HEAD", "src/add.js")).toBe("export const add = (a, b) => Number(a) + Number(b);\n");

    // The config Fixline left is its own again; the attacker's other hiding places are empty.
    const config = await git(mirror, "config", "--file", join(mirror, "config"), "--list");
    expect(config).not.toMatch(/filter\.|diff\.|merge\.|sshcommand|pager|editor|include|attributesfile|extensions|uploadpack|receivepack/i);
    expect(existsSync(join(mirror, "info", "attributes"))).toBe(false);

    // The agent arms it again before the next task of this repository; task B's worktree add checks out
    // .gitattributes-carrying files (smudge), then commits and pushes.
    await arm(mirror, a.path, marker, scratch);
    await workspaces.remove(a.taskId);
    const b = await workspaces.prepare({ taskId: "bbbb2222-task-b", repo: remote.repo, branch: a.branch });
    expect(await readFile(join(b.path, "src/add.js"), "utf8")).toContain("Number(a)");
    await writeFile(join(b.path, "README.md"), "# widget, again\n");
    await workspaces.commitAll(b.path, "readme");
    await workspaces.push(b.path, b.branch);
    expect(existsSync(marker)).toBe(false);
    expect(await remote.refSha(`refs/heads/${a.branch}`)).toBe(await workspaces.headSha(b.path));
  });
});

describe("another task's process moving this task's branch in the shared mirror", () => {
  it("is not pushed: the tip must be where Fixline left it", async () => {
    const remote = await createBareRemote(dirs);
    const workspaceDir = await dirs.make("ws");
    const workspaces = createWorkspaces({ workspaceDir, gitBaseUrl: remote.baseDir, author: { name: "Fixline", email: "f@x.test" }, logger: silentLogger(), redactor: createRedactor([]), pathEnv: process.env.PATH });
    const a = await workspaces.prepare({ taskId: "dddd4444-task-a", repo: remote.repo, branch: taskBranchName("dddd4444-task-a", "attacker") });
    const b = await workspaces.prepare({ taskId: "eeee5555-task-b", repo: remote.repo, branch: taskBranchName("eeee5555-task-b", "victim") });
    await writeFile(join(b.path, "fix.js"), "export const fix = 1;\n");
    await workspaces.commitAll(b.path, "the victim's fix");

    // Task A's agent makes a commit on top of B's work and points B's branch at it.
    await writeFile(join(a.path, "backdoor.js"), "export const backdoor = 1;\n");
    await git(a.path, "add", "backdoor.js");
    const tree = (await git(a.path, "write-tree")).trim();
    const evil = (await git(a.path, "commit-tree", tree, "-p", await workspaces.headSha(b.path), "-m", "looks innocent")).trim();
    await git(a.path, "update-ref", `refs/heads/${b.branch}`, evil);

    await expect(workspaces.push(b.path, b.branch)).rejects.toMatchObject({ code: "PUSH_REJECTED" });
    expect(await remote.refSha(`refs/heads/${b.branch}`)).toBeUndefined();
  });
});
