// @fixline/testing's front door does not re-export the fake CLI, the fake APIs or the sample repos yet
// (its src/index.ts belongs to that package); the suites reach them through this one file.
export { createTestDatabase, createTestRedis, waitFor, type TestDatabase, type TestRedis } from "../../../shared/testing/src/index";
export { createFakeClaude, type FakeClaude, type FakeClaudeScenario, type FakeClaudeRun } from "../../../shared/testing/src/fake-claude/index";
export { startFakeGitHub, type FakeGitHub } from "../../../shared/testing/src/fake-apis/index";
