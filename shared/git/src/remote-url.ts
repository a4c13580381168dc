import { FixlineError } from "@fixline/core";

export interface RepoName {
  owner: string;
  name: string;
}

const segment = /^[A-Za-z0-9_.-]+$/;

/** Parses `owner/name`, refusing anything that could escape the workspace directory (`..`, slashes). */
export function parseRepoName(repo: string): RepoName {
  const parts = repo.replace(/\.git$/, "").split("/");
  const [owner, name] = parts;
  if (parts.length !== 2 || !owner || !name || !segment.test(owner) || !segment.test(name) || owner.startsWith(".") || name.startsWith(".")) {
    throw new FixlineError("REPO_NOT_FOUND", `"${repo}" is not a repository name of the form owner/name`);
  }
  return { owner, name };
}

/**
 * `<gitBaseUrl>/<owner>/<name>.git`. gitBaseUrl is https://github.com in production, or a local directory
 * (or file:// URL) holding bare repositories in tests and air-gapped setups.
 */
export function remoteUrl(gitBaseUrl: string, repo: RepoName): string {
  const base = gitBaseUrl.replace(/\/+$/, "");
  return `${base}/${repo.owner}/${repo.name}.git`;
}
