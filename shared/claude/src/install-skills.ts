import { execFile } from "node:child_process";
import { access, appendFile, cp, mkdir, readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { promisify } from "node:util";
import { FixlineError } from "@fixline/core";

const run = promisify(execFile);

/**
 * Copies each named skill folder (`<skillsDir>/<name>/SKILL.md` and its files) into the worktree's
 * `.claude/skills/`, where the CLI finds project skills, and lists them in git's info/exclude so they are
 * never committed with the agent's change. Returns the installed folders.
 */
export async function installSkills(
  worktree: string,
  skillNames: readonly string[],
  skillsDir: string,
  /** Sandboxed runs install into Fixline's own `.claude/` folder (`into`), outside the worktree: nothing to exclude. */
  options: { gitExclude?: boolean; into?: string } = {},
): Promise<string[]> {
  const installed: string[] = [];
  for (const name of skillNames) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new FixlineError("ENV_SETUP_FAILED", `invalid skill name "${name}"`);
    const source = resolve(skillsDir, name);
    try {
      await access(join(source, "SKILL.md"));
    } catch {
      throw new FixlineError("ENV_SETUP_FAILED", `skill "${name}" has no SKILL.md in ${resolve(skillsDir)}; check SKILLS_DIR`);
    }
    const target = join(worktree, options.into ?? ".claude", "skills", name);
    await mkdir(target, { recursive: true });
    await cp(source, target, { recursive: true, force: true });
    installed.push(target);
  }
  if (skillNames.length > 0 && options.gitExclude !== false) await excludeFromGit(worktree, skillNames.map((name) => `/.claude/skills/${name}/`));
  return installed;
}

/**
 * Adds patterns to info/exclude. For a linked worktree `.git` is a file and info/exclude lives in the common
 * git dir (git rev-parse --git-common-dir), which every worktree of the repository reads.
 */
async function excludeFromGit(worktree: string, patterns: string[]): Promise<void> {
  let commonDir: string;
  try {
    // Nothing of the worker's environment (its secrets) reaches a git child in the agent's worktree.
    const { stdout } = await run("git", ["rev-parse", "--git-common-dir"], { cwd: worktree, env: { PATH: "/usr/local/bin:/usr/bin:/bin", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" } });
    commonDir = stdout.trim();
  } catch (error) {
    throw new FixlineError("GIT_FAILED", `cannot find the git dir of ${worktree} to exclude the skills from commits`, { cause: error });
  }
  if (!isAbsolute(commonDir)) commonDir = resolve(worktree, commonDir);
  const excludePath = join(commonDir, "info", "exclude");
  await mkdir(join(commonDir, "info"), { recursive: true });
  const current = await readFile(excludePath, "utf8").catch(() => "");
  const lines = new Set(current.split("\n").map((line) => line.trim()));
  const missing = patterns.filter((pattern) => !lines.has(pattern));
  if (missing.length === 0) return;
  const prefix = current === "" || current.endsWith("\n") ? "" : "\n";
  await appendFile(excludePath, `${prefix}# Fixline skills, installed per run\n${missing.join("\n")}\n`);
}
