export { startFakeHttpServer, type RecordedRequest, type FakeHttpServer, type FakeRequest, type FakeResponse, type FakeRoute } from "./fake-http-server";
export {
  startFakeGitHub,
  type FakeGitHub,
  type FakeGitHubState,
  type FakeGitHubRepo,
  type FakeRepoRole,
  type FakeIssue,
  type FakePullRequest,
  type FakeComment,
  type StartFakeGitHubOptions,
} from "./fake-github";
export { startFakeSlack, type FakeSlack, type FakeSlackState, type FakeSlackMessage, type StartFakeSlackOptions } from "./fake-slack";
export { startFakeJira, type FakeJira, type FakeJiraState, type FakeJiraIssue, type FakeJiraTransition, type StartFakeJiraOptions } from "./fake-jira";
export { startFakeSentry, type FakeSentry, type FakeSentryState, type FakeSentryIssue, type StartFakeSentryOptions } from "./fake-sentry";
export { sentrySampleEvent, sentrySampleIssue } from "./sentry-sample-event";
export type { FakeManifestApp } from "./fake-app-manifest-flow";
