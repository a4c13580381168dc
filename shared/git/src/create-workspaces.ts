import { mkdir, readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import { join, resolve } from "node:path";
import { FixlineError, type Logger, type Redactor } from "@fixline/core";
import { classifyPushError } from "./classify-push-error";
import { directorySize } from "./directory-size";
import { findSecretInCommits } from "./find-secret-in-commits";
import { gitAuthFor, type GitAuth } from "./git-auth";
import { isAncestor, resolveCommit } from "./git-refs";
import { createGitRunner, type GitRunner } from "./git-runner";
import { locateWorktree, type WorktreeLocation } from "./locate-worktree";
import { ensureMirror, remoteDefaultBranch } from "./mirror";
import { enforceMirrorConfig } from "./mirror-config";
import { parseStatus, type WorkspaceStatus } from "./parse-status";
import { parseRepoName, remoteUrl, type RepoName } from "./remote-url";
import { createRepoLock, type RepoLockOptions } from "./repo-lock";

export interface WorkspacesOptions {
  /** Root for mirrors/, tasks/ and locks/ (config.workspaceDir). */
  workspaceDir: string;
  /** config.github.gitBaseUrl: https://github.com, or a directory / file:// URL of bare repos `<owner>/<repo>.git`. */
  gitBaseUrl: string;
  /** Who Fixline's commits are by (config.github.authorName / authorEmail). */
  author: { name: string; email: string };
  /** A PAT or a GitHub App installation token, asked for before each command that talks to the remote. */
  /** The token for one repository (a PAT, or a GitHub App installation token, which differs per repo). */
  getToken?: (repo: string) => Promise<string | undefined>;
  logger: Logger;
  /** The outbound redactor (redactorFor(config)): a commit holding a configured secret is never pushed. */
  redactor: Redactor;
  /** The PATH git runs with; the entry point passes its own (nothing else of its environment reaches git). */
  pathEnv?: string;
  /** Proxy and CA variables (config.networkEnv) for fetch and push over https. */
  networkEnv?: Record<string, string>;
  /** The git executable (tests wrap it to see what each child received). */
  gitBin?: string;
  lock?: RepoLockOptions;
}

export interface PrepareOptions {
  taskId: string;
  /** `owner/name` */
  repo: string;
  /** The task's branch, `taskBranchName(taskId, title)`. */
  branch: string;
  /** Where a new branch starts; the remote's default branch when not given. */
  baseBranch?: string;
}

export interface Workspace {
  taskId: string;
  repo: string;
  /** The worktree, where the agent runs. */
  path: string;
  branch: string;
  baseBranch: string;
  /** The base branch's commit on the remote at the time of this prepare. */
  baseSha: string;
  headSha: string;
}

export interface WorkspaceInfo {
  taskId: string;
  path: string;
  /** Undefined when the directory is not (or no longer) a worktree of a mirror. */
  repo: string | undefined;
  branch: string | undefined;
  sizeBytes: number;
  /** When the workspace was last prepared or committed to. */
  mtime: Date;
}

export interface SweepOptions {
  /** Workspaces untouched for longer than this are removed... */
  olderThanMs: number;
  /** ...unless their task is still live. */
  isLive?: (taskId: string) => Promise<boolean>;
  now?: () => number;
}

export interface Workspaces {
  prepare(options: PrepareOptions): Promise<Workspace>;
  /** Stages everything (or only `paths`) and commits as the configured author; null when there is nothing to commit. */
  commitAll(path: string, message: string, options?: { paths?: string[] }): Promise<string | null>;
  /** Pushes the local branch to the remote; returns the pushed commit. Rejections throw PUSH_REJECTED. */
  push(path: string, branch: string, options?: { forceWithLease?: boolean }): Promise<string>;
  /** Files that differ between fromRef and toRef, or between fromRef and the working tree (untracked files included). */
  changedFiles(path: string, fromRef: string, toRef?: string): Promise<string[]>;
  /** The unified diff between fromRef and toRef, or between fromRef and the working tree. */
  diff(path: string, fromRef: string, toRef?: string): Promise<string>;
  status(path: string): Promise<WorkspaceStatus>;
  /**
   * Throws away every change except to keepPaths: tracked files go back to HEAD (or to `resetTo`, which
   * first moves the branch there, undoing commits the agent made), untracked files are deleted.
   */
  discardChangesExcept(path: string, keepPaths: string[], options?: { resetTo?: string }): Promise<void>;
  headSha(path: string): Promise<string>;
  /** Whether `ancestor` is in the history of `descendant` (default HEAD); false for a commit the worktree does not have. */
  isAncestor(path: string, ancestor: string, descendant?: string): Promise<boolean>;
  /** A file's content at a ref, or null when the file is not there. */
  fileAtRef(path: string, ref: string, file: string): Promise<string | null>;
  remove(taskId: string): Promise<void>;
  /** Removes stale workspaces; returns the task ids removed. */
  sweep(options: SweepOptions): Promise<string[]>;
  list(): Promise<WorkspaceInfo[]>;
  /** Where a task's worktree lives (whether or not it exists). */
  pathFor(taskId: string): string;
  /**
   * What the worktree's HEAD names (a branch, or undefined when detached) and every local branch and tag
   * with its commit: taken around each agent run, so commits, resets and refs the agent made are seen.
   */
  refSnapshot(path: string): Promise<RefSnapshot>;
  /**
   * Puts `branch` back at `sha` and checks it out without touching the working tree (HEAD re-attached, index
   * reset): whatever the agent committed becomes uncommitted work again.
   */
  resetBranchKeepingTree(path: string, branch: string, sha: string): Promise<void>;
  /** Deletes a local ref (refs/heads/... or refs/tags/...); a missing ref is fine. */
  deleteRef(path: string, ref: string): Promise<void>;
  /** Force-pushes a commit to a ref on the remote outside refs/heads (e.g. refs/fixline/<task>/wip). */
  pushRef(path: string, sha: string, remoteRef: string): Promise<void>;
  /** Fetches a remote ref's commit into the mirror; undefined when the remote does not have it. */
  fetchRef(path: string, remoteRef: string): Promise<string | undefined>;
  /** Makes the working tree match `sha`'s tree while HEAD and the index stay where they are (the difference shows as changes). */
  checkoutTreeAsChanges(path: string, sha: string): Promise<void>;
}

export interface RefSnapshot {
  /** The branch HEAD points to (short name), or undefined when detached. */
  headBranch: string | undefined;
  head: string;
  /** Full ref name -> commit, for refs/heads/* and refs/tags/*. */
  refs: Record<string, string>;
}

const taskIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function createWorkspaces(options: WorkspacesOptions): Workspaces {
  const root = resolve(options.workspaceDir);
  const mirrorsDir = join(root, "mirrors");
  const tasksDir = join(root, "tasks");
  const locksDir = join(root, "locks");
  const logger = options.logger;
  const git: GitRunner = createGitRunner({ logger, pathEnv: options.pathEnv ?? "/usr/local/bin:/usr/bin:/bin", networkEnv: options.networkEnv ?? {}, gitBin: options.gitBin });
  const withLock = createRepoLock(options.lock);
  const authorEnv = {
    GIT_AUTHOR_NAME: options.author.name,
    GIT_AUTHOR_EMAIL: options.author.email,
    GIT_COMMITTER_NAME: options.author.name,
    GIT_COMMITTER_EMAIL: options.author.email,
  };

  /**
   * Where Fixline last left each worktree's branch (prepare, commitAll, discard, push). Every task's branch
   * lives in the shared mirror, where another task's process could move it (issue 14): a push of a tip
   * Fixline did not leave there is refused. In memory: a job resumed by another worker starts a new record.
   */
  const recordedTips = new Map<string, string>();
  /**
   * Commits each worktree's remote already has, as Fixline saw them: the base and the task branch right
   * after prepare's fetch, and every tip it pushed. The push's secret scan starts from these, not from
   * refs/remotes/origin/* (which another process could forge to hide a commit from the scan).
   */
  const knownRemote = new Map<string, Set<string>>();
  const mirrorPathOf = (repo: RepoName) => join(mirrorsDir, repo.owner, `${repo.name}.git`);
  const lockPathOf = (repo: RepoName) => join(locksDir, repo.owner, `${repo.name}.lock`);
  const urlOf = (repo: RepoName) => remoteUrl(options.gitBaseUrl, repo);

  function pathFor(taskId: string): string {
    if (!taskIdPattern.test(taskId)) throw new FixlineError("GIT_FAILED", `"${taskId}" is not a usable task id for a workspace`, { retryable: false });
    return join(tasksDir, taskId);
  }

  async function authFor(url: string, repo: string): Promise<GitAuth> {
    return gitAuthFor(url, await options.getToken?.(repo));
  }

  async function located(path: string): Promise<WorktreeLocation> {
    const location = await locateWorktree(path, mirrorsDir);
    if (!location) throw new FixlineError("GIT_FAILED", `${path} is not a Fixline workspace`, { retryable: false });
    return location;
  }

  /**
   * Before any git command that could run a configured program (add, commit, status, diff, checkout, fetch,
   * push): the mirror's config back to what Fixline wrote (mirror-config.ts, issue 14).
   */
  async function guardMirror(mirrorPath: string, url: string): Promise<void> {
    if (await stat(join(mirrorPath, "config")).catch(() => undefined)) await enforceMirrorConfig(git, mirrorPath, url, logger);
  }

  async function guarded(path: string): Promise<WorktreeLocation> {
    const location = await located(path);
    await guardMirror(location.mirrorPath, urlOf(parseRepoName(location.repo)));
    return location;
  }

  async function currentBranch(path: string): Promise<string | undefined> {
    const result = await git(["symbolic-ref", "--quiet", "--short", "HEAD"], { cwd: path, okExitCodes: [1, 128] });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  async function removeWorktree(mirrorPath: string, path: string): Promise<void> {
    await git(["worktree", "remove", "--force", "--force", path], { cwd: mirrorPath, okExitCodes: [128] });
    await rm(path, { recursive: true, force: true });
    await git(["worktree", "prune"], { cwd: mirrorPath });
  }

  async function checkoutNewWorktree(mirrorPath: string, path: string, branch: string, baseSha: string, log: Logger): Promise<void> {
    await rm(path, { recursive: true, force: true });
    // Forgets registrations whose directories are gone, so `worktree add` does not refuse the path or branch.
    await git(["worktree", "prune"], { cwd: mirrorPath });
    const remoteSha = await resolveCommit(git, mirrorPath, `refs/remotes/origin/${branch}`);
    const localSha = await resolveCommit(git, mirrorPath, `refs/heads/${branch}`);
    if (remoteSha) {
      // The remote is the truth, except for local commits on top of it that a crashed run never pushed.
      const keepLocal = localSha !== undefined && (await isAncestor(git, mirrorPath, remoteSha, localSha));
      if (localSha && !keepLocal) log.warn({ branch, localSha, remoteSha }, "local branch diverged from the remote; using the remote's");
      await git(["branch", "--force", "--no-track", branch, keepLocal && localSha ? localSha : remoteSha], { cwd: mirrorPath });
      await git(["worktree", "add", "--quiet", path, branch], { cwd: mirrorPath });
      await git(["branch", "--quiet", `--set-upstream-to=origin/${branch}`, branch], { cwd: mirrorPath });
    } else if (localSha) {
      await git(["worktree", "add", "--quiet", path, branch], { cwd: mirrorPath });
    } else {
      await git(["worktree", "add", "--quiet", "--no-track", "-b", branch, path, baseSha], { cwd: mirrorPath });
    }
  }

  async function prepare({ taskId, repo, branch, baseBranch }: PrepareOptions): Promise<Workspace> {
    const path = pathFor(taskId);
    const repoName = parseRepoName(repo);
    await git(["check-ref-format", "--branch", branch]);
    const mirrorPath = mirrorPathOf(repoName);
    const url = urlOf(repoName);
    const log = logger.child({ taskId, repo, branch });
    return withLock(lockPathOf(repoName), async () => {
      const auth = await authFor(url, repo);
      // Also before the fetch: `url.<x>.insteadOf` in a tampered config would send our credentials elsewhere.
      await guardMirror(mirrorPath, url);
      await ensureMirror(git, mirrorPath, url, auth);
      const base = baseBranch ?? (await remoteDefaultBranch(git, mirrorPath, url, auth));
      const baseSha = await resolveCommit(git, mirrorPath, `refs/remotes/origin/${base}`);
      if (!baseSha) throw new FixlineError("GIT_FAILED", `the base branch ${base} does not exist on ${repo}`, { retryable: false });

      const existing = await locateWorktree(path, mirrorsDir);
      const reusable = existing?.mirrorPath === mirrorPath && (await currentBranch(path)) === branch;
      if (reusable) {
        const headSha = await resolveCommit(git, path, "HEAD");
        const remoteSha = await resolveCommit(git, mirrorPath, `refs/remotes/origin/${branch}`);
        // Someone (a person, or this task on another worker) pushed on top of what we have: catch up.
        if (headSha && remoteSha && headSha !== remoteSha && (await isAncestor(git, mirrorPath, headSha, remoteSha))) {
          await git(["merge", "--quiet", "--ff-only", remoteSha], { cwd: path, env: authorEnv });
        }
        log.info({ path }, "reusing workspace");
      } else {
        if (existing) {
          log.warn({ path, repo: existing.repo }, "workspace is on another branch or repository; recreating it");
          await removeWorktree(existing.mirrorPath, path);
        }
        await mkdir(tasksDir, { recursive: true });
        await checkoutNewWorktree(mirrorPath, path, branch, baseSha, log);
        log.info({ path }, "workspace created");
      }
      const now = new Date();
      await utimes(path, now, now);
      const head = await headSha(path);
      recordedTips.set(path, head);
      const remoteBranchSha = await resolveCommit(git, mirrorPath, `refs/remotes/origin/${branch}`);
      knownRemote.set(path, new Set([baseSha, ...(remoteBranchSha ? [remoteBranchSha] : [])]));
      return { taskId, repo, path, branch, baseBranch: base, baseSha, headSha: head };
    });
  }

  async function headSha(path: string): Promise<string> {
    const { stdout } = await git(["rev-parse", "--verify", "HEAD"], { cwd: path });
    return stdout.trim();
  }

  async function worktreeHasAncestor(path: string, ancestor: string, descendant = "HEAD"): Promise<boolean> {
    // 128: an unknown commit (e.g. a checkpoint that was never pushed) is simply not in the history.
    const result = await git(["merge-base", "--is-ancestor", ancestor, descendant], { cwd: path, okExitCodes: [1, 128] });
    return result.exitCode === 0;
  }

  async function commitAll(path: string, message: string, commitOptions: { paths?: string[] } = {}): Promise<string | null> {
    const pathspec = commitOptions.paths?.length ? ["--", ...commitOptions.paths.map(literal)] : [];
    await guarded(path);
    await git(["add", "--all", ...pathspec], { cwd: path });
    const staged = await git(["diff", "--cached", "--quiet", ...pathspec], { cwd: path, okExitCodes: [1] });
    if (staged.exitCode === 0) {
      // Nothing new: what the branch holds now (this task's agent may have committed) is what Fixline took.
      recordedTips.set(path, await headSha(path));
      return null;
    }
    // The message is published with the push; a secret that came in with a task title goes (issue 14).
    await git(["commit", "--quiet", "--no-verify", "--message", options.redactor.redact(message), ...pathspec], { cwd: path, env: authorEnv });
    const head = await headSha(path);
    recordedTips.set(path, head);
    return head;
  }

  async function push(path: string, branch: string, pushOptions: { forceWithLease?: boolean } = {}): Promise<string> {
    const location = await guarded(path);
    const url = urlOf(parseRepoName(location.repo));
    const sha = await resolveCommit(git, path, `refs/heads/${branch}`);
    if (!sha) throw new FixlineError("GIT_FAILED", `there is no local branch ${branch} to push`, { retryable: false });
    // The last door before the remote (issue 14): a configured secret in any pushed file stops the push.
    // The branch name is published too (it is slugged from a title a stranger wrote).
    const finding = options.redactor.containsSecret(branch)
      ? { file: "the branch name", commit: sha }
      : await findSecretInCommits(git, path, sha, options.redactor, [...(knownRemote.get(path) ?? [])]);
    if (finding) {
      const shown = options.redactor.redact(branch);
      throw new FixlineError("SECRET_IN_OUTPUT", `${finding.file} (commit ${finding.commit.slice(0, 12)}) holds one of Fixline's configured secrets; ${shown} was not pushed`, {
        details: { file: finding.file, commit: finding.commit, branch: shown },
      });
    }
    const recorded = recordedTips.get(path);
    if (recorded !== undefined && recorded !== sha) {
      throw new FixlineError("PUSH_REJECTED", `${branch} moved to ${sha.slice(0, 12)} after Fixline left it at ${recorded.slice(0, 12)}; not pushing a commit Fixline did not make or take`, {
        details: { branch, expected: recorded, actual: sha },
      });
    }
    const args = ["push", "--no-verify"];
    if (pushOptions.forceWithLease) {
      // Pushing to a URL has no remote-tracking ref to lease against, so name the value we last fetched
      // (empty: the branch must not exist yet).
      const expected = (await resolveCommit(git, location.mirrorPath, `refs/remotes/origin/${branch}`)) ?? "";
      args.push(`--force-with-lease=refs/heads/${branch}:${expected}`);
    }
    args.push(url, `${sha}:refs/heads/${branch}`);
    try {
      await git(args, { cwd: path, auth: await authFor(url, location.repo) });
    } catch (error) {
      throw classifyPushError(error);
    }
    // Keeps the lease for the next force push, and lets a re-prepare see the branch as pushed. Under the
    // lock, so a concurrent `fetch --prune` that listed the remote before this push cannot delete it again.
    await withLock(lockPathOf(parseRepoName(location.repo)), () =>
      git(["update-ref", `refs/remotes/origin/${branch}`, sha], { cwd: location.mirrorPath }),
    );
    recordedTips.set(path, sha);
    knownRemote.get(path)?.add(sha);
    logger.info({ repo: location.repo, branch, sha }, "pushed");
    return sha;
  }

  async function changedFiles(path: string, fromRef: string, toRef?: string): Promise<string[]> {
    const range = toRef ? [fromRef, toRef] : [fromRef];
    await guarded(path);
    const { stdout } = await git(["diff", "--name-only", "--no-renames", "--no-ext-diff", "-z", ...range, "--"], { cwd: path });
    const files = stdout.split("\0").filter(Boolean);
    if (!toRef) {
      const untracked = await git(["ls-files", "--others", "--exclude-standard", "-z"], { cwd: path });
      files.push(...untracked.stdout.split("\0").filter(Boolean));
    }
    return [...new Set(files)].sort();
  }

  async function diff(path: string, fromRef: string, toRef?: string): Promise<string> {
    const range = toRef ? [fromRef, toRef] : [fromRef];
    await guarded(path);
    const { stdout } = await git(["diff", "--no-color", "--no-ext-diff", "--no-textconv", ...range, "--"], { cwd: path });
    return stdout;
  }

  async function status(path: string): Promise<WorkspaceStatus> {
    await guarded(path);
    const { stdout } = await git(["status", "--porcelain=v1", "-z", "--untracked-files=all"], { cwd: path });
    return parseStatus(stdout);
  }

  async function discardChangesExcept(path: string, keepPaths: string[], discardOptions: { resetTo?: string } = {}): Promise<void> {
    await guarded(path);
    if (discardOptions.resetTo) await git(["reset", "--quiet", "--mixed", discardOptions.resetTo], { cwd: path });
    else await git(["reset", "--quiet"], { cwd: path });
    const exclude = keepPaths.map((keep) => `:(exclude,literal)${keep}`);
    const modified = await changedFiles(path, "HEAD");
    const tracked = new Set((await git(["ls-tree", "-r", "--name-only", "-z", "HEAD"], { cwd: path })).stdout.split("\0").filter(Boolean));
    if (modified.some((file) => tracked.has(file) && !keepPaths.includes(file))) {
      await git(["checkout", "HEAD", "--", ".", ...exclude], { cwd: path });
    }
    await git(["clean", "--force", "-d", "--quiet", "--", ".", ...exclude], { cwd: path });
    recordedTips.set(path, await headSha(path));
  }

  async function fileAtRef(path: string, ref: string, file: string): Promise<string | null> {
    const commit = await resolveCommit(git, path, ref);
    if (!commit) throw new FixlineError("GIT_FAILED", `${ref} is not a commit in ${path}`, { retryable: false });
    const blob = await git(["rev-parse", "--verify", "--quiet", `${commit}:${file}`], { cwd: path, okExitCodes: [1, 128] });
    if (blob.exitCode !== 0) return null;
    const { stdout } = await git(["cat-file", "blob", blob.stdout.trim()], { cwd: path });
    return stdout;
  }

  async function remove(taskId: string): Promise<void> {
    const path = pathFor(taskId);
    const location = await locateWorktree(path, mirrorsDir);
    if (!location) {
      await rm(path, { recursive: true, force: true });
      return;
    }
    await withLock(lockPathOf(parseRepoName(location.repo)), async () => {
      await guardMirror(location.mirrorPath, urlOf(parseRepoName(location.repo)));
      const branch = await currentBranch(path);
      await removeWorktree(location.mirrorPath, path);
      recordedTips.delete(path);
      knownRemote.delete(path);
      if (branch) await dropPushedBranch(location.mirrorPath, branch);
    });
    logger.info({ taskId, repo: location.repo }, "workspace removed");
  }

  /** Deletes the local branch once the remote has all of it; unpushed work is kept for a retry to pick up. */
  async function dropPushedBranch(mirrorPath: string, branch: string): Promise<void> {
    const localSha = await resolveCommit(git, mirrorPath, `refs/heads/${branch}`);
    const remoteSha = await resolveCommit(git, mirrorPath, `refs/remotes/origin/${branch}`);
    if (localSha && remoteSha && (await isAncestor(git, mirrorPath, localSha, remoteSha))) {
      await git(["branch", "--quiet", "-D", branch], { cwd: mirrorPath });
    }
  }

  async function list(): Promise<WorkspaceInfo[]> {
    const names = await readdir(tasksDir).catch(() => [] as string[]);
    const infos: WorkspaceInfo[] = [];
    for (const taskId of names.filter((name) => taskIdPattern.test(name)).sort()) {
      const path = join(tasksDir, taskId);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isDirectory()) continue;
      const location = await locateWorktree(path, mirrorsDir);
      let mtimeMs = info.mtimeMs;
      let branch: string | undefined;
      if (location) {
        // The index changes on every commit or add, the directory itself only when prepared.
        const index = await stat(join(location.gitDir, "index")).catch(() => undefined);
        mtimeMs = Math.max(mtimeMs, index?.mtimeMs ?? 0);
        const head = await readFile(join(location.gitDir, "HEAD"), "utf8").catch(() => "");
        branch = /^ref: refs\/heads\/(.+)$/m.exec(head)?.[1];
      }
      infos.push({ taskId, path, repo: location?.repo, branch, sizeBytes: await directorySize(path), mtime: new Date(mtimeMs) });
    }
    return infos;
  }

  async function sweep({ olderThanMs, isLive, now = Date.now }: SweepOptions): Promise<string[]> {
    const removed: string[] = [];
    for (const workspace of await list()) {
      if (now() - workspace.mtime.getTime() <= olderThanMs) continue;
      if (isLive && (await isLive(workspace.taskId))) continue;
      try {
        await remove(workspace.taskId);
        removed.push(workspace.taskId);
      } catch (error) {
        logger.warn({ taskId: workspace.taskId, err: error }, "could not remove stale workspace; will try again on the next sweep");
      }
    }
    if (removed.length > 0) logger.info({ removed }, "swept stale workspaces");
    return removed;
  }

  async function refSnapshot(path: string): Promise<RefSnapshot> {
    const { stdout } = await git(["for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags"], { cwd: path });
    const refs: Record<string, string> = {};
    for (const line of stdout.split("\n")) {
      const [name, sha] = line.trim().split(" ");
      if (name && sha) refs[name] = sha;
    }
    return { headBranch: await currentBranch(path), head: await headSha(path), refs };
  }

  async function resetBranchKeepingTree(path: string, branch: string, sha: string): Promise<void> {
    await git(["check-ref-format", "--branch", branch]);
    await git(["symbolic-ref", "HEAD", `refs/heads/${branch}`], { cwd: path });
    await git(["reset", "--quiet", "--mixed", sha], { cwd: path });
    // Fixline itself chose this commit (its last proven one): the tip a later push expects.
    recordedTips.set(path, sha);
  }

  async function deleteRef(path: string, ref: string): Promise<void> {
    if (!/^refs\/(heads|tags)\//.test(ref)) throw new FixlineError("GIT_FAILED", `${ref} is not a branch or tag`, { retryable: false });
    await git(["update-ref", "-d", ref], { cwd: path, okExitCodes: [1] });
  }

  async function pushRef(path: string, sha: string, remoteRef: string): Promise<void> {
    if (!remoteRef.startsWith("refs/") || remoteRef.startsWith("refs/heads/")) throw new FixlineError("GIT_FAILED", `${remoteRef} is not a side ref`, { retryable: false });
    await git(["check-ref-format", remoteRef]);
    const location = await guarded(path);
    const url = urlOf(parseRepoName(location.repo));
    // A side ref holds unverified work (the wip ref of issue 15), so it passes the same secret scan as a branch.
    const finding = await findSecretInCommits(git, path, sha, options.redactor, [...(knownRemote.get(path) ?? [])]);
    if (finding) {
      throw new FixlineError("SECRET_IN_OUTPUT", `${finding.file} (commit ${finding.commit.slice(0, 12)}) holds one of Fixline's configured secrets; ${remoteRef} was not pushed`, {
        details: { file: finding.file, commit: finding.commit, ref: remoteRef },
      });
    }
    try {
      await git(["push", "--no-verify", url, `+${sha}:${remoteRef}`], { cwd: path, auth: await authFor(url, location.repo) });
    } catch (error) {
      throw classifyPushError(error);
    }
    logger.info({ repo: location.repo, ref: remoteRef, sha }, "pushed");
  }

  async function fetchRef(path: string, remoteRef: string): Promise<string | undefined> {
    await git(["check-ref-format", remoteRef]);
    const location = await located(path);
    const url = urlOf(parseRepoName(location.repo));
    const auth = await authFor(url, location.repo);
    const listed = await git(["ls-remote", url, remoteRef], { cwd: path, auth });
    const sha = listed.stdout.split("\n").find((line) => line.endsWith(`\t${remoteRef}`))?.split("\t")[0];
    if (!sha) return undefined;
    await git(["fetch", "--quiet", "--no-tags", url, remoteRef], { cwd: path, auth });
    return resolveCommit(git, path, sha);
  }

  async function checkoutTreeAsChanges(path: string, sha: string): Promise<void> {
    await git(["read-tree", "--reset", "-u", sha], { cwd: path });
    await git(["reset", "--quiet"], { cwd: path });
  }

  return {
    prepare,
    commitAll,
    push,
    changedFiles,
    diff,
    status,
    discardChangesExcept,
    headSha,
    isAncestor: worktreeHasAncestor,
    fileAtRef,
    remove,
    sweep,
    list,
    pathFor,
    refSnapshot,
    resetBranchKeepingTree,
    deleteRef,
    pushRef,
    fetchRef,
    checkoutTreeAsChanges,
  };
}

/** Pathspecs are globs by default; the paths we are given are file names. */
function literal(path: string): string {
  return `:(literal)${path}`;
}
