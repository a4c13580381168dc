import { appendFile, mkdir, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { execa } from "execa";
import { defaultPathEnv } from "./build-command-env";

/**
 * Adds patterns to the repository's info/exclude, so installed dependencies (a restored node_modules, the
 * virtualenv) never show up as changes the agent or the worker could commit, even in repositories whose
 * .gitignore forgot them. Does nothing outside a git work tree.
 */
export async function excludeFromGit(worktree: string, patterns: string[]): Promise<void> {
  // A git child in the agent's worktree gets nothing of the worker's environment (its secrets) and reads no
  // host config, like every other git command Fixline runs.
  const result = await execa("git", ["rev-parse", "--git-path", "info/exclude"], {
    cwd: worktree,
    reject: false,
    extendEnv: false,
    env: { PATH: defaultPathEnv(), GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
  if (result.exitCode !== 0 || !result.stdout.trim()) return;
  const file = resolve(worktree, result.stdout.trim());
  const current = await readFile(file, "utf8").catch(() => "");
  const lines = new Set(current.split("\n").map((line) => line.trim()));
  const missing = patterns.filter((pattern) => !lines.has(pattern));
  if (missing.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${current === "" || current.endsWith("\n") ? "" : "\n"}# added by Fixline: installed dependencies\n${missing.join("\n")}\n`);
}
