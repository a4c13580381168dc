// @fixline/testing's front door does not export these yet; the claude package's tests reach them the same way.
export { createFakeClaude, type FakeClaude, type FakeClaudeScenario, type FakeClaudeStep } from "../../../shared/testing/src/fake-claude/index";
export { startFakeGitHub, startFakeSlack, startFakeJira, startFakeSentry, type FakeGitHub, type FakeSlack, type FakeJira, type FakeSentry } from "../../../shared/testing/src/fake-apis/index";
export { createSampleRemote, type SampleRemote } from "../../../shared/testing/src/sample-repos/index";
