/**
 * What Fixline asks of its GitHub App, in GitHub's manifest format
 * (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest#github-app-manifest-parameters).
 * The least that works: push branches and open PRs (contents, pull_requests: write), comment and label issues
 * (issues: write), read CI results (checks, statuses: read); and the events the webhook route acts on.
 * No `workflows` permission: a fix that edits .github/workflows is refused by GitHub rather than pushed.
 */
export const githubAppPermissions = {
  contents: "write",
  pull_requests: "write",
  issues: "write",
  metadata: "read",
  checks: "read",
  statuses: "read",
} as const;

export const githubAppEvents = ["issues", "issue_comment", "pull_request"] as const;

export interface GitHubAppManifestInput {
  name: string;
  /** Where GitHub delivers webhooks: Fixline's public URL + /webhooks/github (or a smee.io channel). */
  webhookUrl: string;
  /** The local page GitHub sends the person back to with the one-time code. */
  redirectUrl: string;
  homepageUrl: string;
  /** OAuth callback for dashboard sign-in with GitHub. */
  callbackUrl: string;
}

export function githubAppManifest(input: GitHubAppManifestInput): Record<string, unknown> {
  return {
    name: input.name,
    url: input.homepageUrl,
    hook_attributes: { url: input.webhookUrl, active: true },
    redirect_url: input.redirectUrl,
    callback_urls: [input.callbackUrl],
    description: "Fixline: bug signals become reviewed, test-proven pull requests.",
    public: false,
    default_permissions: githubAppPermissions,
    default_events: githubAppEvents,
  };
}
