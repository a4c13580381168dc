import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFixlineError } from "@fixline/core";
import { installSkills } from "../src/index";
import { writeSkill } from "./harness";

const git = async (cwd: string, ...args: string[]) => (await promisify(execFile)("git", args, { cwd })).stdout;

describe("installSkills", () => {
  let root: string;
  let mirror: string;
  let worktree: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "fixline-skills-"));
    mirror = join(root, "repo");
    await mkdir(mirror);
    await git(mirror, "init", "-q", "-b", "main");
    await writeFile(join(mirror, "README.md"), "hi\n");
    await git(mirror, "add", ".");
    await git(mirror, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "init");
    // Workers run Claude in a linked worktree, whose .git is a file: info/exclude lives in the common dir.
    worktree = join(root, "wt");
    await git(mirror, "worktree", "add", "-q", "-b", "fixline/task", worktree);
    await writeSkill(root, "plan-changes");
    await writeSkill(root, "discovery");
    await writeFile(join(root, "skills", "discovery", "checklist.md"), "- look around\n");
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("copies skill folders into .claude/skills and keeps them out of git in a linked worktree", async () => {
    const installed = await installSkills(worktree, ["plan-changes", "discovery"], join(root, "skills"));
    expect(installed).toEqual([join(worktree, ".claude/skills/plan-changes"), join(worktree, ".claude/skills/discovery")]);
    expect(await readFile(join(worktree, ".claude/skills/discovery/checklist.md"), "utf8")).toBe("- look around\n");
    expect(await git(worktree, "status", "--porcelain", "--untracked-files=all")).toBe("");
    const exclude = await readFile(join(mirror, ".git", "info", "exclude"), "utf8");
    expect(exclude).toContain("/.claude/skills/plan-changes/");
    // `git add -A` (what a careless commit step does) still leaves them out.
    await git(worktree, "add", "-A");
    expect(await git(worktree, "diff", "--cached", "--name-only")).toBe("");
  });

  it("is idempotent: a second install adds no duplicate exclude lines", async () => {
    await installSkills(worktree, ["plan-changes"], join(root, "skills"));
    const exclude = await readFile(join(mirror, ".git", "info", "exclude"), "utf8");
    expect(exclude.split("\n").filter((l) => l === "/.claude/skills/plan-changes/")).toHaveLength(1);
  });

  it("names the missing skill and SKILLS_DIR when a skill does not exist", async () => {
    const error = await installSkills(worktree, ["no-such-skill"], join(root, "skills")).catch((e: unknown) => e);
    expect(isFixlineError(error, "ENV_SETUP_FAILED")).toBe(true);
    expect((error as Error).message).toMatch(/no-such-skill.*SKILLS_DIR/);
    await expect(installSkills(worktree, ["../etc"], join(root, "skills"))).rejects.toThrow(/invalid skill name/);
  });
});
