import type { FixlineFile } from "@fixline/core";

/**
 * The repositories `/agent run` may target from a channel (issue 16): the channel's own list when one is
 * configured (slack.channels), else slack.repos, plus routing.slackDefaultRepo, which the operator named
 * too. Anything else (every repository the GitHub token can see) is refused.
 */
export function slackRunRepos(file: FixlineFile, channelId: string | undefined): string[] {
  const channelList = channelId ? file.slack.channels[channelId] : undefined;
  if (channelList) return channelList;
  const defaultRepo = file.routing.slackDefaultRepo;
  return [...file.slack.repos, ...(defaultRepo && !file.slack.repos.includes(defaultRepo) ? [defaultRepo] : [])];
}

export function slackMayRun(file: FixlineFile, channelId: string | undefined, repo: string): boolean {
  const wanted = repo.toLowerCase();
  return slackRunRepos(file, channelId).some((allowed) => allowed.toLowerCase() === wanted);
}
