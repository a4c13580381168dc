export { runDemo, replayBanner, type RunDemoOptions, type RunningDemo, type DemoResult } from "./run-demo";
export { startDemoEnvironment, freePort, demoNames, type DemoEnvironment, type DemoAgent, type DemoSecrets, type StartDemoEnvironmentOptions } from "./demo-environment";
export { createDemoDatabase, type DemoDatabase } from "./demo-database";
export { shopReplayScenario, shopPlan, shopRedTest, shopFixedTotal, replayCosts, type ShopReplayOptions } from "./shop-replay-scenario";
export { sendSentryEventAlert, sendGitHubComment, sendSlackCommand, sendSlackButton, sendJiraIssueCreated, type WebhookTarget, type WebhookResponse } from "./signed-webhooks";
export { remoteBranch, type RemoteBranch } from "./remote-branch";
export { markdownSection } from "./markdown-section";
export { createProgressReporter, type DemoOutput, type ProgressReporter } from "./progress-reporter";
export { latestOutputLine, describeStreamLine } from "./latest-output-line";
