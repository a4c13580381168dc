import type { RepoPermission } from "./repo-permission";

export interface GitHubRepo {
  fullName: string;
  defaultBranch: string;
  private: boolean;
  htmlUrl: string;
  /** What Fixline's own credential may do there. */
  permissions: { admin: boolean; push: boolean; pull: boolean };
}

export interface PullRequest {
  number: number;
  /** GraphQL node id, needed to mark the PR ready for review. */
  nodeId: string;
  url: string;
  title: string;
  body: string | null;
  draft: boolean;
  state: "open" | "closed";
  head: string;
  base: string;
  /** Issue 21 (outcomes): present when GitHub says (GET of one PR does; lists may not). */
  merged?: boolean;
  mergedAt?: string | null;
  mergeCommitSha?: string | null;
}

export interface GitHubIssue {
  number: number;
  title: string;
  body: string | null;
  state: string;
  url: string;
  author: string | undefined;
  labels: string[];
  isPullRequest: boolean;
}

export interface GitHubComment {
  id: number;
  url: string;
}

export interface DraftPullRequestInput {
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface GitHubAuthCheck {
  method: "token" | "app";
  /** The PAT's user, or the App's slug. */
  login: string;
  /** Classic PAT scopes from `x-oauth-scopes`; empty for fine-grained tokens and Apps. */
  scopes: string[];
}

export interface GitHubClient {
  readonly authMethod: "token" | "app";
  getRepo(repo: string): Promise<GitHubRepo>;
  getPermission(repo: string, login: string): Promise<RepoPermission>;
  getPullRequest(repo: string, number: number): Promise<PullRequest>;
  findPullRequestByHead(repo: string, branch: string): Promise<PullRequest | undefined>;
  createDraftPullRequest(input: DraftPullRequestInput): Promise<PullRequest>;
  /** Finds the open PR for `head` or opens a draft one; safe to call again after a crash or redelivery. */
  ensureDraftPullRequest(input: DraftPullRequestInput): Promise<{ pullRequest: PullRequest; created: boolean }>;
  updatePullRequest(input: { repo: string; number: number; title?: string; body?: string }): Promise<PullRequest>;
  markReadyForReview(repo: string, number: number): Promise<void>;
  addLabels(repo: string, issueNumber: number, labels: string[]): Promise<string[]>;
  createComment(repo: string, issueNumber: number, body: string): Promise<GitHubComment>;
  /** Reacts to an issue/PR comment (a quiet answer where another comment would be spam). */
  addCommentReaction(repo: string, commentId: number, content: "-1" | "confused" | "eyes" | "+1"): Promise<void>;
  /** Creates or updates the one comment carrying `<!-- fixline:<marker> -->`. */
  ensureComment(repo: string, issueNumber: number, marker: string, body: string): Promise<GitHubComment & { created: boolean }>;
  getIssue(repo: string, number: number): Promise<GitHubIssue>;
  /** The credential for `git push` to this repository. */
  getToken(repo: string): Promise<string>;
  checkAuth(): Promise<GitHubAuthCheck>;
}
