/**
 * The metrics `source` label for a webhook URL: the provider, `unknown` for other /webhooks/ paths, and
 * undefined outside /webhooks/ (the REST API and dashboard are not webhook deliveries).
 */
export function sourceFromUrl(url: string): string | undefined {
  if (!url.startsWith("/webhooks/")) return undefined;
  const match = /^\/webhooks\/(github|sentry|jira|slack)(?:[/?]|$)/.exec(url);
  return match?.[1] ?? "unknown";
}
