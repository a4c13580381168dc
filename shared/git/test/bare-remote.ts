import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execa } from "execa";

/** Git for test setup: the host's config ignored, a fixed author, no prompts. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa("git", ["-C", cwd, ...args], {
    env: {
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_AUTHOR_NAME: "Remote Person",
      GIT_AUTHOR_EMAIL: "person@example.com",
      GIT_COMMITTER_NAME: "Remote Person",
      GIT_COMMITTER_EMAIL: "person@example.com",
    },
  });
  return result.stdout;
}

export interface BareRemote {
  /** gitBaseUrl for createWorkspaces: a directory holding `<owner>/<name>.git`. */
  baseDir: string;
  repo: string;
  /** The bare repository's path. */
  path: string;
  /** The commit a ref points to on the remote, or undefined. */
  refSha(ref: string): Promise<string | undefined>;
  /** Commits a file on a branch of the remote as somebody else would (clone, commit, push). */
  pushAsSomeoneElse(branch: string, file: string, content: string): Promise<string>;
}

export interface TempDirs {
  make(prefix: string): Promise<string>;
  cleanup(): Promise<void>;
}

export function tempDirs(): TempDirs {
  const made: string[] = [];
  return {
    async make(prefix) {
      const dir = await mkdtemp(join(tmpdir(), `fixline-git-${prefix}-`));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** A bare repository `<baseDir>/<owner>/<name>.git` whose default branch holds `files` in one commit. */
export async function createBareRemote(
  dirs: TempDirs,
  options: { repo?: string; defaultBranch?: string; files?: Record<string, string> } = {},
): Promise<BareRemote> {
  const repo = options.repo ?? "acme/widget";
  const defaultBranch = options.defaultBranch ?? "main";
  const files = options.files ?? { "README.md": "# widget\n", "src/add.js": "export const add = (a, b) => a + b;\n" };
  const baseDir = await dirs.make("remote");
  const path = join(baseDir, `${repo}.git`);
  await mkdir(path, { recursive: true });
  await git(path, "init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`);

  const seed = await dirs.make("seed");
  await git(seed, "init", "--quiet", `--initial-branch=${defaultBranch}`);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(seed, file)), { recursive: true });
    await writeFile(join(seed, file), content);
  }
  await git(seed, "add", "--all");
  await git(seed, "commit", "--quiet", "-m", "initial");
  await git(seed, "push", "--quiet", path, `HEAD:refs/heads/${defaultBranch}`);

  return {
    baseDir,
    repo,
    path,
    async refSha(ref) {
      const out = await execa("git", ["-C", path, "rev-parse", "--verify", "--quiet", ref], { reject: false });
      return out.exitCode === 0 ? out.stdout.trim() : undefined;
    },
    async pushAsSomeoneElse(branch, file, content) {
      const clone = await dirs.make("someone");
      await git(clone, "clone", "--quiet", "--branch", branch, path, ".");
      await writeFile(join(clone, file), content);
      await git(clone, "add", "--all");
      await git(clone, "commit", "--quiet", "-m", `someone else changed ${file}`);
      await git(clone, "push", "--quiet", "origin", `HEAD:refs/heads/${branch}`);
      return (await git(clone, "rev-parse", "HEAD")).trim();
    },
  };
}
