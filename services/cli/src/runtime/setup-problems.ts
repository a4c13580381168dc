import type { Config } from "@fixline/core";

export interface SetupProblem {
  /** `broken`: a flow that cannot work as configured. `note`: works, but a person would want to know. */
  severity: "broken" | "note";
  text: string;
}

/**
 * Combinations every variable of which is valid on its own but that cannot work together (issue 17: `config
 * check` passed a GitHub token without a webhook secret, so `@agent approve` could never arrive). Pure, so
 * each rule is tested without starting anything; `config check` prints them and fails on a broken one.
 */
export function setupProblems(config: Config): SetupProblem[] {
  const problems: SetupProblem[] = [];
  const broken = (text: string) => problems.push({ severity: "broken", text });
  const note = (text: string) => problems.push({ severity: "note", text });
  const githubCredentials = Boolean(config.github.token || config.github.appId);

  if (githubCredentials && config.github.webhookSecrets.length === 0) {
    broken("GITHUB_WEBHOOK_SECRET is not set: every GitHub delivery is refused unsigned, so issues, `@agent approve` and the other PR commands never arrive. Set it to the webhook's (or the App's) secret.");
  }
  if (!githubCredentials && config.github.webhookSecrets.length > 0) {
    broken("GITHUB_WEBHOOK_SECRET is set but there are no GitHub credentials (GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY): deliveries are accepted, yet no task can be planned and every PR command is refused. `fixline setup github` creates an App.");
  }
  if (config.slack.botToken && config.slack.signingSecrets.length === 0) {
    broken("SLACK_SIGNING_SECRET is not set: /agent commands and the Approve / Reject buttons are refused unsigned. Copy it from the Slack app's Basic Information page.");
  }
  if (!config.slack.botToken && config.slack.signingSecrets.length > 0) {
    broken("SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: /agent commands are accepted, yet Fixline cannot post the plan or the result to Slack.");
  }
  if (config.jira.baseUrl && config.jira.webhookSecrets.length === 0) {
    broken("JIRA_WEBHOOK_SECRET is not set: Jira webhooks are always refused without a signature (JIRA_ALLOWED_IPS only narrows who may send signed ones). See docs/setup/jira.md.");
  }
  if (config.sentry.authToken && config.sentry.clientSecrets.length === 0) {
    broken("SENTRY_CLIENT_SECRET is not set: Sentry alerts are refused unsigned. Copy the internal integration's Client Secret (docs/setup/sentry.md).");
  }
  if (!config.apiToken && !config.identity.oauthClientId) {
    note("FIXLINE_API_TOKEN is not set: the dashboard and the REST API (and so `fixline tasks`, `show`, `approve`) answer 503. In development `fixline start` generates one into .env; elsewhere set it.");
  }
  if (githubCredentials && Object.keys(config.file.repos).length === 0) {
    note("No repository is configured in FIXLINE_CONFIG: tasks use the defaults (test command detected from the repository).");
  }
  return problems;
}
