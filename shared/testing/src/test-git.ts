import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A fixed identity and no user or system config, so test repositories are the same on every machine. */
const testGitEnv = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Test Author",
  GIT_AUTHOR_EMAIL: "author@example.com",
  GIT_COMMITTER_NAME: "Test Author",
  GIT_COMMITTER_EMAIL: "author@example.com",
};

/** Runs git in `cwd` for test setup and assertions (seeding remotes, reading their history); trimmed stdout. */
export async function testGit(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("git", args, { cwd, env: testGitEnv });
  return stdout.trim();
}
