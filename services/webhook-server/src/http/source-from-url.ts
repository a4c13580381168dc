/** The metrics `source` label for a URL: the webhook provider, or `other`. */
export function sourceFromUrl(url: string): string {
  const match = /^\/webhooks\/(github|sentry|jira|slack)(?:[/?]|$)/.exec(url);
  return match?.[1] ?? "other";
}
