import { access, mkdir, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { randomBytes } from "node:crypto";
import { FixlineError } from "@fixline/core";
import type { GitAuth } from "./git-auth";
import type { GitRunner } from "./git-runner";
import { fetchRefspec, writeMirrorConfig } from "./mirror-config";

// Remote branches land under refs/remotes/origin/* (fetchRefspec) rather than mirrored onto refs/heads/* as
// `clone --mirror` would: worktrees check out local branches in this same repository, and a mirror refspec
// would make every fetch fight with (and refuse to update) the branches that tasks have checked out.

/** Creates the bare mirror of a repository on first use; later calls only fetch. */
export async function ensureMirror(git: GitRunner, mirrorPath: string, url: string, auth: GitAuth): Promise<void> {
  if (await exists(`${mirrorPath}/HEAD`)) {
    await fetchMirror(git, mirrorPath, url, auth);
    return;
  }
  await mkdir(dirname(mirrorPath), { recursive: true });
  // Built aside and renamed into place, so a clone interrupted half-way never looks like a mirror.
  const staging = `${mirrorPath}.staging-${randomBytes(4).toString("hex")}`;
  try {
    await git(["init", "--quiet", "--bare", staging]);
    // Exactly the config enforceMirrorConfig holds it to (mirror-config.ts).
    await writeMirrorConfig(git, `${staging}/config`, url);
    await fetchMirror(git, staging, url, auth);
    await rename(staging, mirrorPath);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Fetches by URL and explicit refspec rather than by remote name, so a remote URL changed in the shared
 * config (the agent can run git in its worktree) cannot redirect where our credentials go.
 */
export async function fetchMirror(git: GitRunner, mirrorPath: string, url: string, auth: GitAuth): Promise<void> {
  try {
    await git(["fetch", "--quiet", "--prune", "--no-tags", url, fetchRefspec], { cwd: mirrorPath, auth, errorCode: "CLONE_FAILED" });
  } catch (error) {
    throw asRepoNotFound(error);
  }
}

/** The branch the remote's HEAD points to (GitHub's default branch). */
export async function remoteDefaultBranch(git: GitRunner, mirrorPath: string, url: string, auth: GitAuth): Promise<string> {
  const { stdout } = await git(["ls-remote", "--symref", url, "HEAD"], { cwd: mirrorPath, auth, errorCode: "CLONE_FAILED" });
  const match = /^ref: refs\/heads\/(\S+)\s+HEAD$/m.exec(stdout);
  if (!match?.[1]) {
    throw new FixlineError("GIT_FAILED", `could not tell the default branch of ${url}; pass the base branch explicitly`);
  }
  return match[1];
}

function asRepoNotFound(error: unknown): unknown {
  if (!(error instanceof FixlineError)) return error;
  const stderr = typeof error.details?.stderr === "string" ? error.details.stderr : "";
  if (/repository not found|does not appear to be a git repository|not found/i.test(stderr)) {
    return new FixlineError("REPO_NOT_FOUND", error.message, { cause: error, details: error.details });
  }
  return error;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
