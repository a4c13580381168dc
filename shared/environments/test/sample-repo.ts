import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

export const fixturesDir = join(import.meta.dirname, "fixtures");

/** A git work tree holding a copy of a fixture, committed, like the worktree a task gets. */
export async function sampleRepo(fixture: string | undefined, label: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `fixline-env-${label}-`));
  if (fixture) await cp(join(fixturesDir, fixture), dir, { recursive: true });
  await execa("git", ["init", "-q", "-b", "main"], { cwd: dir });
  await execa("git", ["add", "-A"], { cwd: dir });
  await execa("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "sample"], { cwd: dir });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function gitStatus(dir: string): Promise<string> {
  return (await execa("git", ["status", "--porcelain"], { cwd: dir })).stdout;
}
