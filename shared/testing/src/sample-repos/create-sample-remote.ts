import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The sample projects shipped here, by folder name. */
export const sampleRepos = {
  /**
   * A small ES-module cart service with a real bug and a passing `node --test` suite (3 tests, no deps):
   * `computeTotal` in `src/cart/total.js` throws `TypeError: Cannot read properties of undefined (reading 'price')`
   * for a line whose product was removed (`product: undefined`); it should skip such lines. The stack matches
   * the fake Sentry's sample event (`sentrySampleEvent`). Test command: `node --test`.
   */
  shop: fileURLToPath(new URL("./shop", import.meta.url)),
} as const;

export type SampleRepoName = keyof typeof sampleRepos;

export interface CreateSampleRemoteOptions {
  /** The directory acting as GIT_BASE_URL: bare repositories are laid out as `<root>/<owner>/<name>.git`. */
  root: string;
  owner: string;
  name: string;
  /** Which sample to publish; default `shop`. */
  sample?: SampleRepoName;
}

export interface SampleRemote {
  /** The bare repository (`<root>/<owner>/<name>.git`). */
  path: string;
  /** `owner/name`, as Fixline names repositories. */
  repo: string;
  defaultBranch: "main";
  /** The one commit on main. */
  headSha: string;
}

/** Deterministic identity and no user or system config, so the remote is the same on every machine. */
const gitEnv = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Sample Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Sample Author",
  GIT_COMMITTER_EMAIL: "author@example.com",
};

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("git", args, { cwd, env: gitEnv });
  return stdout.trim();
}

/**
 * Publishes a sample project as a local bare repository whose default branch is `main` with one commit,
 * so tests can set GIT_BASE_URL to `root` and let @fixline/git clone, branch and push for real.
 * Returns where it is and its head commit; the caller removes `root` when done.
 */
export async function createSampleRemote(options: CreateSampleRemoteOptions): Promise<SampleRemote> {
  const source = sampleRepos[options.sample ?? "shop"];
  const path = join(options.root, options.owner, `${options.name}.git`);
  const work = await mkdtemp(join(tmpdir(), "fixline-sample-"));
  try {
    await cp(source, work, { recursive: true });
    await git(["init", "--quiet", "--initial-branch=main"], work);
    await git(["add", "--all"], work);
    await git(["commit", "--quiet", "--message", "Initial commit"], work);
    const headSha = await git(["rev-parse", "HEAD"], work);
    await mkdir(dirname(path), { recursive: true });
    await git(["init", "--quiet", "--bare", "--initial-branch=main", path], work);
    await git(["push", "--quiet", path, "main:refs/heads/main"], work);
    return { path, repo: `${options.owner}/${options.name}`, defaultBranch: "main", headSha };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
