import { mkdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createRedactor, isFixlineError, silentLogger, taskBranchName } from "@fixline/core";
import { createWorkspaces, type Workspaces } from "../src/index";
import { createBareRemote, git, tempDirs, type BareRemote } from "./bare-remote";

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const author = { name: "Fixline Bot", email: "bot@fixline.test" };

async function setup(): Promise<{ remote: BareRemote; workspaces: Workspaces; workspaceDir: string }> {
  const remote = await createBareRemote(dirs);
  const workspaceDir = await dirs.make("ws");
  const workspaces = createWorkspaces({ workspaceDir, gitBaseUrl: remote.baseDir, author, logger: silentLogger(), redactor: createRedactor([]), pathEnv: process.env.PATH });
  return { remote, workspaces, workspaceDir };
}

describe("workspaces on a local bare remote", () => {
  it("prepares two worktrees of one repository concurrently, commits on both and pushes both", async () => {
    const { remote, workspaces, workspaceDir } = await setup();
    const a = { taskId: "0a1b2c3d-task-a", repo: remote.repo, branch: taskBranchName("0a1b2c3d-task-a", "Fix the adder") };
    const b = { taskId: "9f8e7d6c-task-b", repo: remote.repo, branch: taskBranchName("9f8e7d6c-task-b", "Null check in parser") };

    const [wa, wb] = await Promise.all([workspaces.prepare(a), workspaces.prepare(b)]);
    const mainSha = await remote.refSha("refs/heads/main");
    expect(wa.baseBranch).toBe("main");
    expect(wa.baseSha).toBe(mainSha);
    expect(wb.headSha).toBe(mainSha);
    expect(wa.path).not.toBe(wb.path);
    expect(wa.branch).toBe("fixline/0a1b2c3d-fix-the-adder");
    // One mirror serves both.
    expect(await git(join(workspaceDir, "mirrors/acme/widget.git"), "worktree", "list")).toContain(wb.path);

    await Promise.all([
      writeFile(join(wa.path, "src/add.js"), "export const add = (a, b) => Number(a) + Number(b);\n"),
      writeFile(join(wb.path, "parser.js"), "export const parse = (s) => s ?? '';\n"),
    ]);
    const [shaA, shaB] = await Promise.all([workspaces.commitAll(wa.path, "Fix the adder"), workspaces.commitAll(wb.path, "Null check")]);
    expect(shaA).toMatch(/^[0-9a-f]{40}$/);
    expect(shaB).toMatch(/^[0-9a-f]{40}$/);
    expect(await git(wa.path, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s")).toBe("Fixline Bot <bot@fixline.test>|Fixline Bot <bot@fixline.test>|Fix the adder");

    await Promise.all([workspaces.push(wa.path, wa.branch), workspaces.push(wb.path, wb.branch)]);
    expect(await remote.refSha(`refs/heads/${wa.branch}`)).toBe(shaA);
    expect(await remote.refSha(`refs/heads/${wb.branch}`)).toBe(shaB);
    expect(await workspaces.changedFiles(wa.path, wa.baseSha, "HEAD")).toEqual(["src/add.js"]);
    expect(await workspaces.changedFiles(wb.path, wb.baseSha, "HEAD")).toEqual(["parser.js"]);
    expect(await workspaces.diff(wa.path, wa.baseSha, "HEAD")).toContain("+export const add = (a, b) => Number(a) + Number(b);");
    expect(await workspaces.fileAtRef(wb.path, "HEAD", "parser.js")).toBe("export const parse = (s) => s ?? '';\n");
    expect(await workspaces.fileAtRef(wb.path, wb.baseSha, "parser.js")).toBeNull();
  });

  it("re-prepares the same task by reusing its worktree and branch, and picks the pushed branch up after removal", async () => {
    const { remote, workspaces, workspaceDir } = await setup();
    const task = { taskId: "11112222-again", repo: remote.repo, branch: "fixline/11112222-again" };
    const first = await workspaces.prepare(task);
    await writeFile(join(first.path, "PLAN.md"), "# Plan\n");
    const planSha = await workspaces.commitAll(first.path, "Plan");
    await writeFile(join(first.path, "notes.txt"), "uncommitted\n");

    const second = await workspaces.prepare(task);
    expect(second.path).toBe(first.path);
    expect(second.headSha).toBe(planSha);
    expect(await readFile(join(second.path, "notes.txt"), "utf8")).toBe("uncommitted\n");
    const mirror = join(workspaceDir, "mirrors/acme/widget.git");
    expect((await git(mirror, "branch", "--list", "fixline/*")).trim().split("\n")).toHaveLength(1);
    expect((await git(mirror, "worktree", "list", "--porcelain")).match(/^worktree /gm)).toHaveLength(2); // the bare mirror + one task

    await workspaces.push(second.path, task.branch);
    await workspaces.remove(task.taskId);
    await expect(stat(first.path)).rejects.toThrow();
    expect(await git(mirror, "branch", "--list", "fixline/*")).toBe(""); // fully pushed, so the local branch went too

    // Someone pushes on top of the task branch; the next prepare starts from the remote's branch.
    const theirs = await remote.pushAsSomeoneElse(task.branch, "PLAN.md", "# Plan, edited\n");
    const third = await workspaces.prepare(task);
    expect(third.headSha).toBe(theirs);
    expect(await git(third.path, "rev-parse", "--abbrev-ref", "@{upstream}")).toBe(`origin/${task.branch}`);
    expect(await workspaces.fileAtRef(third.path, "HEAD", "PLAN.md")).toBe("# Plan, edited\n");
  });

  it("fast-forwards a reused worktree when the remote branch moved ahead", async () => {
    const { remote, workspaces } = await setup();
    const task = { taskId: "33334444-ff", repo: remote.repo, branch: "fixline/33334444-ff" };
    const ws = await workspaces.prepare(task);
    await writeFile(join(ws.path, "a.txt"), "a\n");
    await workspaces.commitAll(ws.path, "a");
    await workspaces.push(ws.path, task.branch);
    const theirs = await remote.pushAsSomeoneElse(task.branch, "b.txt", "b\n");
    const again = await workspaces.prepare(task);
    expect(again.headSha).toBe(theirs);
  });

  it("uses the given base branch, and fails clearly for a missing one", async () => {
    const { remote, workspaces } = await setup();
    await remote.pushAsSomeoneElse("main", "x.txt", "x\n");
    await git(remote.path, "branch", "develop", "main~1");
    const ws = await workspaces.prepare({ taskId: "55556666-base", repo: remote.repo, branch: "fixline/55556666-base", baseBranch: "develop" });
    expect(ws.baseSha).toBe(await remote.refSha("refs/heads/develop"));
    expect(ws.headSha).toBe(ws.baseSha);
    const error = await workspaces.prepare({ taskId: "55556666-none", repo: remote.repo, branch: "fixline/x", baseBranch: "nope" }).catch((e: unknown) => e);
    expect(isFixlineError(error, "GIT_FAILED")).toBe(true);
    const missing = await workspaces.prepare({ taskId: "55556666-repo", repo: "acme/missing", branch: "fixline/y" }).catch((e: unknown) => e);
    expect(isFixlineError(missing, "REPO_NOT_FOUND")).toBe(true);
  });

  it("isAncestor answers from the worktree's history, and false for a commit it does not have", async () => {
    const { remote, workspaces } = await setup();
    const ws = await workspaces.prepare({ taskId: "77778888-ancestor", repo: remote.repo, branch: "fixline/77778888-ancestor" });
    await writeFile(join(ws.path, "PLAN.md"), "# Plan\n");
    const planSha = (await workspaces.commitAll(ws.path, "Plan"))!;
    expect(await workspaces.isAncestor(ws.path, ws.baseSha)).toBe(true);
    expect(await workspaces.isAncestor(ws.path, planSha)).toBe(true);
    expect(await workspaces.isAncestor(ws.path, planSha, ws.baseSha)).toBe(false);
    expect(await workspaces.isAncestor(ws.path, "0123456789abcdef0123456789abcdef01234567")).toBe(false);
  });

  it("commitAll returns null when nothing changed and commits only the given paths", async () => {
    const { remote, workspaces } = await setup();
    const ws = await workspaces.prepare({ taskId: "77778888-commit", repo: remote.repo, branch: "fixline/77778888-commit" });
    expect(await workspaces.commitAll(ws.path, "nothing")).toBeNull();
    await writeFile(join(ws.path, "PLAN.md"), "# Plan\n");
    await writeFile(join(ws.path, "scratch.txt"), "scratch\n");
    const sha = await workspaces.commitAll(ws.path, "Plan only", { paths: ["PLAN.md"] });
    expect(sha).toBe(await workspaces.headSha(ws.path));
    expect(await workspaces.changedFiles(ws.path, ws.baseSha, "HEAD")).toEqual(["PLAN.md"]);
    const status = await workspaces.status(ws.path);
    expect(status.clean).toBe(false);
    expect(status.entries).toEqual([{ path: "scratch.txt", index: "?", worktree: "?" }]);
    expect(await workspaces.commitAll(ws.path, "again", { paths: ["PLAN.md"] })).toBeNull();
  });

  it("discardChangesExcept keeps only PLAN.md, undoing edits, deletions, new files and the agent's own commits", async () => {
    const { remote, workspaces } = await setup();
    const ws = await workspaces.prepare({ taskId: "9999aaaa-plan", repo: remote.repo, branch: "fixline/9999aaaa-plan" });
    await writeFile(join(ws.path, "src/add.js"), "broken\n");
    await writeFile(join(ws.path, "committed-by-agent.txt"), "x\n");
    await git(ws.path, "add", "committed-by-agent.txt");
    await git(ws.path, "commit", "-q", "-m", "agent commit");
    await writeFile(join(ws.path, "README.md"), "changed\n");
    await git(ws.path, "rm", "-q", "--cached", "README.md");
    await mkdir(join(ws.path, "tmp/deep"), { recursive: true });
    await writeFile(join(ws.path, "tmp/deep/file.txt"), "junk\n");
    await writeFile(join(ws.path, "PLAN.md"), "# The plan\n");

    await workspaces.discardChangesExcept(ws.path, ["PLAN.md"], { resetTo: ws.baseSha });

    expect(await workspaces.headSha(ws.path)).toBe(ws.baseSha);
    expect(await workspaces.changedFiles(ws.path, "HEAD")).toEqual(["PLAN.md"]);
    expect(await readFile(join(ws.path, "PLAN.md"), "utf8")).toBe("# The plan\n");
    expect(await readFile(join(ws.path, "src/add.js"), "utf8")).toBe("export const add = (a, b) => a + b;\n");
    expect(await readFile(join(ws.path, "README.md"), "utf8")).toBe("# widget\n");
    await expect(stat(join(ws.path, "tmp"))).rejects.toThrow();
    await expect(stat(join(ws.path, "committed-by-agent.txt"))).rejects.toThrow();
    expect((await workspaces.status(ws.path)).entries).toEqual([{ path: "PLAN.md", index: "?", worktree: "?" }]);
  });

  it("maps a non-fast-forward push and a stale lease to PUSH_REJECTED", async () => {
    const { remote, workspaces } = await setup();
    const task = { taskId: "bbbbcccc-nonff", repo: remote.repo, branch: "fixline/bbbbcccc-nonff" };
    const ws = await workspaces.prepare(task);
    await writeFile(join(ws.path, "a.txt"), "a\n");
    await workspaces.commitAll(ws.path, "a");
    await workspaces.push(ws.path, task.branch);
    const theirs = await remote.pushAsSomeoneElse(task.branch, "theirs.txt", "theirs\n");
    await writeFile(join(ws.path, "b.txt"), "b\n");
    await workspaces.commitAll(ws.path, "b");

    const plain = await workspaces.push(ws.path, task.branch).catch((e: unknown) => e);
    expect(isFixlineError(plain, "PUSH_REJECTED")).toBe(true);
    const leased = await workspaces.push(ws.path, task.branch, { forceWithLease: true }).catch((e: unknown) => e);
    expect(isFixlineError(leased, "PUSH_REJECTED")).toBe(true);
    expect(await remote.refSha(`refs/heads/${task.branch}`)).toBe(theirs);
  });

  it("force-pushes with a lease when the remote is where we last saw it", async () => {
    const { remote, workspaces } = await setup();
    const task = { taskId: "ddddeeee-lease", repo: remote.repo, branch: "fixline/ddddeeee-lease" };
    const ws = await workspaces.prepare(task);
    await writeFile(join(ws.path, "a.txt"), "a\n");
    await workspaces.commitAll(ws.path, "a");
    await workspaces.push(ws.path, task.branch);
    await git(ws.path, "commit", "-q", "--amend", "-m", "a, reworded");
    // Fixline takes the rewritten branch as it is (commitAll with nothing new): only then is its tip pushed.
    await workspaces.commitAll(ws.path, "nothing new");
    const amended = await workspaces.headSha(ws.path);
    await expect(workspaces.push(ws.path, task.branch, { forceWithLease: true })).resolves.toBe(amended);
    expect(await remote.refSha(`refs/heads/${task.branch}`)).toBe(amended);
  });

  it("lists workspaces with branch and size, and sweeps stale ones while keeping live ones", async () => {
    const { remote, workspaces } = await setup();
    const ids = ["10000000-stale", "20000000-live", "30000000-fresh"];
    const prepared = await Promise.all(ids.map((taskId) => workspaces.prepare({ taskId, repo: remote.repo, branch: `fixline/${taskId}` })));
    await writeFile(join(prepared[0]!.path, "big.bin"), Buffer.alloc(200_000));

    const listed = await workspaces.list();
    expect(listed.map((w) => [w.taskId, w.branch, w.repo])).toEqual(ids.map((id) => [id, `fixline/${id}`, "acme/widget"]));
    const sizes = Object.fromEntries(listed.map((w) => [w.taskId, w.sizeBytes]));
    expect(sizes["10000000-stale"]! - sizes["30000000-fresh"]!).toBe(200_000);
    expect(sizes["30000000-fresh"]).toBeGreaterThan(0);

    const now = Date.now();
    const old = new Date(now - 3 * 3_600_000);
    for (const ws of prepared.slice(0, 2)) {
      await utimes(ws.path, old, old);
      const gitDir = (await readFile(join(ws.path, ".git"), "utf8")).replace(/^gitdir: /, "").trim();
      await utimes(join(gitDir, "index"), old, old);
    }
    const removed = await workspaces.sweep({ olderThanMs: 3_600_000, isLive: async (id) => id === "20000000-live", now: () => now });
    expect(removed).toEqual(["10000000-stale"]);
    expect((await workspaces.list()).map((w) => w.taskId)).toEqual(["20000000-live", "30000000-fresh"]);
  });
});
