/**
 * Slack mrkdwn treats only &, < and > as control characters; escaping them is what stops untrusted
 * text from forming links or `<!channel>` pings (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A `<url|label>` link; the URL is percent-encoded where it would break the syntax, the label escaped. */
export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/[|<> ]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${escapeSlack(label).replace(/\|/g, "¦")}>`;
}

/** Block Kit rejects section text over 3000 characters; cut earlier and say so. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
