/**
 * @fixline/git — the workspaces agents run in.
 *
 * Layout under `workspaceDir`:
 * - `mirrors/<owner>/<name>.git` — one bare repository per remote repository, cloned once and fetched on
 *   every `prepare`. Remote branches live under `refs/remotes/origin/*` (not a `--mirror` refspec) so
 *   fetching never collides with the task branches that worktrees have checked out.
 * - `tasks/<taskId>` — one `git worktree` of that mirror per task, on branch `fixline/<short-id>-<slug>`
 *   (`taskBranchName` from @fixline/core). All worktrees of a repository share the mirror's objects.
 * - `locks/<owner>/<name>.lock` — held while a mirror is fetched or its worktrees are added or removed: an
 *   in-process queue plus an atomic `mkdir` lock with a heartbeat, so several worker processes can share
 *   one workspace directory; a lock whose holder died goes stale and is taken over.
 *
 * Idempotency: `prepare` for a task whose worktree exists reuses it (fast-forwarding to the remote branch
 * if someone pushed on top); without a worktree it checks the branch out from the remote if it exists
 * there (keeping unpushed local commits on top of it), else creates it from the base branch (the remote's
 * default branch unless given). `remove` deletes the worktree and, once it is fully pushed, the local branch.
 *
 * Credentials: the token from `getToken()` (PAT or GitHub App installation token) reaches only the git
 * commands that talk to the remote (fetch, ls-remote, push), as an `http.<repo-url>.extraHeader` with
 * `Authorization: Basic base64(x-access-token:<token>)` passed through GIT_CONFIG_COUNT/KEY/VALUE in that
 * command's environment. It is never in argv, a remote URL, a config file, a log line or an error, and
 * never in the environment of commands that run in the worktree otherwise. Every git child gets a clean
 * environment (PATH, locale, no prompts, no global or system config), and hooks, fsmonitor and credential
 * helpers are switched off on the command line, because the agent can edit the shared repository config.
 * Local remotes (a directory or file:// URL) get no credentials at all.
 *
 * Errors: FixlineError CLONE_FAILED / REPO_NOT_FOUND (fetch), PUSH_REJECTED (non-fast-forward, stale
 * lease, protected branch, hook declined), GIT_FAILED otherwise — with the scrubbed command and stderr.
 */
export {
  createWorkspaces,
  type Workspaces,
  type WorkspacesOptions,
  type Workspace,
  type WorkspaceInfo,
  type PrepareOptions,
  type SweepOptions,
  type RefSnapshot,
} from "./create-workspaces";
export type { WorkspaceStatus, StatusEntry } from "./parse-status";
export type { RepoLockOptions } from "./repo-lock";
export { gitAuthFor, basicAuthHeaderValue, type GitAuth } from "./git-auth";
export { scrubSecrets } from "./scrub-secrets";
