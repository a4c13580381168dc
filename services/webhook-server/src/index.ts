export { buildApp } from "./build-app";
export type { AppDeps } from "./app-deps";
export { startWebhookServer, type StartWebhookServerOptions, type WebhookServer } from "./start-webhook-server";
export {
  applyTaskCommand,
  parseAgentComment,
  cancelChannel,
  type PermissionChecker,
  type RepoPermission,
  type TaskCommand,
  type TaskCommandDeps,
  type TaskCommandOutcome,
} from "./commands/task-commands";
export { verifiers, providerSecrets } from "./verify/verifiers";
export { verifyGitHub } from "./verify/verify-github";
export { verifySentry, sentryTimestampWindowSeconds } from "./verify/verify-sentry";
export { verifySlack, slackTimestampWindowSeconds } from "./verify/verify-slack";
export { verifyJira } from "./verify/verify-jira";
export type { Provider, Verifier, VerifyInput, VerifyResult } from "./verify/verifier";
export { createIpAllowlist, type IpAllowlist } from "./ip/ip-allowlist";
export { taskLink, slackHelpText } from "./sources/slack-commands";
export type { WebhookOutcome, SlackReply } from "./http/webhook-outcome";
export { metricsAuthorized } from "./http/metrics-authorized";
export { reconcileOutcomes, startOutcomeReconcile, reconcileIntervalMs, type ReconcileOutcomesDeps } from "./outcomes/reconcile-outcomes";
