import { FixlineError } from "@fixline/core";

/** `owner/name` -> its parts; anything else is a routing mistake worth a clear error. */
export function splitRepo(repo: string): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo);
  if (!match) throw new FixlineError("REPO_NOT_FOUND", `${JSON.stringify(repo)} is not a repository name of the form owner/name`);
  return { owner: match[1] as string, repo: match[2] as string };
}
