export { integrationError, integrationStatus, type IntegrationService, type IntegrationFailure } from "./errors/integration-error";

export { createGitHub, type CreateGitHubOptions } from "./github/create-github";
export type { GitHubClient, GitHubRepo, PullRequest, GitHubIssue, GitHubComment, DraftPullRequestInput, GitHubAuthCheck } from "./github/github-types";
export { toRepoPermission, canCommand, type RepoPermission } from "./github/repo-permission";
export { commentMarker, withMarker } from "./github/comment-marker";
export { graphqlUrl } from "./github/graphql-url";

export { createSlack, type CreateSlackOptions } from "./slack/create-slack";
export type { SlackClient, SlackMessage, SlackBlock, SlackResponseBody } from "./slack/slack-types";

export { createJira, type JiraClient, type JiraIssue } from "./jira/create-jira";
export { adf, type AdfDoc, type AdfNode, type AdfMark } from "./jira/adf";
export { adfToText } from "./jira/adf-to-text";

export { createSentry, parseSentryEvent, type SentryClient, type SentryEvent, type SentryIssue } from "./sentry/create-sentry";
export { sentryIssueWebhookSchema, sentryEventAlertWebhookSchema, type SentryWebhookFacts } from "./sentry/sentry-webhook";

export type { TaskSources, Evidence, RedEvidence, GreenEvidence, PhaseUsage } from "./render/render-types";
export {
  planReadyMessage,
  taskStartedMessage,
  completedMessage,
  failedMessage,
  slackActionIds,
  slackButtonValue,
  parseSlackButtonValue,
  type SlackRendered,
  type PlanReadyMessageInput,
  type TaskStartedMessageInput,
  type CompletedMessageInput,
  type FailedMessageInput,
  budgetNeededMessage,
  type BudgetNeededMessageInput,
} from "./render/slack-messages";
export { renderPullRequestBody, taskMarker, taskIdFromPullRequestBody, type PullRequestBodyInput } from "./render/pull-request-body";
export { renderEvidenceTable, evidenceSummary } from "./render/evidence-table";
export { planReadyJiraComment, completedJiraComment, failedJiraComment, type PlanReadyJiraInput, type CompletedJiraInput, type FailedJiraInput } from "./render/jira-comments";
export { escapeSlack, slackLink } from "./render/escape-slack";
export { escapeMarkdown, codeSpan, fencedBlock } from "./render/escape-markdown";
